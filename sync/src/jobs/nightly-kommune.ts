import type { KommuneData } from '../domain/kommune.js';
import type { ScoredLot } from '../domain/lot.js';
import { writeKommuneDataWarning } from '../crm/kommune-data-warning.js';
import { syncKommuneLots, type KommuneLotSync } from '../crm/tomter/tomter-sync.js';
import type { TableSyncResult } from '../crm/sync/table-sync.js';
import { lotFingerprint } from '../lot-record/fingerprint.js';
import { lotRecordOf } from '../lot-record/lot-record.js';
import { syncedRecordStore } from '../store/airtable-records.js';
import type { Db } from '../store/database.js';
import { saveInputVersion, storedInputVersion, touchKommuneLots } from '../store/kommune-inputs.js';
import { savePlanEvidence } from '../store/kommune-plan-evidence.js';
import { planLotChanges, type LotChanges } from '../store/lot-changes.js';
import { applyLotChanges, getLot, knownLotsOf, lotsOfKommune, type StoredLot } from '../store/lots.js';
import { clearSuspectChange, saveGoodMeasure, type PlanMeasure } from '../store/plan-shrink-guard.js';
import {
  emptyCounts,
  lastKommuneOk,
  type KommuneCounts,
  type KommuneResult,
  type PipelineStage,
} from '../store/run-kommuner.js';
import { KOMMUNE_TIME_LIMIT_MINUTES_DEFAULT } from '../config/env.js';
import { messageOf } from '../util/errors.js';
import { silentProgress } from '../util/progress.js';
import type { AlertSnapshot, RunAlerting } from './alerts/run-alerting.js';
import type { RunBudget } from './nightly-budget.js';
import type { FoundLots } from './nightly-stages.js';
import type { NightlyOptions } from './nightly.js';
import { KommuneTimeLimit } from './nightly-time-limit.js';
import { vanishReason } from './nightly-vanish-reasons.js';
import { guardPlanShrink, measureOf, SuspiciousChangeError } from './plan-shrink-guard.js';

/** A dry run's account of what one kommune would write to Airtable. */
export interface KommunePlan {
  kommunenummer: string;
  create: string[];
  update: Array<{ key: string; fields: string[] }>;
  markGone: string[];
  /** New lots that would not be created: they do not fit under the base's record ceiling. */
  holdBack: string[];
}

export interface KommuneRun {
  db: Db;
  runId: number;
  kommunenummer: string;
  options: NightlyOptions;
  /** The run's Airtable record budget (null without Airtable). */
  budget: RunBudget | null;
  /** The run's change alerts (null: none, e.g. a caller that wants only the lots). */
  alerts: RunAlerting | null;
  now: () => string;
}

class StageError extends Error {
  constructor(
    readonly stage: PipelineStage,
    cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}

async function stage<T>(name: PipelineStage, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof StageError ? error : new StageError(name, error);
  }
}

/** A kommune whose data has been read (or whose reading failed), waiting for its turn to compute. */
export interface LoadedKommune {
  run: KommuneRun;
  result: KommuneResult;
  data: KommuneData | null;
  failure: StageError | null;
  limit: KommuneTimeLimit;
  /** The version of the kommune's inputs (null: not known); kept with its lots. */
  inputVersion: string | null;
  /** Its inputs are those its stored lots came from: nothing was read, nothing is computed. */
  unchanged: boolean;
}

/** A kommune after its stages up to the store: stored (outcome ok so far) or failed. */
export interface ComputedKommune {
  run: KommuneRun;
  result: KommuneResult;
  /** The kommune's Dataadvarsel in Airtable: `set` when held as suspicious, `clear` once it is accepted or gone. */
  dataWarning?: { set: string } | 'clear';
  /** What the store knew before this run stored the kommune, for its change alerts. */
  alertSnapshot?: AlertSnapshot | null;
  /** What this run wrote of the kommune's lots: with the snapshot, the store's lots after. */
  stored?: LotChanges;
}

/**
 * The first stage of a kommune: its sources, within the kommune's time limit. `cancel` drops a
 * read that is no longer wanted (the run is stopping). A failure is kept for the result, never thrown.
 */
