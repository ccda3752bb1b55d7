import type { AirtableRules } from '../config/airtable-rules.js';
import { alertRulesSchema } from '../config/alert-rules.js';
import { AIRTABLE_RECORD_LIMIT_DEFAULT, NIGHTLY_MEMORY_BUDGET_MB_DEFAULT } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { AirtableClient, AirtableStats } from '../crm/airtable/client.js';
import type { PostgisMirror } from '../export/postgis/mirror.js';
import { copyStoreInMemory, type Db } from '../store/database.js';
import { createKommuneRankingStore } from '../store/kommune-ranking.js';
import { acquireRunLock, isProcessAlive, releaseRunLock } from '../store/run-lock.js';
import {
  emptyCounts,
  lastParcelCounts,
  recordKommuneResult,
  type KommuneCounts,
  type KommuneResult,
} from '../store/run-kommuner.js';
import { closeInterruptedRuns, finishRun, startRun, type RunStatus, type RunTrigger } from '../store/runs.js';
import { InputError, messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';
import { RunAlerting, type AlertReport } from './alerts/run-alerting.js';
import type { AlertWebhook } from './alerts/webhook.js';
import type { KommuneSelection } from './kommune-selection.js';
import { runBudget, type RecordBudgetReport, type RunBudget } from './nightly-budget.js';
import type { KommunePlan } from './nightly-kommune.js';
import { runKommuneLanes } from './nightly-lanes.js';
import { mayReadAhead } from './nightly-memory.js';
import { progressText, RunProgressTracker, type RunProgress } from './nightly-progress.js';
import type { PipelineStages } from './nightly-stages.js';

export type { KommunePlan } from './nightly-kommune.js';

export const RUN_LOCK = 'nightly';

export interface NightlyOptions {
  db: Db;
  stages: PipelineStages;
  kommuner: string[];
  /** Why each kommune is in (and which are out): shown in the log and the summary, kept with the run. */
  selection?: KommuneSelection;
  /** null: Airtable is not configured and the run keeps its results in the store only. */
  airtable: AirtableClient | null;
  /** The rule file; without `alerts`, the alert rules' defaults. */
  rules: Pick<Rules, 'engine' | 'airtable'> & Partial<Pick<Rules, 'alerts'>>;
  /** ALERT_WEBHOOK_URL set: each kommune's new alerts are posted there (not on a dry run). */
  alertWebhook?: AlertWebhook | null;
  /** POSTGIS_URL set: each kommune's lots, then the kommune scores, are mirrored there (not on a dry run). */
  postgis?: PostgisMirror | null;
  /** AIRTABLE_RECORD_LIMIT: records the base may hold, all tables together (default 50,000). */
  recordLimit?: number;
  timeZone: string;
  trigger: RunTrigger;
  /** Plan everything against a copy of the store and read Airtable, but write nothing. */
  dryRun?: boolean;
  /** Checked between kommuner: true stops the run after the current kommune (SIGTERM). */
  shouldStop?: () => boolean;
  /** The interrupted run this one continues (`kommuner` are then the ones it left). */
  resumes?: { runId: number; finished: string[] } | null;
  /** SUSPICIOUS_SHRINK_PERCENT (default 20): a kommune whose plan areas shrink more is held. */
  suspiciousShrinkPercent?: number;
  /** KOMMUNE_TIME_LIMIT_MINUTES (default 20). */
  kommuneTimeLimitMinutes?: number;
  /** NIGHTLY_MEMORY_BUDGET_MB (default 2,048): the next kommune is read ahead only below it. */
  memoryBudgetMb?: number;
  /** Bytes the process holds (default: its resident set); injectable for tests. */
  memoryInUse?: () => number;
  /** Told whenever a kommune moves on a stage, for `/health`; null once the run has ended. */
  onProgress?: (progress: RunProgress | null) => void;
  logger: Logger;
  progress?: Progress;
  now?: () => Date;
}

export interface RunSummary {
  runId: number | null;
  status: Exclude<RunStatus, 'running'>;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  airtable: boolean;
  kommuner: KommuneResult[];
  /** Why each kommune is in and which were left out; null when the caller gave no reasons. */
  selection: KommuneSelection | null;
  totals: KommuneCounts;
  airtableRequests: number;
  airtableWriteRequests: number;
  rateLimited: number;
  /** Dry run only: what would be written to Airtable, per kommune. */
  plans: KommunePlan[];
  /** Which lots go to Airtable (the rule file's `airtable`); null without Airtable. */
  airtablePolicy: AirtableRules | null;
  /** How full the base is, and the kommuner whose new lots were held back; null without Airtable. */
  airtableBudget: RecordBudgetReport | null;
  /** The interrupted run this one continued, and the kommuner that run had finished. */
  resumes: { runId: number; finished: string[] } | null;
  /** The PostGIS mirror's part: rows written for lots and kommune scores; null without POSTGIS_URL or on a dry run. */
  postgis: PostgisReport | null;
  /** The change alerts found, kept and delivered, and any alert step that failed (docs/alerts.md). */
  alerts: AlertReport | null;
}

export interface PostgisReport {
  target: string;
  lotRows: number;
  kommuneRows: number;
  /** Why the kommune scores could not be mirrored (a kommune's failure is with the kommune). */
  error: string | null;
}

/**
 * The nightly job: for each kommune, load data → find lots → score → store → Airtable, the next
 * kommune read while the current one computes and Airtable synced behind it (`nightly-lanes.ts`).
 * A kommune that fails (or goes over its time limit) keeps its last good lots and never stops the
 * others; each kommune's store changes are one transaction; Airtable is brought in step from the
 * store, so an interrupted run is completed by the next one, and a resumed run (`resumes`) does
 * only the kommuner the interrupted one left.
 */
export async function runNightly(options: NightlyOptions): Promise<RunSummary> {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const dryRun = options.dryRun ?? false;
  // A dry run works on a private copy of the store: the same code path, nothing kept.
  const db = dryRun ? copyStoreInMemory(options.db) : options.db;
  const startedAt = now();
  if (!dryRun) takeRunLock(db, startedAt);
  const statsBefore = options.airtable?.stats();
  const budget = budgetOf(options, db, now);
  const resumes = options.resumes ?? null;
  const runId = startRun(db, {
    startedAt,
    trigger: options.trigger,
    airtable: Boolean(options.airtable),
    kommuner: options.kommuner,
    resumes: resumes?.runId,
  });
  logStart(options, dryRun ? null : runId);
  const alerts = runAlerting(options, db, runId, budget, now);
  const tracker = progressTracker(db, runId, options);
  const results: KommuneResult[] = [];
  const plans: KommunePlan[] = [];
  let summary: RunSummary | undefined;
  let postgis: PostgisReport | null = null;
  try {
    await runKommuneLanes(
      options.kommuner,
      (kommunenummer) => ({ db, runId, kommunenummer, options, budget, alerts, now }),
      {
        shouldStop: () => options.shouldStop?.() === true,
        mayReadAhead: readAheadCheck(options, tracker.parcels),
        onStage(kommunenummer, stage) {
          tracker.progress.stage(kommunenummer, stage);
          options.onProgress?.(tracker.progress.snapshot());
        },
        onLoaded: (loaded) => tracker.progress.sized(loaded.run.kommunenummer, loaded.result.counts.parcels),
        onResult(result, plan) {
          recordKommuneResult(db, runId, result);
          results.push(result);
          if (plan) plans.push(plan);
          tracker.progress.finish(result);
          const progress = tracker.progress.snapshot();
          options.onProgress?.(progress);
          logKommune(options.logger, result, reasonsOf(options.selection, result.kommunenummer), progress);
        },
        now,
      },
    );
    postgis = dryRun ? null : await mirrorKommuneScores(db, options);
    await alerts.ranking(startedAt);
  } finally {
    options.onProgress?.(null);
    summary = summaryOf({
      runId: dryRun ? null : runId,
      startedAt,
      finishedAt: now(),
      dryRun,
      results,
      plans,
      selection: options.selection ?? null,
      airtable: options.airtable ? airtableCounts(statsBefore, options.airtable.stats()) : null,
      policy: options.airtable ? options.rules.airtable : null,
      budget: budget?.report() ?? null,
      resumes,
      postgis,
      alerts: alerts.report(),
    });
    if (summary.airtableBudget?.warning) options.logger.warn(summary.airtableBudget.warning);
    finishRun(db, runId, {
      finishedAt: summary.finishedAt,
      status: summary.status,
      airtableRequests: summary.airtableRequests,
      summary: { ...summary, plans: undefined },
    });
    if (dryRun) db.close();
    else releaseRunLock(db, RUN_LOCK);
  }
  return summary;
}

/**
 * The newest kommune ranking into the PostGIS mirror (after the kommuner, whose lots went in one
 * by one). A failure is reported in the summary and the log; it never fails the run's lots.
 */
async function mirrorKommuneScores(db: Db, options: NightlyOptions): Promise<PostgisReport | null> {
  const mirror = options.postgis;
  if (!mirror) return null;
  const report: PostgisReport = { target: mirror.target, lotRows: 0, kommuneRows: 0, error: null };
  const ranking = createKommuneRankingStore(db).latestRanking();
  if (!ranking) return report;
  try {
    const write = await mirror.mirrorKommuner(
      ranking.kommuner.map((k) => ({
        kommunenummer: k.kommune.kommunenummer,
        navn: k.kommune.navn,
        fylkesnummer: k.kommune.fylkesnummer,
        fylkesnavn: k.kommune.fylkesnavn,
        score: k.score,
        rank: k.rank,
        top: k.top,
        confidence: k.confidence,
        weightShare: k.weightShare,
        population: k.population,
      })),
    );
    report.kommuneRows = write.written + write.deleted;
  } catch (error) {
    report.error = messageOf(error);
    options.logger.error('Kommune scores were not mirrored to PostGIS', { error: report.error });
  }
  return report;
}

function progressTracker(db: Db, runId: number, options: NightlyOptions) {
  const parcels = lastParcelCounts(db);
  const progress = new RunProgressTracker({
    runId,
    resumes: options.resumes?.runId ?? null,
    kommuner: options.kommuner,
    alreadyDone: options.resumes?.finished.length ?? 0,
    knownParcels: parcels,
  });
  return { progress, parcels };
}

/** The memory budget's say on reading the next kommune ahead (NIGHTLY_MEMORY_BUDGET_MB). */
function readAheadCheck(options: NightlyOptions, parcels: Map<string, number>) {
  const inUse = options.memoryInUse ?? (() => process.memoryUsage.rss());
  const budget = (options.memoryBudgetMb ?? NIGHTLY_MEMORY_BUDGET_MB_DEFAULT) * 1024 * 1024;
  let heldBack = false;
  return (kommunenummer: string) => {
    const known = [...parcels.values()];
    const check = {
      inUse: inUse(),
      budget,
      parcels: parcels.get(kommunenummer) ?? null,
      meanParcels: known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0,
    };
    const may = mayReadAhead(check);
    if (!may && !heldBack)
      options.logger.info(
        'Reading the next kommune ahead waits: the process is near NIGHTLY_MEMORY_BUDGET_MB',
        {
          kommune: kommunenummer,
          inUseMb: Math.round(check.inUse / 1024 / 1024),
          budgetMb: Math.round(budget / 1024 / 1024),
        },
      );
    heldBack ||= !may;
    return may;
  };
}

function runAlerting(
  options: NightlyOptions,
  db: Db,
  runId: number,
  budget: RunBudget | null,
  now: () => string,
): RunAlerting {
  return new RunAlerting({
    db,
    runId,
    airtable: options.airtable,
    webhook: options.alertWebhook ?? null,
    rules: options.rules.alerts ?? alertRulesSchema.parse({}),
    timeZone: options.timeZone,
    ...(budget ? { admitRecords: (table: string, n: number) => budget.admitRecords(table, n) } : {}),
    dryRun: options.dryRun ?? false,
    logger: options.logger,
    now,
  });
}

function budgetOf(options: NightlyOptions, db: Db, now: () => string): RunBudget | null {
  if (!options.airtable) return null;
  return runBudget({
    client: options.airtable,
    db,
    limit: options.recordLimit ?? AIRTABLE_RECORD_LIMIT_DEFAULT,
    now,
    logger: options.logger,
  });
}

function takeRunLock(db: Db, at: string): void {
  const lock = acquireRunLock(db, RUN_LOCK, { now: at });
  if (!lock.acquired)
    throw new InputError(
      'nightly run',
      `another run is in progress (process ${lock.holder.pid} on ${lock.holder.host} since ${lock.holder.acquiredAt})`,
    );
  closeInterruptedRuns(db, isProcessAlive, at);
}

function logStart(options: NightlyOptions, runId: number | null): void {
  if (!options.airtable)
    options.logger.info(
      'Airtable is not configured (AIRTABLE_TOKEN, AIRTABLE_BASE_ID): results are kept in the store only',
    );
  options.logger.info(`${options.dryRun ? 'Dry run' : 'Run'} started`, {
    run: runId ?? undefined,
    kommuner: options.kommuner.join(','),
  });
}

function reasonsOf(selection: KommuneSelection | undefined, kommunenummer: string): string | undefined {
  return selection?.kommuner.find((k) => k.kommunenummer === kommunenummer)?.reasons.join(', ');
}

function logKommune(
  logger: Logger,
  result: KommuneResult,
  why: string | undefined,
  progress: RunProgress,
): void {
  const c = result.counts;
  if (result.outcome === 'ok')
    logger.info(`Kommune ${result.kommunenummer} done (${progressText(progress)})`, {
      why,
      lots: c.lotsFound,
      new: c.lotsNew,
      changed: c.lotsChanged,
      vanished: c.lotsVanished,
      airtableCreated: c.airtableCreated,
      airtableUpdated: c.airtableUpdated,
    });
  else if (result.outcome === 'failed')
    logger.error(
      `Kommune ${result.kommunenummer} failed at ${result.failedStage} (${progressText(progress)})`,
      {
        why,
        error: result.error,
      },
    );
}

function summaryOf(parts: {
  runId: number | null;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  results: KommuneResult[];
  plans: KommunePlan[];
  selection: KommuneSelection | null;
  airtable: AirtableCounts | null;
  policy: AirtableRules | null;
  budget: RecordBudgetReport | null;
  resumes: RunSummary['resumes'];
  postgis: PostgisReport | null;
  alerts: AlertReport | null;
}): RunSummary {
  return {
    runId: parts.runId,
    status: statusOf(parts.results),
    startedAt: parts.startedAt,
    finishedAt: parts.finishedAt,
    dryRun: parts.dryRun,
    airtable: parts.airtable !== null,
    kommuner: parts.results,
    selection: parts.selection,
    totals: totalsOf(parts.results),
    ...(parts.airtable ?? { airtableRequests: 0, airtableWriteRequests: 0, rateLimited: 0 }),
    plans: parts.plans,
    airtablePolicy: parts.policy,
    airtableBudget: parts.budget,
    resumes: parts.resumes,
    postgis: parts.postgis && { ...parts.postgis, lotRows: totalsOf(parts.results).postgisWritten },
    alerts: parts.alerts,
  };
}

type AirtableCounts = Pick<RunSummary, 'airtableRequests' | 'airtableWriteRequests' | 'rateLimited'>;

function airtableCounts(before: AirtableStats | undefined, after: AirtableStats): AirtableCounts {
  return {
    airtableRequests: after.requests - (before?.requests ?? 0),
    airtableWriteRequests: after.writeRequests - (before?.writeRequests ?? 0),
    rateLimited: after.rateLimited - (before?.rateLimited ?? 0),
  };
}

function statusOf(results: KommuneResult[]): Exclude<RunStatus, 'running'> {
  if (results.some((r) => r.outcome === 'skipped')) return 'interrupted';
  const failed = results.filter((r) => r.outcome === 'failed').length;
  if (failed === 0) return 'ok';
  return failed === results.length ? 'failed' : 'partial';
}

function totalsOf(results: KommuneResult[]): KommuneCounts {
  const totals = emptyCounts();
  for (const result of results)
    for (const key of Object.keys(totals) as Array<keyof KommuneCounts>) totals[key] += result.counts[key];
  return totals;
}
