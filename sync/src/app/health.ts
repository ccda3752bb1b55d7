import type { HealthReport } from '../server/health.js';
import type { Db } from '../store/database.js';
import { countLots } from '../store/lots.js';
import { kommuneResultsOf } from '../store/run-kommuner.js';
import { lastRun } from '../store/runs.js';
import type { ScheduledJob } from './scheduled-job.js';
import type { ServicePart } from './service.js';

/**
 * What `/health` answers: whether the store is reachable, the last finished nightly run and how
 * each kommune fared, each scheduled job's state, and each part's health under its name.
 */
export function healthReport(input: {
  db: Db;
  airtable: boolean;
  nightly: ScheduledJob;
  jobs: ScheduledJob[];
  parts: ServicePart[];
}): HealthReport {
  try {
    input.db.prepare('SELECT 1').get();
  } catch (error) {
    return { httpStatus: 503, body: { status: 'down', store: `unreachable: ${(error as Error).message}` } };
  }
  const run = lastRun(input.db, { finishedOnly: true });
  const nightly = input.nightly.status();
  return {
    httpStatus: 200,
    body: {
      status: run !== null && run.status !== 'ok' ? 'degraded' : 'ok',
      store: 'ok',
      airtable: input.airtable ? 'configured' : 'not configured (store only)',
      running: nightly.running,
      stopping: nightly.stopping,
      nextRun: nightly.nextRun,
      lots: countLots(input.db),
      jobs: Object.fromEntries(input.jobs.map((job) => [job.name, job.status()])),
      ...Object.fromEntries(input.parts.filter((p) => p.health).map((p) => [p.name, p.health!()])),
      lastRun: run && lastRunOf(input.db, run),
    },
  };
}

function lastRunOf(db: Db, run: NonNullable<ReturnType<typeof lastRun>>) {
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: run.status,
    airtableRequests: run.airtableRequests,
    kommuner: kommuneResultsOf(db, run.id).map((k) => ({
      kommunenummer: k.kommunenummer,
      kommune: k.kommuneNavn,
      outcome: k.outcome,
      failedStage: k.failedStage,
      error: k.error,
      lots: k.counts.lotsFound,
    })),
  };
}
