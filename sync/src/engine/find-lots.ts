import os from 'node:os';
import type { EngineRules } from '../config/engine-rules.js';
import type { Coverage, KommuneData } from '../domain/kommune.js';
import type { Lot } from '../domain/lot.js';
import { getGeos } from '../geo/geos.js';
import { unique } from '../util/collections.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { classifyPlans } from './classify.js';
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
  /** Milliseconds per stage; with workers, the stages add up CPU time across threads. */
  ms: { classify: number; prepare: number; subtract: number; opening: number; lots: number; total: number };
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
  const batches = makeBatches(kommunenummer, plans, data, workers === 1 ? 1 : workers * 4);
  const overlay = progress.stage(`${kommunenummer} overlay and split by parcels`, batches.length);
  const results = await runBatches(batches, rules, workers, () => overlay.tick());

  const lots = results
    .flatMap((r) => r.lots)
    .sort((a, b) => (a.tomtId < b.tomtId ? -1 : a.tomtId > b.tomtId ? 1 : 0));
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
    ms: { classify: classifyMs, ...sumOfStageTimes(stats), total: performance.now() - started },
  };
  overlay.done(`${lots.length} lots, ${Math.round(summary.lotAreaM2 / 1000)} daa`);
  return { lots, summary, repaired };
}

function workerCount(zones: number, requested = os.availableParallelism()): number {
  return Math.max(1, Math.min(requested, Math.floor(zones / ZONES_PER_WORKER_MINIMUM) || 1));
}

/** Runs the batches in this thread (one worker) or on worker threads; results in batch order. */
async function runBatches(
  batches: ZoneBatch[],
  rules: EngineRules,
  workers: number,
  onBatchDone: () => void,
): Promise<BatchResult[]> {
  if (workers > 1) return runBatchesInWorkers(batches, rules, workers, onBatchDone);
  const geos = await getGeos();
  return batches.map((batch) => {
    const result = processZones(geos, batch, rules);
    onBatchDone();
    return result;
  });
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
  return { prepare: sum('prepare'), subtract: sum('subtract'), opening: sum('opening'), lots: sum('lots') };
}
