import type { AirtableFields, AirtableRecord, AirtableRecordsClient } from '../airtable/types.js';
import { fieldIsOneOf } from '../airtable/formula.js';

/** Keys per listRecords request when looking records up by key (keeps the formula a few kB). */
export const KEYS_PER_LOOKUP = 100;

export interface LookupPlan {
  /** Formula selecting the part of the table these keys live in (e.g. one kommune's lots). */
  scopeFormula?: string;
  /** How many records the scope holds that this sync already knows. */
  knownInScope: number;
}

/**
 * Finds the Airtable records of the given keys, choosing the cheaper of two reads: the records
 * of the keys themselves (OR of key tests, 100 keys a request) or the whole scope (100 records a
 * page). Returns every record found per key: more than one means duplicates.
 */
export async function lookupByKey(
  client: AirtableRecordsClient,
  table: string,
  keyField: string,
  keys: string[],
  fields: string[],
  plan: LookupPlan,
): Promise<Map<string, AirtableRecord[]>> {
  const found = new Map<string, AirtableRecord[]>();
  const wanted = new Set(keys);
  const add = (records: AirtableRecord<AirtableFields>[]) => {
    for (const record of records) {
      // A record without the key (or a key that is not text) is never among the wanted keys.
      const key = record.fields[keyField] as string;
      if (wanted.has(key)) found.set(key, [...(found.get(key) ?? []), record]);
    }
  };
  const byKeyRequests = Math.ceil(keys.length / KEYS_PER_LOOKUP);
  const scopeRequests = Math.max(1, Math.ceil((plan.knownInScope + keys.length) / 100));
  if (plan.scopeFormula !== undefined && scopeRequests <= byKeyRequests) {
    add(await client.listAll(table, { fields, filterByFormula: plan.scopeFormula }));
    return found;
  }
  for (let i = 0; i < keys.length; i += KEYS_PER_LOOKUP) {
    const batch = keys.slice(i, i + KEYS_PER_LOOKUP);
    add(await client.listAll(table, { fields, filterByFormula: fieldIsOneOf(keyField, batch) }));
  }
  return found;
}
