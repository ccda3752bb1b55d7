import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, InputError } from '../util/errors.js';
import { engineRulesSchema } from './engine-rules.js';
import { kommuneRulesSchema } from './kommune-rules.js';
import { lotScoreRulesSchema } from './lot-score-rules.js';

/**
 * The rule file: a JSON document whose sections each have defaults, so `{}` is a valid file and
 * a user changes only what differs. Sections are defined next to this file, one per concern.
 */
export const rulesSchema = z
  .object({
    engine: engineRulesSchema,
    kommuneRanking: kommuneRulesSchema,
    lotScore: lotScoreRulesSchema,
  })
  .strict();

export type Rules = z.infer<typeof rulesSchema>;

export const defaultRules = (): Rules => rulesSchema.parse({});

export function parseRules(value: unknown, origin = 'rules'): Rules {
  const parsed = rulesSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${origin}: ${issue.path.join('.') || '(root)'}`, issue.message);
  }
  return parsed.data;
}

export function loadRules(file: string | undefined): Rules {
  if (!file) return defaultRules();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(file, `cannot read the rule file (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, `not valid JSON (${(error as Error).message})`);
  }
  return parseRules(json, file);
}
