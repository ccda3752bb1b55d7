import { AIRTABLE_RECORD_LIMIT_DEFAULT } from '../config/env.js';
import { budgetLevel, budgetWarning } from '../crm/budget/record-budget.js';
import type { HealthReport } from '../server/health.js';
import { lastRecordCount } from '../store/airtable-record-count.js';
import type { Db } from '../store/database.js';
import { countLots } from '../store/lots.js';
import { kommuneResultsOf } from '../store/run-kommuner.js';
import { lastRun } from '../store/runs.js';
import type { ScheduledJob } from './scheduled-job.js';
import type { ServicePart } from './service.js';

/**
 * What `/health` answers: whether the store is reachable, the last finished nightly run and how
 * each kommune fared, each scheduled job's state, each part's health under its name, and how full
 * the Airtable base was at its last count (with the warning at 80 % of AIRTABLE_RECORD_LIMIT).
 */
export function healthReport(input: {
  db: Db;
  airtable: boolean;
  /** AIRTABLE_RECORD_LIMIT. */
  recordLimit?: number;
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
  const records = input.airtable
    ? airtableRecordsOf(input.db, input.recordLimit ?? AIRTABLE_RECORD_LIMIT_DEFAULT)
    : null;
  return {
    httpStatus: 200,
    body: {
      // A full base is degraded too: new lots no longer reach the team.
      status: (run !== null && run.status !== 'ok') || records?.level === 'full' ? 'degraded' : 'ok',
      store: 'ok',
      airtable: input.airtable ? 'configured' : 'not configured (store only)',
      ...(records ? { airtableRecords: records, warnings: records.warning ? [records.warning] : [] } : {}),
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

/** The base's records at the last count (kept in the store between runs) against the limit. */
function airtableRecordsOf(db: Db, limit: number) {
  const count = lastRecordCount(db);
  if (!count)
    return {
      limit,
      records: null,
      level: null,
      warning: null,
      note: 'not counted yet: a run counts the base before it creates records',
    };
  return {
    limit,
    records: count.total,
    percent: Math.round((count.total / limit) * 1000) / 10,
    level: budgetLevel(count.total, limit),
    countedAt: count.countedAt,
    tables: count.tables,
    warning: budgetWarning(count, limit),
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
