import type { Db } from './database.js';

/**
 * Which Airtable record a synced key (a table's merge-field value) maps to, and a short hash of
 * every field value last written to it, so a sync sends only what changed.
 */
export interface SyncedRecord {
  key: string;
  recordId: string;
  fieldHashes: Record<string, string>;
  syncedAt: string;
}

export interface SyncedRecordStore {
  get(table: string, keys: string[]): Map<string, SyncedRecord>;
  save(table: string, records: SyncedRecord[]): void;
}

export function syncedRecordStore(db: Db): SyncedRecordStore {
  const select = db.prepare(
    'SELECT key, record_id, field_hashes, synced_at FROM airtable_records WHERE table_name = ? AND key = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO airtable_records (table_name, key, record_id, field_hashes, synced_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (table_name, key) DO UPDATE SET record_id = excluded.record_id,
       field_hashes = excluded.field_hashes, synced_at = excluded.synced_at`,
  );
  const save = db.transaction((table: string, records: SyncedRecord[]) => {
    for (const r of records) upsert.run(table, r.key, r.recordId, JSON.stringify(r.fieldHashes), r.syncedAt);
  });
  return {
    get(table, keys) {
      const found = new Map<string, SyncedRecord>();
      for (const key of keys) {
        const row = select.get(table, key) as
          { key: string; record_id: string; field_hashes: string; synced_at: string } | undefined;
        if (row)
          found.set(key, {
            key: row.key,
            recordId: row.record_id,
            fieldHashes: JSON.parse(row.field_hashes) as Record<string, string>,
            syncedAt: row.synced_at,
          });
      }
      return found;
    },
    save: (table, records) => save(table, records),
  };
}

export function countSyncedRecords(db: Db, table: string): number {
  return (
    db.prepare('SELECT COUNT(*) AS n FROM airtable_records WHERE table_name = ?').get(table) as { n: number }
  ).n;
}
