import type { Db } from './database.js';
import { kommuneResultsOf } from './run-kommuner.js';
import { lastRun } from './runs.js';

/** What a resumed run continues: the interrupted run, the kommuner it finished, those left, in order. */
export interface ResumableRun {
  runId: number;
  startedAt: string;
  finished: string[];
  remaining: string[];
}

/**
 * The last run, when it was interrupted (killed and closed, or stopped) before every kommune in
 * its list had an outcome. A kommune that finished (ok or failed) is never redone; one that was
 * skipped or never reached is left. Runs from before the kommune list was kept cannot be resumed.
 */
export function resumableRun(db: Db): ResumableRun | null {
  const run = lastRun(db);
  if (!run || run.status !== 'interrupted' || !run.kommuner) return null;
  const finished = new Set(
    kommuneResultsOf(db, run.id)
      .filter((k) => k.outcome !== 'skipped')
      .map((k) => k.kommunenummer),
  );
  const remaining = run.kommuner.filter((k) => !finished.has(k));
  if (remaining.length === 0) return null;
  return {
    runId: run.id,
    startedAt: run.startedAt,
    finished: run.kommuner.filter((k) => finished.has(k)),
    remaining,
  };
}
