import type { Migration } from './index.js';

/**
 * The last count of the Airtable base's records (issue 13), kept so /health can show how full the
 * base is between runs: one row, replaced by each count and moved on by what a run creates.
 */
export const airtableRecordCountMigration: Migration = {
  version: 10,
  name: 'airtable record count',
  up(db) {
    db.exec(`
      CREATE TABLE airtable_record_count (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        counted_at TEXT NOT NULL,
        total INTEGER NOT NULL CHECK (total >= 0),
        tables TEXT NOT NULL
      );
    `);
  },
};
