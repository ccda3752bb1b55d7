import type { Db } from './database.js';

/** Which lots the bulk job may look up now. */
export interface BulkCandidateFilter {
  tiers: readonly string[];
  /** Kommuner whose Prioritet is "Ikke aktuell". */
  skipKommuner: readonly string[];
  /** A lot whose last successful lookup finished before this (ISO) is looked up again. */
  staleBefore: string;
  /** A lot whose last lookup failed after this (ISO) waits (a lot not in the Matrikkel must not eat the budget). */
  failedAfter: string;
  limit: number;
}

/**
 * Active lots of the tiers asked for, best tier and score first, that have no owners yet or whose
 * last successful lookup is stale, leaving out lots with a lookup queued or running, lots whose
 * lookup failed recently, lots of skipped kommuner, and lots under retention (the team marked them
 * "Ikke aktuell", or they vanished): their owner data is being erased, not refreshed.
 */
export function bulkCandidates(db: Db, filter: BulkCandidateFilter): string[] {
  const rows = db
    .prepare(
      `SELECT l.tomt_id AS tomtId FROM lots l
       WHERE l.state = 'active'
         AND l.tier IN (SELECT value FROM json_each(@tiers))
         AND l.kommunenummer NOT IN (SELECT value FROM json_each(@skip))
         AND NOT EXISTS (SELECT 1 FROM owner_retention_marks m WHERE m.tomt_id = l.tomt_id)
         AND NOT EXISTS (
           SELECT 1 FROM owner_lookup_jobs j WHERE j.tomt_id = l.tomt_id AND (
             j.state IN ('queued', 'running')
             OR (j.state = 'done' AND j.finished_at >= @staleBefore)
             OR (j.state IN ('failed', 'not-configured') AND j.finished_at >= @failedAfter)))
       ORDER BY l.tier, l.score DESC, l.tomt_id
       LIMIT @limit`,
    )
    .all({
      tiers: JSON.stringify(filter.tiers),
      skip: JSON.stringify(filter.skipKommuner),
      staleBefore: filter.staleBefore,
      failedAfter: filter.failedAfter,
      limit: filter.limit,
    }) as Array<{ tomtId: string }>;
  return rows.map((r) => r.tomtId);
}

/**
 * What the bulk job has spent since `since` (ISO): the times its lookups ran their Matrikkel calls
 * (one audited call line each, retries included), and how many of its lookups wait in the queue
 * (each will make at least one run of calls).
 */
export function bulkSpending(db: Db, since: string): { callTimes: string[]; queued: number } {
  const bulkJobs = `SELECT job_id FROM owner_lookup_requests WHERE via = 'bulk'`;
  const callTimes = (
    db
      .prepare(`SELECT at FROM owner_lookup_calls WHERE at >= ? AND job_id IN (${bulkJobs}) ORDER BY at`)
      .all(since) as Array<{ at: string }>
  ).map((r) => r.at);
  const { n } = db
    .prepare(`SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state = 'queued' AND id IN (${bulkJobs})`)
    .get() as { n: number };
  return { callTimes, queued: n };
}