export async function loadKommune(
  run: KommuneRun,
  onStage: (stage: PipelineStage) => void,
  cancel?: AbortSignal,
): Promise<LoadedKommune> {
  const limit = new KommuneTimeLimit(run.kommunenummer, timeLimitMs(run.options));
  const result = startedResult(run.kommunenummer, run.now());
  const loaded = { run, result, data: null, failure: null, limit, inputVersion: null, unchanged: false };
  onStage('load');
  try {
    // Taken before reading: a file that changes during the read gives another version next time.
    const inputVersion = await stage(
      'load',
      () => run.options.stages.inputVersion?.(run.kommunenummer) ?? null,
    );
    if (inputVersion !== null && inputVersion === storedInputVersion(run.db, run.kommunenummer))
      return { ...loaded, inputVersion, unchanged: true };
    const data = await stage('load', () =>
      limit.run(
        'load',
        (signal) => run.options.stages.loadKommuneData(run.kommunenummer, { signal }),
        cancel,
      ),
    );
    result.kommuneNavn = data.kommune.navn;
    result.counts.parcels = data.parcels.length;
    return { ...loaded, data, inputVersion };
  } catch (error) {
    return { ...loaded, failure: stageErrorOf(error) };
  }
}

/** Find, score and store one loaded kommune, within its time limit; the store is one transaction. */
export async function computeKommune(
  loaded: LoadedKommune,
  onStage: (stage: PipelineStage) => void,
): Promise<ComputedKommune> {
  const { run, result, data, limit } = loaded;
  try {
    if (loaded.failure) throw loaded.failure;
    if (loaded.unchanged) {
      onStage('store');
      await stage('store', () => keepUnchanged(run, result));
      return { run, result };
    }
    onStage('find');
    const found = await stage('find', () => limit.run('find', (signal) => findLots(run, data!, signal)));
    const measure = measureOf(found.summary);
    const verdict = await stage('guard', () =>
      guardPlanShrink(run.db, run.kommunenummer, measure, {
        runId: run.runId,
        now: run.now,
        percent: run.options.suspiciousShrinkPercent,
      }),
    );
    onStage('score');
    const scored = await stage('score', () =>
      limit.run('score', () => run.options.stages.scoreLots(found.lots, data!)),
    );
    result.counts.lotsFound = scored.length;
    onStage('store');
    const settled = verdict === 'accepted' || verdict === 'recovered';
    const planstatus = run.options.rules.engine.regulated.planstatus;
    const alertSnapshot = run.alerts?.snapshot(data!, planstatus) ?? null;
    const inputVersion =
      loaded.inputVersion ??
      (await stage('store', () => run.options.stages.inputVersion?.(run.kommunenummer) ?? null));
    const changes = await stage('store', () => {
      limit.check('store');
      return storeLots(run, data!, found, scored, inputVersion, { measure, settled });
    });
    countStore(result.counts, changes);
    return {
      run,
      result,
      alertSnapshot,
      stored: changes,
      ...(settled ? { dataWarning: 'clear' as const } : {}),
    };
  } catch (error) {
    const held = error instanceof StageError && error.cause instanceof SuspiciousChangeError;
    return {
      run,
      result: failedResult(run, result, error),
      ...(held ? { dataWarning: { set: (error.cause as Error).message } } : {}),
    };
  }
}

/** Brings Airtable in step with the kommune's stored lots (a kommune that failed earlier is passed through). */
export async function syncKommune(
  computed: ComputedKommune,
  onStage: (stage: PipelineStage) => void,
): Promise<{ result: KommuneResult; plan: KommunePlan | null }> {
  const { run, result } = computed;
  if (result.outcome === 'failed') {
    await markDataWarning(computed);
    return { result, plan: null };
  }
  try {
    onStage('airtable');
    const plan = run.options.airtable
      ? await stage('airtable', () => syncToAirtable(run, result.counts))
      : null;
    await markDataWarning(computed);
    if (run.options.postgis && !run.options.dryRun) {
      onStage('postgis');
      await stage('postgis', () => mirrorToPostgis(run, result.counts));
    }
    await alertKommune(computed);
    return { result: { ...result, outcome: 'ok', finishedAt: run.now() }, plan };
  } catch (error) {
    // The lots are stored: their alerts are due whatever happened to Airtable.
    await alertKommune(computed);
    return { result: failedResult(run, result, error), plan: null };
  }
}

