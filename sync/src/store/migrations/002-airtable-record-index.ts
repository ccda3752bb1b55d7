import type { Migration } from './index.js';

/** Finding a lot by its Airtable record id (the owner-lookup webhook) without a table scan. */
export const airtableRecordIndexMigration: Migration = {
  version: 2,
  name: 'airtable records: index by record id',
  up(db) {
    db.exec('CREATE INDEX airtable_records_by_record ON airtable_records (table_name, record_id)');
  },
};
