import { defaultRules } from '../../sync/src/config/rules.js';
import { baseLinks, baseTables } from '../../sync/src/crm/setup/base-schema.js';
import type { Golden } from './golden-files.js';

/** Every default of the rule file, as `tomtejakt` runs without one. */
export function defaultRuleLines(): string[] {
  return JSON.stringify(defaultRules(), null, 2).split('\n');
}

/**
 * The Airtable schema `setup-base` creates: tables, fields with their types, options and owner
 * (sync, team or lookup), and the links. Ownership decides what the nightly sync may ever write.
 */
export function airtableSchemaLines(): string[] {
  return JSON.stringify({ tables: baseTables, links: baseLinks }, null, 2).split('\n');
}

/** The defaults themselves: the rule file's every value and the Airtable schema with its owners. */
export const GOLDEN_DEFAULTS: Golden[] = [
  { name: 'default rules', file: 'default-rules.expected.json', compute: defaultRuleLines },
  { name: 'Airtable schema', file: 'airtable-schema.expected.json', compute: airtableSchemaLines },
];