/**
 * The change alerts of a kommune whose lots were stored, after its Airtable sync so an alert's
 * record links the lot's. RunAlerting never throws: alerting never fails the kommune.
 */
async function alertKommune({ run, result, alertSnapshot, stored }: ComputedKommune): Promise<void> {
  if (alertSnapshot) await run.alerts?.kommune(run.kommunenummer, alertSnapshot, result.startedAt, stored);
}

/**
 * Sets or clears the kommune's Dataadvarsel in Airtable. A failure is logged, never the kommune's:
 * its lots are where they should be, and the next run writes the warning again.
 */
async function markDataWarning(computed: ComputedKommune): Promise<void> {
  const { run, dataWarning } = computed;
  const client = run.options.airtable;
  if (!dataWarning || !client || run.options.dryRun) return;
  try {
    await writeKommuneDataWarning(
      client,
      run.kommunenummer,
      dataWarning === 'clear' ? null : dataWarning.set,
    );
  } catch (error) {
    run.options.logger.warn('could not write the kommune’s Dataadvarsel to Airtable', {
      kommune: run.kommunenummer,
      error: messageOf(error),
    });
  }
}

function stageErrorOf(error: unknown): StageError {
  return error instanceof StageError ? error : new StageError('internal', error);
}

function failedResult(run: KommuneRun, result: KommuneResult, error: unknown): KommuneResult {
  const failed = stageErrorOf(error);
  const outcome = { outcome: 'failed', failedStage: failed.stage, error: failed.message } as const;
  return { ...result, ...outcome, finishedAt: run.now() };
}

/** KOMMUNE_TIME_LIMIT_MINUTES, 20 when not given. */
function timeLimitMs(options: NightlyOptions): number {
  return (options.kommuneTimeLimitMinutes ?? KOMMUNE_TIME_LIMIT_MINUTES_DEFAULT) * 60_000;
}

/** A kommune the run did not reach because the service was stopped. */
export function skippedKommune(kommunenummer: string, at: string): KommuneResult {
  return {
    ...startedResult(kommunenummer, at),
    outcome: 'skipped',
    error: 'the service was stopped before this kommune',
  };
}

function startedResult(kommunenummer: string, at: string): KommuneResult {
  return {
    kommunenummer,
    kommuneNavn: null,
    outcome: 'ok',
    failedStage: null,
    error: null,
    startedAt: at,
    finishedAt: at,
    counts: emptyCounts(),
  };
}

async function findLots(run: KommuneRun, data: KommuneData, signal: AbortSignal): Promise<FoundLots> {
  const noPlan = data.coverage.kommuneplan === 'not-covered' || data.kommuneplan.length === 0;
  if (noPlan && knownLotsOf(run.db, run.kommunenummer).some((l) => l.state === 'active'))
    throw new Error('no kommuneplan data this time; the last good lots are kept');
  return run.options.stages.findLots(data, { signal });
}

/**
 * The kommune's lot records (and the plan evidence and areas the run measured) into the store, in
 * one transaction: a kommune that fails keeps its earlier lots and figures. A held change that was
 * accepted (or went away) is settled in the same transaction.
 */
function storeLots(
  run: KommuneRun,
  data: KommuneData,
  found: FoundLots,
  scored: ScoredLot[],
  inputVersion: string | null,
  guard: { measure: PlanMeasure | null; settled: boolean },
): LotChanges {
  const kommune = { navn: data.kommune.navn, sources: data.sources };
  const incoming =
    run.options.stages.lotRecords?.(scored, kommune) ??
    scored.map((lot) => {
      const record = lotRecordOf(lot, kommune);
      return { record, fingerprint: lotFingerprint(record) };
    });
  const planned = planLotChanges(knownLotsOf(run.db, run.kommunenummer), incoming);
  const planstatus = run.options.rules.engine.regulated.planstatus;
  const reasonFor = (tomtId: string) => {
    const stored = getLot(run.db, tomtId);
    return stored ? vanishReason(stored.record, data, found.lots, planstatus) : 'Ikke funnet i siste kjøring';
  };
  const at = run.now();
  run.db.transaction(() => {
    applyLotChanges(run.db, planned, { runId: run.runId, now: at, vanishReason: reasonFor });
    if (found.planEvidence) savePlanEvidence(run.db, found.planEvidence, run.runId);
    if (inputVersion !== null) saveInputVersion(run.db, run.kommunenummer, inputVersion, run.runId);
    if (guard.measure)
      saveGoodMeasure(run.db, run.kommunenummer, guard.measure, { runId: run.runId, now: at });
    if (guard.settled) clearSuspectChange(run.db, run.kommunenummer);
  })();
  return planned;
}

