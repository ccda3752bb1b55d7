import { z } from 'zod';
import { loadJsonConfig, parseJsonConfig } from './json-config.js';
import { airtableRulesSchema } from './airtable-rules.js';
import { alertRulesSchema } from './alert-rules.js';
import { engineRulesSchema } from './engine-rules.js';
import { kommuneRulesSchema } from './kommune-rules.js';
import { lotScoreRulesSchema } from './lot-score-rules.js';
import { outreachRulesSchema } from './outreach-rules.js';
import { developerRulesSchema } from './developer-rules.js';

/**
 * The rule file: a JSON document whose sections each have defaults, so `{}` is a valid file and
 * a user changes only what differs. Sections are defined next to this file, one per concern.
 */
export const rulesSchema = z
  .object({
    engine: engineRulesSchema,
    kommuneRanking: kommuneRulesSchema,
    lotScore: lotScoreRulesSchema,
    airtable: airtableRulesSchema,
    alerts: alertRulesSchema,
    outreach: outreachRulesSchema,
    developers: developerRulesSchema,
  })
  .strict();

export type Rules = z.infer<typeof rulesSchema>;

export const defaultRules = (): Rules => rulesSchema.parse({});

export function parseRules(value: unknown, origin = 'rules'): Rules {
  return parseJsonConfig(rulesSchema, value, origin);
}

export function loadRules(file: string | undefined): Rules {
  return file ? loadJsonConfig(rulesSchema, file, 'rule file') : defaultRules();
}
