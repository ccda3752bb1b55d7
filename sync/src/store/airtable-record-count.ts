import type { Db } from './database.js';

/** A count of the Airtable base's records (the shape `crm/budget` works with). */
export interface RecordCount {
  /** When the base was counted (ISO time). */
  countedAt: string;
  /** Records in all tables: the count plus what the nightly run created since. */
  total: number;
  /** Records per table, by name. */
  tables: Record<string, number>;
}

/** Keeps the latest count, replacing the one before. */
export function saveRecordCount(db: Db, count: RecordCount): void {
  db.prepare(
    `INSERT INTO airtable_record_count (id, counted_at, total, tables) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET counted_at = excluded.counted_at, total = excluded.total, tables = excluded.tables`,
  ).run(count.countedAt, count.total, JSON.stringify(count.tables));
}

/** The latest count, or null when the base was never counted. */
export function lastRecordCount(db: Db): RecordCount | null {
  const row = db.prepare('SELECT counted_at, total, tables FROM airtable_record_count WHERE id = 1').get() as
    { counted_at: string; total: number; tables: string } | undefined;
  return row
    ? {
        countedAt: row.counted_at,
        total: row.total,
        tables: JSON.parse(row.tables) as Record<string, number>,
      }
    : null;
}
