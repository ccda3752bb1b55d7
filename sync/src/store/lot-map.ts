import type { AreaGeometry } from '../domain/geometry.js';
import { parseMatrikkelnummertekst } from '../domain/parcel.js';
import { mapGeometryOf } from '../geo/map-geometry.js';
import type { LotRecord } from '../lot-record/lot-record.js';
import type { Db } from './database.js';

/**
 * The write side of the map index (`lot_map`, `lot_map_rtree`, migration 20): kept in step with
 * `lots` inside the same transaction, so the map never shows a lot the store does not hold.
 */
export interface LotMapWrite {
  runId: number | null;
  now: string;
}

export interface LotMapVersion {
  /** Bumped by every write that changes what the map shows. */
  generation: number;
  /** The run that made the latest change (null: the index was built from an existing store). */
  runId: number | null;
  changedAt: string;
}

type Statements = ReturnType<typeof prepare>;
const statements = new WeakMap<Db, Statements>();

function prepare(db: Db) {
  return {
    upsert: db.prepare(
      `INSERT INTO lot_map (tomt_id, kommunenummer, kommune_navn, state, score, tier, confidence,
         plan_work, matrikkel, gnr, bnr, lon, lat, changed_run_id, changed_at)
       VALUES (@tomtId, @kommunenummer, @kommuneNavn, 'active', @score, @tier, @confidence, @planWork,
         @matrikkel, @gnr, @bnr, @lon, @lat, @runId, @now)
       ON CONFLICT (tomt_id) DO UPDATE SET kommunenummer = excluded.kommunenummer,
         kommune_navn = excluded.kommune_navn, state = 'active', score = excluded.score,
         tier = excluded.tier, confidence = excluded.confidence, plan_work = excluded.plan_work,
         matrikkel = excluded.matrikkel, gnr = excluded.gnr, bnr = excluded.bnr, lon = excluded.lon,
         lat = excluded.lat, changed_run_id = excluded.changed_run_id,
         changed_at = excluded.changed_at
       RETURNING id`,
    ),
    box: db.prepare('INSERT OR REPLACE INTO lot_map_rtree VALUES (?, ?, ?, ?, ?)'),
    shape: db.prepare('INSERT OR REPLACE INTO lot_map_shape (id, coarse, fine) VALUES (?, ?, ?)'),
    vanish: db.prepare(
      `UPDATE lot_map SET state = 'vanished', changed_run_id = ?, changed_at = ? WHERE tomt_id = ?`,
    ),
    bump: db.prepare(
      `INSERT INTO lot_map_version (id, generation, run_id, changed_at) VALUES (1, 1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET generation = generation + 1, run_id = excluded.run_id,
         changed_at = excluded.changed_at`,
    ),
  };
}

const statementsOf = (db: Db) => {
  let prepared = statements.get(db);
  if (!prepared) statements.set(db, (prepared = prepare(db)));
  return prepared;
};

/** The columns of one lot: the record's facts the map filters on and its simplified shapes. */
export function lotMapRowOf(record: LotRecord) {
  const matrikkel =
    record.matrikkelenheter[0] ??
    parseMatrikkelnummertekst(record.kommunenummer, record.matrikkelnummertekst);
  const shape = mapGeometryOf(record.geometry);
  return {
    tomtId: record.tomtId,
    kommunenummer: record.kommunenummer,
    kommuneNavn: record.kommuneNavn,
    score: Math.round(record.score.total),
    tier: record.score.tier,
    confidence: record.score.confidence,
    planWork: record.planarbeidPagar.length > 0 ? 1 : 0,
    matrikkel: record.matrikkelnummertekst,
    gnr: matrikkel?.gnr ?? null,
    bnr: matrikkel?.bnr ?? null,
    lon: record.centre.lon,
    lat: record.centre.lat,
    coarse: shape.coarse,
    fine: shape.fine,
    bbox: shape.bbox,
  };
}

/** Indexes lots found (new, changed or revived) by a run. Call inside the kommune's transaction. */
export function indexLots(db: Db, records: readonly LotRecord[], write: LotMapWrite): void {
  if (records.length === 0) return;
  const { upsert, box, shape, bump } = statementsOf(db);
  for (const record of records) {
    const { bbox, coarse, fine, ...row } = lotMapRowOf(record);
    const { id } = upsert.get({ ...row, runId: write.runId, now: write.now }) as { id: number };
    box.run(id, bbox[0], bbox[2], bbox[1], bbox[3]);
    shape.run(id, coarse, fine);
  }
  bump.run(write.runId, write.now);
}

/** Marks lots no longer found; they stay in the index for the "Utgått" filter. */
export function indexVanished(db: Db, tomtIds: readonly string[], write: LotMapWrite): void {
  if (tomtIds.length === 0) return;
  const { vanish, bump } = statementsOf(db);
  for (const tomtId of tomtIds) vanish.run(write.runId, write.now, tomtId);
  bump.run(write.runId, write.now);
}

export function lotMapVersion(db: Db): LotMapVersion | null {
  return (
    (db
      .prepare(
        'SELECT generation, run_id AS runId, changed_at AS changedAt FROM lot_map_version WHERE id = 1',
      )
      .get() as LotMapVersion | undefined) ?? null
  );
}

interface StoredRow {
  tomtId: string;
  record: string;
  geometry: string;
  state: 'active' | 'vanished';
  lastRunId: number | null;
  changedAt: string;
}

/** Lots read per step of the backfill, so a national store is never held in memory at once. */
const BACKFILL_PAGE = 2000;

/** Indexes every lot already in the store (migration 20), vanished ones marked so. */
export function backfillLotMap(db: Db): void {
  const page = db.prepare(
    `SELECT tomt_id AS tomtId, record, geometry, state, last_run_id AS lastRunId, changed_at AS changedAt
     FROM lots WHERE tomt_id > ? ORDER BY tomt_id LIMIT ${BACKFILL_PAGE}`,
  );
  let after = '';
  for (let rows = page.all(after) as StoredRow[]; rows.length > 0; rows = page.all(after) as StoredRow[]) {
    for (const row of rows) {
      const record = {
        ...(JSON.parse(row.record) as Omit<LotRecord, 'geometry'>),
        geometry: JSON.parse(row.geometry) as AreaGeometry,
      };
      const write = { runId: row.lastRunId, now: row.changedAt };
      indexLots(db, [record], write);
      if (row.state === 'vanished') indexVanished(db, [record.tomtId], write);
    }
    after = rows.at(-1)!.tomtId;
  }
  // One version for the whole backfill: the newest change and the newest run the store knows.
  db.exec(`UPDATE lot_map_version SET generation = 1,
    run_id = (SELECT MAX(last_run_id) FROM lots), changed_at = (SELECT MAX(changed_at) FROM lots)`);
}
