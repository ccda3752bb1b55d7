import type { KommuneData } from '../domain/kommune.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import type { AirtableClient } from '../crm/airtable/client.js';
import { contentFingerprint, tomterContentOf } from '../crm/tomter/content.js';
import { syncKommuneLots } from '../crm/tomter/tomter-sync.js';
import { TomterField } from '../crm/schema/tomter.js';
import type { PlannedWrite } from '../crm/sync/table-sync.js';
import { copyStoreInMemory, type Db } from '../store/database.js';
import { planLotChanges, type IncomingLot, type LotChanges } from '../store/lot-changes.js';
import { applyLotChanges, getLot, knownLotsOf } from '../store/lots.js';
import { acquireRunLock, releaseRunLock } from '../store/run-lock.js';
import {
  emptyCounts,
  recordKommuneResult,
  type KommuneCounts,
  type KommuneResult,
  type PipelineStage,
} from '../store/run-kommuner.js';
import { closeInterruptedRuns, finishRun, startRun, type RunStatus, type RunTrigger } from '../store/runs.js';
import { isProcessAlive } from '../store/run-lock.js';
import { InputError, messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { silentProgress, type Progress } from '../util/progress.js';
import type { PipelineStages } from './nightly-stages.js';
import { vanishReason } from './nightly-vanish-reasons.js';

export const RUN_LOCK = 'nightly';

export interface NightlyOptions {
  db: Db;
  stages: PipelineStages;
  kommuner: string[];
  /** null: Airtable is not configured and the run keeps its results in the store only. */
  airtable: AirtableClient | null;
  timeZone: string;
  trigger: RunTrigger;
  /** Plan everything against a copy of the store and read Airtable, but write nothing. */
  dryRun?: boolean;
  /** Plan statuses of adopted reguleringsplaner (rules.engine.regulated.planstatus), for vanish reasons. */
  regulatedPlanstatus?: number[];
  /** Checked between kommuner: true stops the run after the current kommune (SIGTERM). */
  shouldStop?: () => boolean;
  logger: Logger;
  progress?: Progress;
  now?: () => Date;
}

export interface KommunePlan {
  kommunenummer: string;
  create: string[];
  update: Array<{ key: string; fields: string[] }>;
  markGone: string[];
}

export interface RunSummary {
  runId: number | null;
  status: Exclude<RunStatus, 'running'>;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  airtable: boolean;
  kommuner: KommuneResult[];
  totals: KommuneCounts;
  airtableRequests: number;
  airtableWriteRequests: number;
  rateLimited: number;
  /** Dry run only: what would be written to Airtable, per kommune. */
  plans: KommunePlan[];
}

class StageError extends Error {
  constructor(
    readonly stage: PipelineStage,
    cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}

/**
 * The nightly job: for each kommune, load data → find lots → score → store → Airtable. A kommune
 * that fails keeps its last good lots and never stops the others; each kommune's store changes
 * are one transaction; Airtable is brought in step from the store, so an interrupted run is
 * completed by the next one.
 */
export async function runNightly(options: NightlyOptions): Promise<RunSummary> {
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const logger = options.logger;
  const dryRun = options.dryRun ?? false;
  // A dry run works on a private copy of the store: the same code path, nothing kept.
  const db = dryRun ? copyStoreInMemory(options.db) : options.db;
  const startedAt = now();
  if (!dryRun) {
    const lock = acquireRunLock(db, RUN_LOCK, { now: startedAt });
    if (!lock.acquired)
      throw new InputError(
        'nightly run',
        `another run is in progress (process ${lock.holder.pid} on ${lock.holder.host} since ${lock.holder.acquiredAt})`,
      );
    closeInterruptedRuns(db, isProcessAlive, startedAt);
  }
  const statsBefore = options.airtable?.stats();
  const runId = startRun(db, { startedAt, trigger: options.trigger, airtable: Boolean(options.airtable) });
  if (!options.airtable)
    logger.info(
      'Airtable is not configured (AIRTABLE_TOKEN, AIRTABLE_BASE_ID): results are kept in the store only',
    );
  logger.info(`${dryRun ? 'Dry run' : 'Run'} started`, {
    run: dryRun ? undefined : runId,
    kommuner: options.kommuner.join(','),
  });

  const results: KommuneResult[] = [];
  const plans: KommunePlan[] = [];
  let stopped = false;
  let summary: RunSummary | undefined;
  try {
    for (const kommunenummer of options.kommuner) {
      if (options.shouldStop?.()) stopped = true;
      if (stopped) {
        const at = now();
        const skipped: KommuneResult = {
          kommunenummer,
          kommuneNavn: null,
          outcome: 'skipped',
          failedStage: null,
          error: 'the service was stopped before this kommune',
          startedAt: at,
          finishedAt: at,
          counts: emptyCounts(),
        };
        recordKommuneResult(db, runId, skipped);
        results.push(skipped);
        continue;
      }
      const { result, plan } = await runKommune(db, runId, kommunenummer, options, now);
      recordKommuneResult(db, runId, result);
      results.push(result);
      if (plan) plans.push(plan);
      const c = result.counts;
      if (result.outcome === 'ok')
        logger.info(`Kommune ${kommunenummer} done`, {
          lots: c.lotsFound,
          new: c.lotsNew,
          changed: c.lotsChanged,
          vanished: c.lotsVanished,
          airtableCreated: c.airtableCreated,
          airtableUpdated: c.airtableUpdated,
        });
      else logger.error(`Kommune ${kommunenummer} failed at ${result.failedStage}`, { error: result.error });
    }
  } finally {
    const statsAfter = options.airtable?.stats();
    summary = {
      runId: dryRun ? null : runId,
      status: statusOf(results, stopped),
      startedAt,
      finishedAt: now(),
      dryRun,
      airtable: Boolean(options.airtable),
      kommuner: results,
      totals: totalsOf(results),
      airtableRequests: (statsAfter?.requests ?? 0) - (statsBefore?.requests ?? 0),
      airtableWriteRequests: (statsAfter?.writeRequests ?? 0) - (statsBefore?.writeRequests ?? 0),
      rateLimited: (statsAfter?.rateLimited ?? 0) - (statsBefore?.rateLimited ?? 0),
      plans,
    };
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

async function runKommune(
  db: Db,
  runId: number,
  kommunenummer: string,
  options: NightlyOptions,
  now: () => string,
): Promise<{ result: KommuneResult; plan: KommunePlan | null }> {
  const startedAt = now();
  const counts = emptyCounts();
  let kommuneNavn: string | null = null;
  const stage = async <T>(name: PipelineStage, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw error instanceof StageError ? error : new StageError(name, error);
    }
  };
  try {
    const data = await stage('load', () => options.stages.loadKommuneData(kommunenummer));
    kommuneNavn = data.kommune.navn;
    const known = knownLotsOf(db, kommunenummer);
    const found = await stage('find', async () => {
      if (data.coverage.kommuneplan === 'not-covered' || data.kommuneplan.length === 0) {
        if (known.some((l) => l.state === 'active'))
          throw new Error('no kommuneplan data this time; the last good lots are kept');
      }
      return (await options.stages.findLots(data)).lots;
    });
    const scored = await stage('score', () => options.stages.scoreLots(found, data));
    counts.lotsFound = scored.length;

    const changes = await stage('store', () => {
      const incoming = scored.map((lot) => incomingLot(lot, data));
      const withoutGeometry = incoming.filter(
        (lot) => JSON.parse(lot.content)[TomterField.geometri] === null,
      );
      if (withoutGeometry.length)
        options.logger.warn('Lots too detailed for Airtable even when simplified: Geometri left empty', {
          kommune: kommunenummer,
          lots: withoutGeometry
            .map((lot) => lot.tomtId)
            .slice(0, 5)
            .join(','),
          count: withoutGeometry.length,
        });
      const planned = planLotChanges(known, incoming);
      const at = now();
      db.transaction(() =>
        applyLotChanges(db, planned, {
          runId,
          now: at,
          vanishReason: (tomtId) => reasonFor(db, tomtId, data, found, options.regulatedPlanstatus ?? [3, 6]),
        }),
      )();
      return planned;
    });
    countStore(counts, changes);

    let plan: KommunePlan | null = null;
    if (options.airtable) {
      const before = options.airtable.stats().requests;
      const synced = await stage('airtable', () =>
        syncKommuneLots({
          db,
          client: options.airtable!,
          kommunenummer,
          timeZone: options.timeZone,
          logger: options.logger,
          progress: options.progress ?? silentProgress,
          ...(options.dryRun ? { dryRun: true } : {}),
        }),
      );
      counts.airtableRequests = options.airtable.stats().requests - before;
      counts.airtableCreated = synced.result.created.length;
      counts.airtableUpdated = synced.result.updated.length;
      counts.airtableUnchanged = synced.result.unchanged;
      counts.airtableMarkedGone = synced.markedGone;
      counts.airtableFailed = synced.result.failed.length;
      if (options.dryRun) plan = planOf(kommunenummer, synced.result.writes, db);
      if (synced.result.failed.length)
        throw new StageError(
          'airtable',
          new Error(
            `${synced.result.failed.length} record(s) rejected, first: ${synced.result.failed[0]!.message}`,
          ),
        );
    }
    return {
      result: {
        kommunenummer,
        kommuneNavn,
        outcome: 'ok',
        failedStage: null,
        error: null,
        startedAt,
        finishedAt: now(),
        counts,
      },
      plan,
    };
  } catch (error) {
    const failed = error instanceof StageError ? error : new StageError('store', error);
    return {
      result: {
        kommunenummer,
        kommuneNavn,
        outcome: 'failed',
        failedStage: failed.stage,
        error: failed.message,
        startedAt,
        finishedAt: now(),
        counts,
      },
      plan: null,
    };
  }
}

function incomingLot(lot: ScoredLot, data: KommuneData): IncomingLot {
  const content = tomterContentOf(lot, { kommuneNavn: data.kommune.navn, sources: data.sources });
  const { geometry, ...rest } = lot;
  return {
    tomtId: lot.tomtId,
    kommunenummer: lot.kommunenummer,
    fingerprint: contentFingerprint(content),
    lot: JSON.stringify(rest),
    geometry: JSON.stringify(geometry),
    content: JSON.stringify(content),
    score: lot.score.total,
    tier: lot.score.tier,
  };
}

function reasonFor(db: Db, tomtId: string, data: KommuneData, found: Lot[], planstatus: number[]): string {
  const stored = getLot(db, tomtId);
  if (!stored) return 'Ikke funnet i siste kjøring';
  const lot = {
    ...(JSON.parse(stored.lot) as Omit<Lot, 'geometry'>),
    geometry: JSON.parse(stored.geometry),
  } as Lot;
  return vanishReason(lot, data, found, planstatus);
}

function countStore(counts: KommuneCounts, changes: LotChanges): void {
  counts.lotsNew = changes.inserted.length;
  counts.lotsChanged = changes.changed.length;
  counts.lotsUnchanged = changes.unchanged.length;
  counts.lotsRevived = changes.revived.length;
  counts.lotsVanished = changes.vanished.length;
}

function planOf(kommunenummer: string, writes: PlannedWrite[], db: Db): KommunePlan {
  const gone = (key: string) => getLot(db, key)?.state === 'vanished';
  return {
    kommunenummer,
    create: writes.filter((w) => w.kind === 'create').map((w) => w.key),
    update: writes
      .filter((w) => w.kind === 'update' && !gone(w.key))
      .map((w) => ({ key: w.key, fields: [...w.changedFields, ...w.guardsApplied.map((g) => g.field)] })),
    markGone: writes.filter((w) => w.kind === 'update' && gone(w.key)).map((w) => w.key),
  };
}

function statusOf(results: KommuneResult[], stopped: boolean): Exclude<RunStatus, 'running'> {
  if (stopped) return 'interrupted';
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