async function syncToAirtable(run: KommuneRun, counts: KommuneCounts): Promise<KommunePlan | null> {
  const client = run.options.airtable!;
  const lots = lotsOfKommune(run.db, run.kommunenummer);
  const before = client.stats().requests;
  const budget = run.budget?.forKommune(run.kommunenummer);
  const synced = await syncKommuneLots({
    client,
    state: syncedRecordStore(run.db),
    kommunenummer: run.kommunenummer,
    lots,
    policy: run.options.rules.airtable,
    admitCreates: budget && ((count: number) => budget.admit(count)),
    timeZone: run.options.timeZone,
    logger: run.options.logger,
    progress: run.options.progress ?? silentProgress,
    dryRun: run.options.dryRun,
  });
  budget?.settle(synced.result.created.length);
  counts.airtableRequests = client.stats().requests - before;
  countSync(counts, synced);
  if (synced.result.failed.length)
    throw new Error(
      `${synced.result.failed.length} record(s) rejected, first: ${synced.result.failed[0]!.message}`,
    );
  return run.options.dryRun ? planOf(run.kommunenummer, synced.result, lots) : null;
}

/** The kommune's lots into the PostGIS mirror, from the store: only rows out of step are written. */
async function mirrorToPostgis(run: KommuneRun, counts: KommuneCounts): Promise<void> {
  const known = knownLotsOf(run.db, run.kommunenummer);
  const write = await run.options.postgis!.mirrorLots(run.kommunenummer, known, (tomtIds) => {
    const wanted = new Set(tomtIds);
    return lotsOfKommune(run.db, run.kommunenummer).filter((lot) => wanted.has(lot.tomtId));
  });
  counts.postgisWritten = write.written + write.deleted;
}

function countSync(counts: KommuneCounts, synced: KommuneLotSync): void {
  counts.airtableCreated = synced.result.created.length;
  counts.airtableUpdated = synced.result.updated.length;
  counts.airtableUnchanged = synced.result.unchanged;
  counts.airtableMarkedGone = synced.markedGone;
  counts.airtableFailed = synced.result.failed.length;
  counts.airtableLeftOut = synced.leftOut;
  counts.airtableMarkedBelow = synced.markedBelow;
  counts.airtableHeldBack = synced.result.heldBack.length;
}

/** A kommune whose inputs did not change: its lots are seen again, as the last run that read it left them. */
function keepUnchanged(run: KommuneRun, result: KommuneResult): void {
  const last = lastKommuneOk(run.db, run.kommunenummer);
  result.kommuneNavn = last?.kommuneNavn ?? null;
  result.counts.parcels = last?.parcels ?? 0;
  const seen = touchKommuneLots(run.db, run.kommunenummer, run.now(), run.runId);
  result.counts.lotsFound = seen;
  result.counts.lotsUnchanged = seen;
  result.counts.inputsUnchanged = 1;
}

function countStore(counts: KommuneCounts, changes: LotChanges): void {
  counts.lotsNew = changes.inserted.length;
  counts.lotsChanged = changes.changed.length;
  counts.lotsUnchanged = changes.unchanged.length;
  counts.lotsRevived = changes.revived.length;
  counts.lotsVanished = changes.vanished.length;
}

function planOf(kommunenummer: string, result: TableSyncResult, lots: StoredLot[]): KommunePlan {
  const gone = new Set(lots.filter((l) => l.state === 'vanished').map((l) => l.tomtId));
  const writes = result.writes;
  return {
    kommunenummer,
    create: writes.filter((w) => w.kind === 'create').map((w) => w.key),
    update: writes
      .filter((w) => w.kind === 'update' && !gone.has(w.key))
      .map((w) => ({ key: w.key, fields: [...w.changedFields, ...w.guardsApplied.map((g) => g.field)] })),
    markGone: writes.filter((w) => w.kind === 'update' && gone.has(w.key)).map((w) => w.key),
    holdBack: result.heldBack,
  };
}
