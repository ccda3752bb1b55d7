import type { AreaGeometry } from '../domain/geometry.js';
import type { TrackedLot } from '../lot-record/lifecycle.js';
import type { LotRecord } from '../lot-record/lot-record.js';
import type { Db } from './database.js';
import type { IncomingLot, KnownLot, LotChanges } from './lot-changes.js';
import { indexLots, indexVanished } from './lot-map.js';

/** A lot as the store keeps it: its record, its history and the runs that saw it. */
export interface StoredLot extends TrackedLot {
  tomtId: string;
  kommunenummer: string;
  fingerprint: string;
  firstRunId: number | null;
  lastRunId: number | null;
}

interface LotRow extends Omit<StoredLot, 'record'> {
  record: string;
  geometry: string;
}

const LOT_COLUMNS = `tomt_id AS tomtId, kommunenummer, state, fingerprint, record, geometry,
  first_seen AS firstSeen, last_seen AS lastSeen, changed_at AS changedAt, first_run_id AS firstRunId,
  last_run_id AS lastRunId, vanished_at AS vanishedAt, vanished_reason AS vanishedReason,
  revived_at AS revivedAt, times_vanished AS timesVanished`;

function storedLotOf({ record, geometry, ...row }: LotRow): StoredLot {
  const facts = JSON.parse(record) as Omit<LotRecord, 'geometry'>;
  return { ...row, record: { ...facts, geometry: JSON.parse(geometry) as AreaGeometry } };
}

export function knownLotsOf(db: Db, kommunenummer: string): KnownLot[] {
  return db
    .prepare('SELECT tomt_id AS tomtId, state, fingerprint FROM lots WHERE kommunenummer = ?')
    .all(kommunenummer) as KnownLot[];
}

export function lotsOfKommune(db: Db, kommunenummer: string): StoredLot[] {
  const rows = db
    .prepare(`SELECT ${LOT_COLUMNS} FROM lots WHERE kommunenummer = ? ORDER BY tomt_id`)
    .all(kommunenummer) as LotRow[];
  return rows.map(storedLotOf);
}

export function getLot(db: Db, tomtId: string): StoredLot | null {
  const row = db.prepare(`SELECT ${LOT_COLUMNS} FROM lots WHERE tomt_id = ?`).get(tomtId) as
    LotRow | undefined;
  return row ? storedLotOf(row) : null;
}

/** The lots found by the last run of their kommune, in tomt_id order (the map's lots). */
export function activeLots(db: Db): StoredLot[] {
  const rows = db
    .prepare(`SELECT ${LOT_COLUMNS} FROM lots WHERE state = 'active' ORDER BY tomt_id`)
    .all() as LotRow[];
  return rows.map(storedLotOf);
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

/** The columns a record is kept in: its facts as JSON, its geometry apart (EPSG:25833 GeoJSON). */
export function lotColumnsOf({ record, fingerprint }: IncomingLot) {
  const { geometry, ...facts } = record;
  return {
    tomtId: record.tomtId,
    kommunenummer: record.kommunenummer,
    fingerprint,
    record: JSON.stringify(facts),
    geometry: JSON.stringify(geometry),
    score: record.score.total,
    tier: record.score.tier,
    homes: record.score.capacity.homes,
    kommuneNavn: record.kommuneNavn,
  };
}

/**
 * Writes a kommune's planned changes, and keeps the map index in step (unchanged lots leave it
 * as it was). Call inside the kommune's transaction: either all of a kommune's lots move to the
 * new run or none do.
 */
export function applyLotChanges(
  db: Db,
  changes: LotChanges,
  context: { runId: number; now: string; vanishReason: (tomtId: string) => string },
): void {
  const insert = db.prepare(
    `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, record, geometry, score, tier,
       homes, kommune_navn, first_seen, last_seen, changed_at, first_run_id, last_run_id)
     VALUES (@tomtId, @kommunenummer, 'active', @fingerprint, @record, @geometry, @score, @tier,
       @homes, @kommuneNavn, @now, @now, @now, @runId, @runId)`,
  );
  const update = db.prepare(
    `UPDATE lots SET fingerprint = @fingerprint, record = @record, geometry = @geometry,
       score = @score, tier = @tier, homes = @homes, kommune_navn = @kommuneNavn, last_seen = @now,
       changed_at = @now, last_run_id = @runId
     WHERE tomt_id = @tomtId`,
  );
  const touch = db.prepare('UPDATE lots SET last_seen = ?, last_run_id = ? WHERE tomt_id = ?');
  const revive = db.prepare(
    `UPDATE lots SET state = 'active', fingerprint = @fingerprint, record = @record, geometry = @geometry,
       score = @score, tier = @tier, homes = @homes, kommune_navn = @kommuneNavn, last_seen = @now, changed_at = @now,
       last_run_id = @runId, revived_at = @now, vanished_at = NULL, vanished_reason = NULL
     WHERE tomt_id = @tomtId`,
  );
  const vanish = db.prepare(
    `UPDATE lots SET state = 'vanished', vanished_at = ?, vanished_reason = ?, changed_at = ?,
       times_vanished = times_vanished + 1
     WHERE tomt_id = ? AND state = 'active'`,
  );
  const params = (lot: IncomingLot) => ({ ...lotColumnsOf(lot), now: context.now, runId: context.runId });
  for (const lot of changes.inserted) insert.run(params(lot));
  for (const lot of changes.changed) update.run(params(lot));
  for (const lot of changes.unchanged) touch.run(context.now, context.runId, lot.record.tomtId);
  for (const lot of changes.revived) revive.run(params(lot));
  for (const tomtId of changes.vanished)
    vanish.run(context.now, context.vanishReason(tomtId), context.now, tomtId);
  const write = { runId: context.runId, now: context.now };
  indexLots(
    db,
    [...changes.inserted, ...changes.changed, ...changes.revived].map((lot) => lot.record),
    write,
  );
  indexVanished(db, changes.vanished, write);
}
