import type { Db } from './database.js';

/**
 * When each lot was first seen marked "Ikke aktuell" by the retention job. Airtable keeps no date
 * for a status change, so the job notes it; the owner data goes once the mark is old enough.
 */
export interface RetentionMark {
  tomtId: string;
  recordId: string | null;
  firstSeenAt: string;
  erasedAt: string | null;
}

interface Row {
  tomt_id: string;
  record_id: string | null;
  first_seen_at: string;
  erased_at: string | null;
}

const toMark = (row: Row): RetentionMark => ({
  tomtId: row.tomt_id,
  recordId: row.record_id,
  firstSeenAt: row.first_seen_at,
  erasedAt: row.erased_at,
});

/**
 * Records the lots now marked "Ikke aktuell" (keeping the first time each was seen) and forgets
 * lots that are no longer marked and were not erased (a lot taken back into the pipeline starts
 * its clock again if it is dropped later).
 */
export function updateRetentionMarks(
  db: Db,
  marked: Array<{ tomtId: string; recordId: string | null }>,
  now: Date,
): { added: number; cleared: number } {
  return db.transaction(() => {
    const insert = db.prepare(
      `INSERT INTO owner_retention_marks (tomt_id, record_id, first_seen_at) VALUES (?, ?, ?)
       ON CONFLICT (tomt_id) DO UPDATE SET record_id = COALESCE(excluded.record_id, record_id)`,
    );
    let added = 0;
    for (const lot of marked) {
      const exists = db.prepare('SELECT 1 FROM owner_retention_marks WHERE tomt_id = ?').get(lot.tomtId);
      insert.run(lot.tomtId, lot.recordId, now.toISOString());
      if (!exists) added += 1;
    }
    const keep = new Set(marked.map((m) => m.tomtId));
    const stale = (
      db.prepare('SELECT tomt_id FROM owner_retention_marks WHERE erased_at IS NULL').all() as Row[]
    )
      .map((r) => r.tomt_id)
      .filter((id) => !keep.has(id));
    const remove = db.prepare('DELETE FROM owner_retention_marks WHERE tomt_id = ?');
    for (const id of stale) remove.run(id);
    return { added, cleared: stale.length };
  })();
}

export function retentionMarks(db: Db): RetentionMark[] {
  return (db.prepare('SELECT * FROM owner_retention_marks ORDER BY tomt_id').all() as Row[]).map(toMark);
}

/** Marks at least `days` old whose owner data has not been erased yet. */
export function dueForErasure(db: Db, now: Date, days: number): RetentionMark[] {
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  return (
    db
      .prepare(
        'SELECT * FROM owner_retention_marks WHERE erased_at IS NULL AND first_seen_at <= ? ORDER BY tomt_id',
      )
      .all(cutoff) as Row[]
  ).map(toMark);
}

export function markErased(db: Db, tomtId: string, at: Date): void {
  db.prepare('UPDATE owner_retention_marks SET erased_at = ? WHERE tomt_id = ?').run(
    at.toISOString(),
    tomtId,
  );
}

/** A new lookup of an erased lot restarts its retention bookkeeping. */
export function clearRetentionMark(db: Db, tomtId: string): void {
  db.prepare('DELETE FROM owner_retention_marks WHERE tomt_id = ?').run(tomtId);
}
