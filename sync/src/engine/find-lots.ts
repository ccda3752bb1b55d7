import os from 'node:os';
import type { EngineRules } from '../config/engine-rules.js';
import type { Coverage, KommuneData } from '../domain/kommune.js';
import type { Lot } from '../domain/lot.js';
import { getGeos } from '../geo/geos.js';
import { unique } from '../util/collections.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { classifyPlans } from './classify.js';
import type { LotAnnotatorSpec } from './lot-annotator.js';
import { makeBatches } from './make-batches.js';
import { processZones } from './process-zones.js';
import { runBatchesInWorkers } from './worker-pool.js';
import {
  ZONE_TOTAL_KEYS,
  type BatchResult,
  type BatchStats,
  type StageTimes,
  type ZoneBatch,
  type ZoneTotals,
} from './zone-batch.js';

export interface EngineSummary extends ZoneTotals {
  kommunenummer: string;
  candidateZones: number;
  regulatedFeatures: number;
  plansInProgress: number;
  lots: number;
  repairs: { zones: number; regulated: number; parcels: number; dropped: number };
  skipped: Record<string, number>;
  coverage: { reguleringsplan: Coverage };
  workers: number;
  /** The date reguleringsplaner count as recent from (`recentlyRegulatedAreaM2`): `planEvidenceYears` before the run. */
  recentSince: string;
  /** Milliseconds per stage; with workers, the stages add up CPU time across threads. */
  ms: {
    classify: number;
    prepare: number;
    subtract: number;
    opening: number;
    lots: number;
    evidence: number;
    total: number;
  };
}

export interface EngineResult {
  lots: Lot[];
  summary: EngineSummary;
  /** Ids of inputs that were repaired or dropped, for the run report. */
  repaired: { zones: string[]; regulated: string[]; parcels: string[]; dropped: string[] };
}

export interface FindLotsOptions {
  /** Worker threads; 1 runs in this thread. Default: one per core for larger kommuner. */
  workers?: number;
  progress?: Progress;
  /** The run's date (ISO), from which recent regulation is counted back; default today (UTC). */
  asOf?: string;
  /** Ends the worker threads (the kommune went over its time limit). */
  signal?: AbortSignal;
  /**
   * Each batch's lots as the batch finishes (in no set order), while the others are still
   * worked on: whole zones, so every lot of an opportunity comes in one call. With
   * `lotAnnotator` and worker threads, their annotations (one per lot, in order) come along.
   */
  onLots?: (lots: readonly Lot[], annotations?: readonly unknown[]) => void;
  /**
   * Work done on each batch's lots on the worker thread that found them (`lot-annotator.ts`).
   * Run in this thread (one worker), the engine annotates nothing: the caller does its own work.
   */
  lotAnnotator?: LotAnnotatorSpec;
}

/** Below this many zones, starting threads costs more than it saves. */
const ZONES_PER_WORKER_MINIMUM = 40;

/**
 * The lot engine for one kommune: candidate zones minus regulated land, cleaned of slivers,
 * split by parcels into lots (rules in config/engine-rules.ts). Deterministic: the same input
 * gives the same lots in the same order, whatever the number of workers.
 */
