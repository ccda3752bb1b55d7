import type { AirtableMetaClient, AirtableRecordsClient } from '../airtable/types.js';
import type { RecordCount } from './record-budget.js';

export type CountingClient = AirtableRecordsClient & Pick<AirtableMetaClient, 'listTables'>;

/**
 * Counts the records of every table in the base, the service's own and any the team added, with
 * records the service did not create: the Metadata API lists the tables, then each table is paged
 * asking for its primary field only. Airtable has no count endpoint, so this costs one request per
 * 100 records (about 500 for a full Team base); the nightly run counts only when it would create.
 */
export async function countBaseRecords(client: CountingClient, countedAt: string): Promise<RecordCount> {
  const tables: Record<string, number> = {};
  for (const table of await client.listTables()) {
    const records = await client.listAll(table.id, { fields: [table.primaryFieldId] });
    tables[table.name] = records.length;
  }
  const total = Object.values(tables).reduce((sum, n) => sum + n, 0);
  return { countedAt, total, tables };
}
