import type { Db } from './database.js';

/** A kommune's plan areas as one run measured them. */
export interface PlanMeasure {
  /** The candidate zones (kommuneplan areas for housing). */
  zoneAreaM2: number;
  /** The part of them regulated land covers. */
  regulatedAreaM2: number;
}

/** A change held back as suspicious: the areas measured, why, and whether a person has accepted it. */
export interface SuspectChange extends PlanMeasure {
  kommunenummer: string;
  reason: string;
  runId: number | null;
  detectedAt: string;
  acceptedAt: string | null;
  acceptedBy: string | null;
}

interface SuspectRow {
  kommunenummer: string;
  zone_area_m2: number;
  regulated_area_m2: number;
  reason: string;
  run_id: number | null;
  detected_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
}

/** The areas of the kommune's last good run, or null before its first. */
export function lastGoodMeasure(db: Db, kommunenummer: string): PlanMeasure | null {
  const row = db
    .prepare('SELECT zone_area_m2, regulated_area_m2 FROM kommune_plan_measure WHERE kommunenummer = ?')
    .get(kommunenummer) as { zone_area_m2: number; regulated_area_m2: number } | undefined;
  return row ? { zoneAreaM2: row.zone_area_m2, regulatedAreaM2: row.regulated_area_m2 } : null;
}

export function saveGoodMeasure(
  db: Db,
  kommunenummer: string,
  measure: PlanMeasure,
  at: { runId: number; now: string },
): void {
  db.prepare(
    `INSERT INTO kommune_plan_measure (kommunenummer, zone_area_m2, regulated_area_m2, run_id, measured_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kommunenummer) DO UPDATE SET zone_area_m2 = excluded.zone_area_m2,
       regulated_area_m2 = excluded.regulated_area_m2, run_id = excluded.run_id, measured_at = excluded.measured_at`,
  ).run(kommunenummer, measure.zoneAreaM2, measure.regulatedAreaM2, at.runId, at.now);
}

/** Holds a change as suspicious; a change held again replaces the earlier one and is no longer accepted. */
export function holdSuspectChange(db: Db, change: Omit<SuspectChange, 'acceptedAt' | 'acceptedBy'>): void {
  db.prepare(
    `INSERT OR REPLACE INTO kommune_suspect_change
       (kommunenummer, zone_area_m2, regulated_area_m2, reason, run_id, detected_at, accepted_at, accepted_by)
     VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
  ).run(
    change.kommunenummer,
    change.zoneAreaM2,
    change.regulatedAreaM2,
    change.reason,
    change.runId,
    change.detectedAt,
  );
}

export function suspectChangeOf(db: Db, kommunenummer: string): SuspectChange | null {
  const row = db
    .prepare('SELECT * FROM kommune_suspect_change WHERE kommunenummer = ?')
    .get(kommunenummer) as SuspectRow | undefined;
  return row ? changeOf(row) : null;
}

/** The changes held and not yet accepted, for /health and the run summary. */
export function heldSuspectChanges(db: Db): SuspectChange[] {
  const rows = db
    .prepare('SELECT * FROM kommune_suspect_change WHERE accepted_at IS NULL ORDER BY kommunenummer')
    .all() as SuspectRow[];
  return rows.map(changeOf);
}

/** Marks the kommune's held change as accepted (the next run takes it); false when none is held. */
export function acceptSuspectChange(db: Db, kommunenummer: string, at: string, by: string | null): boolean {
  return (
    db
      .prepare(
        'UPDATE kommune_suspect_change SET accepted_at = ?, accepted_by = ? WHERE kommunenummer = ? AND accepted_at IS NULL',
      )
      .run(at, by, kommunenummer).changes > 0
  );
}

export function clearSuspectChange(db: Db, kommunenummer: string): void {
  db.prepare('DELETE FROM kommune_suspect_change WHERE kommunenummer = ?').run(kommunenummer);
}

function changeOf(row: SuspectRow): SuspectChange {
  return {
    kommunenummer: row.kommunenummer,
    zoneAreaM2: row.zone_area_m2,
    regulatedAreaM2: row.regulated_area_m2,
    reason: row.reason,
    runId: row.run_id,
    detectedAt: row.detected_at,
    acceptedAt: row.accepted_at,
    acceptedBy: row.accepted_by,
  };
}
