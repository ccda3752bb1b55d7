import type { AirtableRules } from '../config/airtable-rules.js';
import { AIRTABLE_RECORD_LIMIT_DEFAULT } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { AirtableClient, AirtableStats } from '../crm/airtable/client.js';
import { copyStoreInMemory, type Db } from '../store/database.js';
import { acquireRunLock, isProcessAlive, releaseRunLock } from '../store/run-lock.js';
import {
  emptyCounts,
  recordKommuneResult,
  type KommuneCounts,
  type KommuneResult,
} from '../store/run-kommuner.js';
import { closeInterruptedRuns, finishRun, startRun, type RunStatus, type RunTrigger } from '../store/runs.js';
import { InputError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';
import type { KommuneSelection } from './kommune-selection.js';
import { runBudget, type RecordBudgetReport, type RunBudget } from './nightly-budget.js';
import { runKommune, skippedKommune, type KommunePlan } from './nightly-kommune.js';
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
  rules: Pick<Rules, 'engine' | 'airtable'>;
  /** AIRTABLE_RECORD_LIMIT: records the base may hold, all tables together (default 50,000). */
  recordLimit?: number;
  timeZone: string;
  trigger: RunTrigger;
  /** Plan everything against a copy of the store and read Airtable, but write nothing. */
  dryRun?: boolean;
  /** Checked between kommuner: true stops the run after the current kommune (SIGTERM). */
  shouldStop?: () => boolean;
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
}

/**
 * The nightly job: for each kommune, load data → find lots → score → store → Airtable. A kommune
 * that fails keeps its last good lots and never stops the others; each kommune's store changes
 * are one transaction; Airtable is brought in step from the store, so an interrupted run is
 * completed by the next one.
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
  const runId = startRun(db, { startedAt, trigger: options.trigger, airtable: Boolean(options.airtable) });
  logStart(options, dryRun ? null : runId);
  const results: KommuneResult[] = [];
  const plans: KommunePlan[] = [];
  let summary: RunSummary | undefined;
  try {
    for (const kommunenummer of options.kommuner) {
      const stopped = results.some((r) => r.outcome === 'skipped') || options.shouldStop?.() === true;
      const { result, plan } = stopped
        ? { result: skippedKommune(kommunenummer, now()), plan: null }
        : await runKommune({ db, runId, kommunenummer, options, budget, now });
      recordKommuneResult(db, runId, result);
      results.push(result);
      if (plan) plans.push(plan);
      logKommune(options.logger, result, reasonsOf(options.selection, kommunenummer));
    }
  } finally {
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

function logKommune(logger: Logger, result: KommuneResult, why: string | undefined): void {
  const c = result.counts;
  if (result.outcome === 'ok')
    logger.info(`Kommune ${result.kommunenummer} done`, {
      why,
      lots: c.lotsFound,
      new: c.lotsNew,
      changed: c.lotsChanged,
      vanished: c.lotsVanished,
      airtableCreated: c.airtableCreated,
      airtableUpdated: c.airtableUpdated,
    });
  else if (result.outcome === 'failed')
    logger.error(`Kommune ${result.kommunenummer} failed at ${result.failedStage}`, {
      why,
      error: result.error,
    });
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
