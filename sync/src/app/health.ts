import { AIRTABLE_RECORD_LIMIT_DEFAULT } from '../config/env.js';
import { budgetLevel, budgetWarning } from '../crm/budget/record-budget.js';
import type { HealthReport } from '../server/health.js';
import { lastRecordCount } from '../store/airtable-record-count.js';
import type { Db } from '../store/database.js';
import { countLots } from '../store/lots.js';
import { kommuneResultsOf } from '../store/run-kommuner.js';
import type { RunProgress } from '../jobs/nightly-progress.js';
import { SUSPICIOUS_CHANGE } from '../jobs/plan-shrink-guard.js';
import { heldSuspectChanges, type SuspectChange } from '../store/plan-shrink-guard.js';
import { isProcessAlive } from '../store/run-lock.js';
import { deadRuns, lastRun, type RunRow } from '../store/runs.js';
import type { ScheduledJob } from './scheduled-job.js';
import type { ServicePart } from './service.js';

/**
 * What `/health` answers: whether the store is reachable, the last finished nightly run and how
 * each kommune fared, the running run's progress and ETA (`run`), runs left running by a dead
 * process (`stuckRuns`, degraded), kommuner held as "mistenkelig endring" (`suspiciousChanges`,
 * degraded), each scheduled job's state, each part's health under its name,
 * and how full the Airtable base was at its last count (with the warning at 80 % of
 * AIRTABLE_RECORD_LIMIT).
 */
export function healthReport(input: {
  db: Db;
  airtable: boolean;
  /** AIRTABLE_RECORD_LIMIT. */
  recordLimit?: number;
  nightly: ScheduledJob;
  /** Where the running nightly run is (kommuner done, in flight, ETA); null between runs. */
  runProgress?: () => RunProgress | null;
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
  // A run left "running" by a process that is gone will never finish: not ok until it is resumed.
  const stuck = deadRuns(input.db, isProcessAlive).map(stuckRunOf);
  const suspicious = heldSuspectChanges(input.db).map(suspiciousChangeOf);
  const records = input.airtable
    ? airtableRecordsOf(input.db, input.recordLimit ?? AIRTABLE_RECORD_LIMIT_DEFAULT)
    : null;
  const parts = Object.fromEntries(input.parts.filter((p) => p.health).map((p) => [p.name, p.health!()]));
  // A part that cannot do its work (the owner lookup on a full disk) makes the service degraded.
  const partDegraded = Object.values(parts).some(
    (h) => (h as { state?: unknown } | null)?.state === 'degraded',
  );
  return {
    httpStatus: 200,
    body: {
      // A full base is degraded too: new lots no longer reach the team.
      status:
        (run !== null && run.status !== 'ok') ||
        records?.level === 'full' ||
        stuck.length > 0 ||
        suspicious.length > 0 ||
        partDegraded
          ? 'degraded'
          : 'ok',
      store: 'ok',
      airtable: input.airtable ? 'configured' : 'not configured (store only)',
      ...(records ? { airtableRecords: records, warnings: records.warning ? [records.warning] : [] } : {}),
      running: nightly.running,
      run: input.runProgress?.() ?? null,
      ...(stuck.length ? { stuckRuns: stuck } : {}),
      ...(suspicious.length ? { suspiciousChanges: suspicious } : {}),
      stopping: nightly.stopping,
      nextRun: nightly.nextRun,
      lots: countLots(input.db),
      jobs: Object.fromEntries(input.jobs.map((job) => [job.name, job.status()])),
      ...parts,
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

/** A kommune held as "mistenkelig endring": its lots are the last good run's until someone accepts. */
function suspiciousChangeOf(change: SuspectChange) {
  return {
    kommunenummer: change.kommunenummer,
    marked: SUSPICIOUS_CHANGE,
    reason: change.reason,
    heldSince: change.detectedAt,
    runId: change.runId,
    accept: `tomtejakt accept --kommune ${change.kommunenummer}`,
  };
}

function stuckRunOf(run: RunRow) {
  return {
    id: run.id,
    pid: run.pid,
    startedAt: run.startedAt,
    problem: `run ${run.id} is marked running but its process ${run.pid ?? '(unknown)'} is gone; the next start of the service resumes it`,
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
