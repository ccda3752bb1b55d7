import type { KommunePlanEvidence, PlanEvidenceReader } from '../scoring/kommune/plan-evidence.js';
import type { Db } from './database.js';

interface EvidenceRow {
  kommunenummer: string;
  run_date: string;
  years: number;
  recently_regulated_m2: number;
  reserve_m2: number;
}

/**
 * Keeps a kommune's plan evidence from a run that measured it (migration 250), replacing what an
 * earlier run kept: saving the same run twice leaves one row.
 */
export function savePlanEvidence(db: Db, evidence: KommunePlanEvidence, runId: number | null): void {
  db.prepare(
    `INSERT INTO kommune_plan_evidence (kommunenummer, run_id, run_date, years, recently_regulated_m2, reserve_m2)
     VALUES (@kommunenummer, @runId, @runDate, @years, @recentlyRegulatedM2, @reserveM2)
     ON CONFLICT (kommunenummer) DO UPDATE SET run_id = excluded.run_id, run_date = excluded.run_date,
       years = excluded.years, recently_regulated_m2 = excluded.recently_regulated_m2, reserve_m2 = excluded.reserve_m2`,
  ).run({ ...evidence, runId });
}

/** The kept plan evidence, for the kommune ranking. */
export function createPlanEvidenceStore(db: Db): PlanEvidenceReader {
  return {
    planEvidence() {
      const rows = db
        .prepare('SELECT * FROM kommune_plan_evidence ORDER BY kommunenummer')
        .all() as EvidenceRow[];
      return new Map(
        rows.map((row) => [
          row.kommunenummer,
          {
            kommunenummer: row.kommunenummer,
            runDate: row.run_date,
            years: row.years,
            recentlyRegulatedM2: row.recently_regulated_m2,
            reserveM2: row.reserve_m2,
          },
        ]),
      );
    },
  };
}
