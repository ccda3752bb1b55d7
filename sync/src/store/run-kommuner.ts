import type { Db } from './database.js';

export type KommuneOutcome = 'ok' | 'failed' | 'skipped';
/**
 * Where a kommune's run failed; `guard` is a suspicious change held back ("mistenkelig endring"),
 * `internal` an error outside every stage (a bug, reported, never fatal to the run).
 */
export type PipelineStage =
  'load' | 'find' | 'guard' | 'score' | 'store' | 'airtable' | 'postgis' | 'internal';

/** What one kommune's part of a run did: lots in the store and writes to Airtable. */
export interface KommuneCounts {
  /** Parcels (teiger) read: the kommune's size, which the next run's ETA weighs it by. */
  parcels: number;
  /** 1 when the kommune's inputs were those of its stored lots: nothing was read or computed. */
  inputsUnchanged: number;
  lotsFound: number;
  lotsNew: number;
  lotsChanged: number;
  lotsUnchanged: number;
  lotsVanished: number;
  lotsRevived: number;
  airtableCreated: number;
  airtableUpdated: number;
  airtableUnchanged: number;
  airtableMarkedGone: number;
  airtableFailed: number;
  airtableRequests: number;
  /** Lots below the Airtable policy with no record: kept out of Airtable (store and map only). */
  airtableLeftOut: number;
  /** Lots below the policy whose record stays, marked "Under terskel". */
  airtableMarkedBelow: number;
  /** New lots not created because they did not fit under the base's record ceiling. */
  airtableHeldBack: number;
  /** Rows the PostGIS mirror wrote or deleted for the kommune (0: it was in step, or there is none). */
  postgisWritten: number;
}

export const emptyCounts = (): KommuneCounts => ({
  parcels: 0,
  inputsUnchanged: 0,
  lotsFound: 0,
  lotsNew: 0,
  lotsChanged: 0,
  lotsUnchanged: 0,
  lotsVanished: 0,
  lotsRevived: 0,
  airtableCreated: 0,
  airtableUpdated: 0,
  airtableUnchanged: 0,
  airtableMarkedGone: 0,
  airtableFailed: 0,
  airtableRequests: 0,
  airtableLeftOut: 0,
  airtableMarkedBelow: 0,
  airtableHeldBack: 0,
  postgisWritten: 0,
});

export interface KommuneResult {
  kommunenummer: string;
  kommuneNavn: string | null;
  outcome: KommuneOutcome;
  failedStage: PipelineStage | null;
  error: string | null;
  startedAt: string;
  finishedAt: string;
  counts: KommuneCounts;
}

export function recordKommuneResult(db: Db, runId: number, result: KommuneResult): void {
  db.prepare(
    `INSERT OR REPLACE INTO run_kommuner
       (run_id, kommunenummer, kommune_navn, outcome, failed_stage, error, started_at, finished_at, counts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    result.kommunenummer,
    result.kommuneNavn,
    result.outcome,
    result.failedStage,
    result.error,
    result.startedAt,
    result.finishedAt,
    JSON.stringify(result.counts),
  );
}

/**
 * A run's kommuner in the run's own order (its list, as the team chose or ranked them), not by
 * start time: kommuner run concurrently and two can start in the same millisecond. Runs from before
 * the list was kept go by start time, then kommunenummer.
 */
export function kommuneResultsOf(db: Db, runId: number): KommuneResult[] {
  const rows = db
    .prepare(
      `SELECT rk.*,
              (SELECT MIN(planned.key) FROM runs r, json_each(r.kommuner) planned
                WHERE r.id = rk.run_id AND planned.value = rk.kommunenummer) AS place
         FROM run_kommuner rk
        WHERE rk.run_id = ?
        ORDER BY place IS NULL, place, rk.started_at, rk.kommunenummer`,
    )
    .all(runId) as Array<{
    kommunenummer: string;
    kommune_navn: string | null;
    outcome: KommuneOutcome;
    failed_stage: PipelineStage | null;
    error: string | null;
    started_at: string;
    finished_at: string;
    counts: string;
  }>;
  return rows.map((row) => ({
    kommunenummer: row.kommunenummer,
    kommuneNavn: row.kommune_navn,
    outcome: row.outcome,
    failedStage: row.failed_stage,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: { ...emptyCounts(), ...(JSON.parse(row.counts) as Partial<KommuneCounts>) },
  }));
}

/** Each kommune's parcel count at its latest run that read it (for an ETA before its data is read). */
export function lastParcelCounts(db: Db): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT kommunenummer, json_extract(counts, '$.parcels') AS parcels
         FROM run_kommuner
        WHERE json_extract(counts, '$.parcels') > 0
        ORDER BY run_id`,
    )
    .all() as Array<{ kommunenummer: string; parcels: number }>;
  return new Map(rows.map((row) => [row.kommunenummer, row.parcels]));
}

/** The kommune's name and size at its latest run that went through. */
export function lastKommuneOk(
  db: Db,
  kommunenummer: string,
): { kommuneNavn: string | null; parcels: number } | null {
  const row = db
    .prepare(
      `SELECT kommune_navn AS kommuneNavn, json_extract(counts, '$.parcels') AS parcels
         FROM run_kommuner WHERE kommunenummer = ? AND outcome = 'ok' ORDER BY run_id DESC LIMIT 1`,
    )
    .get(kommunenummer) as { kommuneNavn: string | null; parcels: number | null } | undefined;
  return row ? { kommuneNavn: row.kommuneNavn, parcels: row.parcels ?? 0 } : null;
}
