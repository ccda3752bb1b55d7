import type { KommuneData } from '../domain/kommune.js';
import type { ScoredLot } from '../domain/lot.js';
import { syncKommuneLots, type KommuneLotSync } from '../crm/tomter/tomter-sync.js';
import type { TableSyncResult } from '../crm/sync/table-sync.js';
import { lotFingerprint } from '../lot-record/fingerprint.js';
import { lotRecordOf } from '../lot-record/lot-record.js';
import { syncedRecordStore } from '../store/airtable-records.js';
import type { Db } from '../store/database.js';
import { savePlanEvidence } from '../store/kommune-plan-evidence.js';
import { planLotChanges, type LotChanges } from '../store/lot-changes.js';
import { applyLotChanges, getLot, knownLotsOf, lotsOfKommune, type StoredLot } from '../store/lots.js';
import {
  emptyCounts,
  type KommuneCounts,
  type KommuneResult,
  type PipelineStage,
} from '../store/run-kommuner.js';
import { messageOf } from '../util/errors.js';
import { silentProgress } from '../util/progress.js';
import type { RunBudget } from './nightly-budget.js';
import type { FoundLots } from './nightly-stages.js';
import type { NightlyOptions } from './nightly.js';
import { vanishReason } from './nightly-vanish-reasons.js';

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

/** One kommune of a run, stage by stage; a failure is reported with its stage and never thrown. */
export async function runKommune(
  run: KommuneRun,
): Promise<{ result: KommuneResult; plan: KommunePlan | null }> {
  const { options, kommunenummer } = run;
  const result = startedResult(kommunenummer, run.now());
  try {
    const data = await stage('load', () => options.stages.loadKommuneData(kommunenummer));
    result.kommuneNavn = data.kommune.navn;
    const found = await stage('find', () => findLots(run, data));
    const scored = await stage('score', () => options.stages.scoreLots(found.lots, data));
    result.counts.lotsFound = scored.length;
    const changes = await stage('store', () => storeLots(run, data, found, scored));
    countStore(result.counts, changes);
    const plan = options.airtable ? await stage('airtable', () => syncToAirtable(run, result.counts)) : null;
    return { result: { ...result, outcome: 'ok', finishedAt: run.now() }, plan };
  } catch (error) {
    const failed = error instanceof StageError ? error : new StageError('internal', error);
    const outcome = { outcome: 'failed', failedStage: failed.stage, error: failed.message } as const;
    return { result: { ...result, ...outcome, finishedAt: run.now() }, plan: null };
  }
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

async function findLots(run: KommuneRun, data: KommuneData): Promise<FoundLots> {
  const noPlan = data.coverage.kommuneplan === 'not-covered' || data.kommuneplan.length === 0;
  if (noPlan && knownLotsOf(run.db, run.kommunenummer).some((l) => l.state === 'active'))
    throw new Error('no kommuneplan data this time; the last good lots are kept');
  return run.options.stages.findLots(data);
}

/**
 * The kommune's lot records (and the plan evidence the run measured) into the store, in one
 * transaction: a kommune that fails keeps its earlier lots and figures.
 */
function storeLots(run: KommuneRun, data: KommuneData, found: FoundLots, scored: ScoredLot[]): LotChanges {
  const kommune = { navn: data.kommune.navn, sources: data.sources };
  const incoming = scored.map((lot) => {
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
