import type { Db } from './database.js';

/**
 * Lots seen waiting for an owner lookup ("Forespurt"/"Pågår" in Airtable): when the sweep first
 * saw each, and whether a lookup for it is queued or running, or was asked for since.
 */
export interface WaitingLot {
  tomtId: string;
  recordId: string;
  firstSeenAt: string;
  /** A job for the lot is queued or running (in any process on this store). */
  live: boolean;
  /** The last time anyone asked for a lookup of the lot (null: never). */
  lastRequestAt: string | null;
}

/**
 * Notes the lots waiting now (keeping when each was first seen) and forgets the ones no longer
 * waiting, so a lot asked for again later starts its clock again. Returns the waiting lots.
 */
export function noteWaitingLots(
  db: Db,
  lots: Array<{ tomtId: string; recordId: string }>,
  now: Date,
): WaitingLot[] {
  return db.transaction(() => {
    const waiting = new Set(lots.map((l) => l.recordId));
    const known = db.prepare('SELECT record_id AS recordId FROM owner_lookup_waiting').all() as Array<{
      recordId: string;
    }>;
    const forget = db.prepare('DELETE FROM owner_lookup_waiting WHERE record_id = ?');
    for (const { recordId } of known) if (!waiting.has(recordId)) forget.run(recordId);
    const note = db.prepare(
      `INSERT INTO owner_lookup_waiting (tomt_id, record_id, first_seen_at) VALUES (?, ?, ?)
       ON CONFLICT (tomt_id) DO UPDATE SET record_id = excluded.record_id`,
    );
    for (const lot of lots) note.run(lot.tomtId, lot.recordId, now.toISOString());
    return lots.map((lot) => waitingLot(db, lot.tomtId));
  })();
}

function waitingLot(db: Db, tomtId: string): WaitingLot {
  const row = db
    .prepare(
      `SELECT w.tomt_id AS tomtId, w.record_id AS recordId, w.first_seen_at AS firstSeenAt,
         EXISTS (SELECT 1 FROM owner_lookup_jobs j WHERE j.tomt_id = w.tomt_id AND j.state IN ('queued', 'running')) AS live,
         (SELECT MAX(r.requested_at) FROM owner_lookup_requests r JOIN owner_lookup_jobs j ON j.id = r.job_id
           WHERE j.tomt_id = w.tomt_id) AS lastRequestAt
       FROM owner_lookup_waiting w WHERE w.tomt_id = ?`,
    )
    .get(tomtId) as Omit<WaitingLot, 'live'> & { live: number };
  return { ...row, live: row.live === 1 };
}

/** The lot was failed by the sweep: its clock stops. */
export function forgetWaitingLot(db: Db, tomtId: string): void {
  db.prepare('DELETE FROM owner_lookup_waiting WHERE tomt_id = ?').run(tomtId);
}
