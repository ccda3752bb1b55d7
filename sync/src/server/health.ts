import type { Db } from '../store/database.js';
import { countLots } from '../store/lots.js';
import { kommuneResultsOf } from '../store/run-kommuner.js';
import { lastRun } from '../store/runs.js';

export interface ServiceState {
  running: boolean;
  stopping: boolean;
  airtable: boolean;
  nextRun: string | null;
  /** Health of parts added to the service (e.g. `ownerLookup`), shown under their names. */
  parts?: Record<string, unknown>;
}

/**
 * What `/health` answers: whether the store is reachable, the last finished run and how each
 * kommune fared, whether a run is going now and when the next one is due.
 */
export function healthOf(db: Db, state: ServiceState) {
  try {
    db.prepare('SELECT 1').get();
  } catch (error) {
    return { httpStatus: 503, body: { status: 'down', store: `unreachable: ${(error as Error).message}` } };
  }
  const run = lastRun(db, { finishedOnly: true });
  const kommuner = run ? kommuneResultsOf(db, run.id) : [];
  const degraded = run !== null && run.status !== 'ok';
  return {
    httpStatus: 200,
    body: {
      status: degraded ? 'degraded' : 'ok',
      store: 'ok',
      airtable: state.airtable ? 'configured' : 'not configured (store only)',
      running: state.running,
      stopping: state.stopping,
      nextRun: state.nextRun,
      lots: countLots(db),
      ...state.parts,
      lastRun: run && {
        id: run.id,
        trigger: run.trigger,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        status: run.status,
        airtableRequests: run.airtableRequests,
        kommuner: kommuner.map((k) => ({
          kommunenummer: k.kommunenummer,
          kommune: k.kommuneNavn,
          outcome: k.outcome,
          failedStage: k.failedStage,
          error: k.error,
          lots: k.counts.lotsFound,
        })),
      },
    },
  };
}
