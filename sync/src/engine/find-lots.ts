import os from 'node:os';
import type { EngineRules } from '../config/engine-rules.js';
import type { Coverage, KommuneData } from '../domain/kommune.js';
import type { Lot } from '../domain/lot.js';
import { bboxOf } from '../geo/crs.js';
import { getGeos } from '../geo/geos.js';
import { BoxIndex } from '../geo/spatial-index.js';
import { unique } from '../util/collections.js';
import { silentProgress, type Progress } from '../util/progress.js';
import { classifyPlans, type CandidateZone, type ClassifiedPlans } from './classify.js';
import {
  processZones,
  ZONE_TOTAL_KEYS,
  type BatchStats,
  type ZoneBatch,
  type ZoneTotals,
} from './process-zones.js';
import { runBatchesInWorkers } from './worker-pool.js';

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

  const workers = Math.max(
    1,
    Math.min(
      options.workers ?? os.availableParallelism(),
      Math.floor(plans.zones.length / ZONES_PER_WORKER_MINIMUM) || 1,
    ),
  );
  const batches = makeBatches(kommunenummer, plans, data, workers === 1 ? 1 : workers * 4);
  const overlay = progress.stage(`${kommunenummer} overlay and split by parcels`, batches.length);
  const results =
    workers === 1
      ? [processZones(await getGeos(), batches[0]!, rules)]
      : await runBatchesInWorkers(batches, rules, workers, () => overlay.tick());
  if (workers === 1) overlay.tick();

  const lots = results
    .flatMap((r) => r.lots)
    .sort((a, b) => (a.tomtId < b.tomtId ? -1 : a.tomtId > b.tomtId ? 1 : 0));
  const stats = results.map((r) => r.stats);
  const repaired = {
    zones: unique(stats.flatMap((s) => s.repairedZones)).sort(),
    regulated: unique(stats.flatMap((s) => s.repairedSubtracted)).sort(),
    parcels: unique(stats.flatMap((s) => s.repairedParcels)).sort(),
    dropped: unique(stats.flatMap((s) => s.droppedGeometries)).sort(),
  };
  const totals = Object.fromEntries(
    ZONE_TOTAL_KEYS.map((key) => [key, stats.reduce((total, s) => total + s[key], 0)]),
  ) as unknown as ZoneTotals;
  const sumMs = (key: keyof BatchStats['ms']) => stats.reduce((total, s) => total + s.ms[key], 0);
  const summary: EngineSummary = {
    ...totals,
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
    ms: {
      classify: classifyMs,
      prepare: sumMs('prepare'),
      subtract: sumMs('subtract'),
      opening: sumMs('opening'),
      lots: sumMs('lots'),
      total: performance.now() - started,
    },
  };
  overlay.done(`${lots.length} lots, ${Math.round(summary.lotAreaM2 / 1000)} daa`);
  return { lots, summary, repaired };
}

/**
 * Groups zones into spatially compact batches (sorted along a Hilbert curve, then cut into runs of
 * similar size), each with only the plans and parcels near its zones, so a worker receives a
 * fraction of the kommune.
 */
function makeBatches(
  kommunenummer: string,
  plans: ClassifiedPlans,
  data: KommuneData,
  count: number,
): ZoneBatch[] {
  if (count <= 1 || plans.zones.length <= 1) {
    return [
      {
        kommunenummer,
        zones: plans.zones,
        subtract: plans.regulated,
        kommuneplanOutlines: plans.kommuneplanOutlines,
        inProgress: plans.inProgress,
        parcels: data.parcels,
      },
    ];
  }
  const boxes = new Map(plans.zones.map((z) => [z, bboxOf(z.geometry)]));
  const all = [...boxes.values()];
  const extent = [
    Math.min(...all.map((b) => b[0])),
    Math.min(...all.map((b) => b[1])),
    Math.max(...all.map((b) => b[2])),
    Math.max(...all.map((b) => b[3])),
  ] as const;
  const keyOf = (zone: CandidateZone) => {
    const b = boxes.get(zone)!;
    const x = ((b[0] + b[2]) / 2 - extent[0]) / (extent[2] - extent[0] || 1);
    const y = ((b[1] + b[3]) / 2 - extent[1]) / (extent[3] - extent[1] || 1);
    return hilbert(Math.floor(x * 65535), Math.floor(y * 65535));
  };
  const sorted = [...plans.zones].map((z) => ({ z, key: keyOf(z) })).sort((a, b) => a.key - b.key);
  const subtractIndex = new BoxIndex(plans.regulated, (s) => bboxOf(s.geometry));
  const outlineIndex = new BoxIndex(plans.kommuneplanOutlines, (o) => bboxOf(o.geometry));
  const inProgressIndex = new BoxIndex(plans.inProgress, (o) => bboxOf(o.geometry));
  const parcelIndex = new BoxIndex(data.parcels, (p) => bboxOf(p.geometry));
  const size = Math.ceil(sorted.length / count);
  const batches: ZoneBatch[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const zones = sorted.slice(i, i + size).map((s) => s.z);
    const inBatch = new Set(zones);
    // Items near the batch's zones, kept in their original order: results must not depend on batching.
    const near = <T>(index: BoxIndex<T>, all: readonly T[]) => {
      const found = new Set<T>();
      for (const zone of zones) for (const item of index.search(boxes.get(zone)!)) found.add(item);
      return all.filter((item) => found.has(item));
    };
    batches.push({
      kommunenummer,
      zones: plans.zones.filter((zone) => inBatch.has(zone)),
      subtract: near(subtractIndex, plans.regulated),
      kommuneplanOutlines: near(outlineIndex, plans.kommuneplanOutlines),
      inProgress: near(inProgressIndex, plans.inProgress),
      parcels: near(parcelIndex, data.parcels),
    });
  }
  return batches;
}

/** Position along a Hilbert curve of order 16 (keeps nearby zones in the same batch). */
function hilbert(x: number, y: number): number {
  let d = 0;
  for (let s = 1 << 15; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = 65535 - x;
        y = 65535 - y;
      }
      [x, y] = [y, x];
    }
  }
  return d;
}