export async function findLots(
  data: KommuneData,
  rules: EngineRules,
  options: FindLotsOptions = {},
): Promise<EngineResult> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const kommunenummer = data.kommune.kommunenummer;

  const classifyStage = progress.stage(`${kommunenummer} classify plan features`);
  const plans = classifyPlans(data.kommuneplan, data.reguleringsplan, rules);
  const classifyMs = performance.now() - started;
  classifyStage.done(
    `${plans.zones.length} candidate zones, ${plans.regulated.length} regulated areas, ${plans.inProgress.length} plans in progress`,
  );

  const workers = workerCount(plans.zones.length, options.workers);
  const recentSince = yearsBefore(
    options.asOf ?? new Date().toISOString(), // yearsBefore reads the date part only
    rules.planEvidenceYears,
  );
  const batches = makeBatches(kommunenummer, plans, data, batchCount(workers)).map((batch) => ({
    ...batch,
    recentSince,
  }));
  const overlay = progress.stage(`${kommunenummer} overlay and split by parcels`, batches.length);
  const results = await runBatches(batches, rules, workers, {
    onBatchDone: (result) => {
      overlay.tick();
      options.onLots?.(result.lots, result.annotations);
    },
    signal: options.signal,
    annotator: options.lotAnnotator,
  });

  const lots = results.flatMap((r) => r.lots).sort(byTomtId);
  const stats = results.map((r) => r.stats);
  const repaired = repairedInputs(stats);
  const summary: EngineSummary = {
    ...sumOfTotals(stats),
    kommunenummer,
    candidateZones: plans.zones.length,
    regulatedFeatures: plans.regulated.length,
    plansInProgress: plans.inProgress.length,
    lots: lots.length,
    repairs: {
      zones: repaired.zones.length,
      regulated: repaired.regulated.length,
      parcels: repaired.parcels.length,
      dropped: repaired.dropped.length,
    },
    skipped: plans.skipped,
    coverage: { reguleringsplan: data.coverage.reguleringsplan },
    workers,
    recentSince,
    ms: { classify: classifyMs, ...sumOfStageTimes(stats), total: performance.now() - started },
  };
  overlay.done(`${lots.length} lots, ${Math.round(summary.lotAreaM2 / 1000)} daa`);
  return { lots, summary, repaired };
}

/** The ISO date `years` before `date` ("2026-03-10", 5 → "2021-03-10"). */
export function yearsBefore(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) - years}${date.slice(4, 10)}`;
}

/** Threads for a kommune's zones: as requested (default one per core), at most one per 40 zones, at least one. */
export function workerCount(zones: number, requested = os.availableParallelism()): number {
  return Math.max(1, Math.min(requested, Math.floor(zones / ZONES_PER_WORKER_MINIMUM)));
}

/**
 * Batches to cut the zones into: one in this thread; with workers, about four each, so a slow
 * batch does not hold the others back.
 */
export function batchCount(workers: number): number {
  return workers === 1 ? 1 : workers * 4;
}

/** Runs the batches in this thread (one worker) or on worker threads; results in batch order. */
async function runBatches(
  batches: ZoneBatch[],
  rules: EngineRules,
  workers: number,
  options: Parameters<typeof runBatchesInWorkers>[3] & { onBatchDone: (result: BatchResult) => void },
): Promise<BatchResult[]> {
  // Stryker disable next-line ConditionalExpression: worker threads run the same processZones on the same batches; only where the work runs differs
  if (workers > 1) return runBatchesInWorkers(batches, rules, workers, options);
  const geos = await getGeos();
  return batches.map((batch) => {
    const result = processZones(geos, batch, rules);
    options.onBatchDone(result);
    return result;
  });
}

/** Lots in tomtId order, whatever the batching (the ids are unique: one lot per property and zone). */
function byTomtId(a: Lot, b: Lot): number {
  // Stryker disable next-line EqualityOperator: ids are unique, so <= sorts like <
  if (a.tomtId < b.tomtId) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: Array.prototype.sort (V8's TimSort) only asks whether the answer is below 0, so 1 and 0 sort alike here
  return a.tomtId > b.tomtId ? 1 : 0;
}

function repairedInputs(stats: readonly BatchStats[]): EngineResult['repaired'] {
  return {
    zones: unique(stats.flatMap((s) => s.repairedZones)).sort(),
    regulated: unique(stats.flatMap((s) => s.repairedSubtracted)).sort(),
    parcels: unique(stats.flatMap((s) => s.repairedParcels)).sort(),
    dropped: unique(stats.flatMap((s) => s.droppedGeometries)).sort(),
  };
}

function sumOfTotals(stats: readonly BatchStats[]): ZoneTotals {
  return Object.fromEntries(
    ZONE_TOTAL_KEYS.map((key) => [key, stats.reduce((total, s) => total + s[key], 0)]),
  ) as unknown as ZoneTotals;
}

function sumOfStageTimes(stats: readonly BatchStats[]): StageTimes {
  const sum = (stage: keyof StageTimes) => stats.reduce((total, s) => total + s.ms[stage], 0);
  return {
    prepare: sum('prepare'),
    subtract: sum('subtract'),
    opening: sum('opening'),
    lots: sum('lots'),
    evidence: sum('evidence'),
  };
}
