import type { Position } from '../../sync/src/domain/geometry.js';
import { mapPositions } from '../../sync/src/geo/crs.js';
import { lotCentreOf, type LotRecord } from '../../sync/src/lot-record/lot-record.js';
import type { Db } from '../../sync/src/store/database.js';
import { planLotChanges, type IncomingLot } from '../../sync/src/store/lot-changes.js';
import { applyLotChanges, knownLotsOf } from '../../sync/src/store/lots.js';

/** A record moved `east`/`north` metres into another kommune (ids, geometry and label point follow). */
export function movedRecord(
  record: LotRecord,
  move: { east: number; north: number; kommunenummer: string; kommuneNavn: string },
): LotRecord {
  const geometry = mapPositions(record.geometry, ([x, y]): Position => [x + move.east, y + move.north]);
  const matrikkelenheter = record.matrikkelenheter.map((m) => ({ ...m, kommunenummer: move.kommunenummer }));
  return {
    ...record,
    tomtId: record.tomtId.replace(/^\d{4}/, move.kommunenummer),
    kommunenummer: move.kommunenummer,
    kommuneNavn: move.kommuneNavn,
    matrikkelenheter,
    geometry,
    centre: lotCentreOf(geometry),
  };
}

/** Writes one kommune's run as the nightly job does: plan the changes, apply them in one transaction. */
export function writeKommuneRun(
  db: Db,
  kommunenummer: string,
  records: readonly LotRecord[],
  run: { runId: number; now: string; fingerprint?: (record: LotRecord) => string },
) {
  const incoming: IncomingLot[] = records.map((record) => ({
    record,
    fingerprint: run.fingerprint?.(record) ?? `${record.tomtId}:${record.score.total}`,
  }));
  const changes = planLotChanges(knownLotsOf(db, kommunenummer), incoming);
  db.transaction(() =>
    applyLotChanges(db, changes, { runId: run.runId, now: run.now, vanishReason: () => 'Regulert' }),
  )();
  return changes;
}
