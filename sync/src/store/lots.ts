import type { Db } from './database.js';
import type { IncomingLot, KnownLot, LotChanges } from './lot-changes.js';

/** A lot as the store keeps it: what a run brought in, plus its history. */
export interface StoredLot extends IncomingLot {
  state: 'active' | 'vanished';
  firstSeen: string;
  lastSeen: string;
  changedAt: string;
  firstRunId: number | null;
  lastRunId: number | null;
  vanishedAt: string | null;
  vanishedReason: string | null;
  revivedAt: string | null;
  timesVanished: number;
}

const LOT_COLUMNS = `tomt_id AS tomtId, kommunenummer, state, fingerprint, lot, geometry, content, score, tier,
  first_seen AS firstSeen, last_seen AS lastSeen, changed_at AS changedAt, first_run_id AS firstRunId,
  last_run_id AS lastRunId, vanished_at AS vanishedAt, vanished_reason AS vanishedReason,
  revived_at AS revivedAt, times_vanished AS timesVanished`;

export function knownLotsOf(db: Db, kommunenummer: string): KnownLot[] {
  return db
    .prepare('SELECT tomt_id AS tomtId, state, fingerprint FROM lots WHERE kommunenummer = ?')
    .all(kommunenummer) as KnownLot[];
}

export function lotsOfKommune(db: Db, kommunenummer: string): StoredLot[] {
  return db
    .prepare(`SELECT ${LOT_COLUMNS} FROM lots WHERE kommunenummer = ? ORDER BY tomt_id`)
    .all(kommunenummer) as StoredLot[];
}

export function getLot(db: Db, tomtId: string): StoredLot | null {
  return (
    (db.prepare(`SELECT ${LOT_COLUMNS} FROM lots WHERE tomt_id = ?`).get(tomtId) as StoredLot | undefined) ??
    null
  );
}

/** Active lots for the map: content and score only (geometry for the map is inside content). */
export function activeLotContents(db: Db): Array<{ tomtId: string; content: string; score: number | null }> {
  return db
    .prepare("SELECT tomt_id AS tomtId, content, score FROM lots WHERE state = 'active' ORDER BY tomt_id")
    .all() as Array<{ tomtId: string; content: string; score: number | null }>;
}

export function countLots(db: Db): { active: number; vanished: number } {
  const rows = db.prepare('SELECT state, COUNT(*) AS n FROM lots GROUP BY state').all() as Array<{
    state: 'active' | 'vanished';
    n: number;
  }>;
  return {
    active: rows.find((r) => r.state === 'active')?.n ?? 0,
    vanished: rows.find((r) => r.state === 'vanished')?.n ?? 0,
  };
}

/**
 * Writes a kommune's planned changes. Call inside the kommune's transaction: either all of a
 * kommune's lots move to the new run or none do.
 */
export function applyLotChanges(
  db: Db,
  changes: LotChanges,
  context: { runId: number; now: string; vanishReason: (tomtId: string) => string },
): void {
  const insert = db.prepare(
    `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, lot, geometry, content, score, tier,
       first_seen, last_seen, changed_at, first_run_id, last_run_id)
     VALUES (@tomtId, @kommunenummer, 'active', @fingerprint, @lot, @geometry, @content, @score, @tier,
       @now, @now, @now, @runId, @runId)`,
  );
  const update = db.prepare(
    `UPDATE lots SET fingerprint = @fingerprint, lot = @lot, geometry = @geometry, content = @content,
       score = @score, tier = @tier, last_seen = @now, changed_at = @now, last_run_id = @runId
     WHERE tomt_id = @tomtId`,
  );
  const touch = db.prepare('UPDATE lots SET last_seen = ?, last_run_id = ? WHERE tomt_id = ?');
  const revive = db.prepare(
    `UPDATE lots SET state = 'active', fingerprint = @fingerprint, lot = @lot, geometry = @geometry,
       content = @content, score = @score, tier = @tier, last_seen = @now, changed_at = @now,
       last_run_id = @runId, revived_at = @now, vanished_at = NULL, vanished_reason = NULL
     WHERE tomt_id = @tomtId`,
  );
  const vanish = db.prepare(
    `UPDATE lots SET state = 'vanished', vanished_at = ?, vanished_reason = ?, changed_at = ?,
       times_vanished = times_vanished + 1
     WHERE tomt_id = ? AND state = 'active'`,
  );
  const params = (lot: IncomingLot) => ({ ...lot, now: context.now, runId: context.runId });
  for (const lot of changes.inserted) insert.run(params(lot));
  for (const lot of changes.changed) update.run(params(lot));
  for (const lot of changes.unchanged) touch.run(context.now, context.runId, lot.tomtId);
  for (const lot of changes.revived) revive.run(params(lot));
  for (const tomtId of changes.vanished)
    vanish.run(context.now, context.vanishReason(tomtId), context.now, tomtId);
}
