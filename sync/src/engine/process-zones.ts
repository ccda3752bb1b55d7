import type { EngineRules } from '../config/engine-rules.js';
import type { Lot } from '../domain/lot.js';
import type { Geos, GeomPtr } from '../geo/geos.js';
import { toValidArea } from '../geo/repair.js';
import { BatchGeometries } from './batch-geometries.js';
import type { CandidateZone } from './classify.js';
import { lotsOfZone } from './lots-of-zone.js';
import { openedParts, type OpportunityPart } from './opening.js';
import { recentlyRegulatedArea } from './recent-regulation.js';
import { landToSubtract, subtract } from './subtract.js';
import {
  emptyBatchStats,
  type BatchResult,
  type BatchStats,
  type StageTimes,
  type ZoneBatch,
} from './zone-batch.js';

/**
 * Runs the rules on a batch of zones: each zone minus the union of regulated land (and of newer
 * kommuneplaner), opened by `sliverOpeningM` to remove slivers, split into parts, small parts
 * dropped; each part split by parcels and grouped per property into lots.
 */
export function processZones(geos: Geos, batch: ZoneBatch, rules: EngineRules): BatchResult {
  const stats = emptyBatchStats(batch.zones.length);
  const fallbacksBefore = geos.fallbacks;
  const inputs = new BatchGeometries(geos, batch);
  const context: BatchContext = { batch, inputs, rules, stats };
  const lots: Lot[] = [];
  try {
    for (const zone of batch.zones) {
      for (const lot of processZone(geos, zone, context)) {
        lots.push(lot);
        stats.lots += 1;
        stats.lotAreaM2 += lot.arealM2;
      }
    }
    const repairs = inputs.repairLabels();
    stats.repairedSubtracted.push(...repairs.subtracted);
    stats.repairedParcels.push(...repairs.parcels);
    stats.droppedGeometries.push(...repairs.dropped);
  } finally {
    inputs.dispose();
  }
  stats.overlayFallbacks = geos.fallbacks - fallbacksBefore;
  return { lots, stats };
}

interface BatchContext {
  batch: ZoneBatch;
  inputs: BatchGeometries;
  rules: EngineRules;
  stats: BatchStats;
}

/** One zone through the pipeline: subtract, open, split by parcels. */
function processZone(geos: Geos, zone: CandidateZone, context: BatchContext): Lot[] {
  const { stats } = context;
  const valid = timed(stats.ms, 'prepare', () => toValidArea(geos, zone.geometry));
  if (valid.repaired) (valid.ptr ? stats.repairedZones : stats.droppedGeometries).push(zone.lokalId);
  if (!valid.ptr) return [];
  let parts: OpportunityPart[];
  try {
    parts = opportunityOfZone(geos, zone, valid.ptr, context);
  } finally {
    geos.destroy(valid.ptr);
  }
  try {
    const zoneLots = timed(stats.ms, 'lots', () =>
      lotsOfZone(geos, {
        kommunenummer: context.batch.kommunenummer,
        zone,
        zoneRepairs: valid.repaired ? 1 : 0,
        parts,
        inputs: context.inputs,
        rules: context.rules,
      }),
    );
    stats.unparcelledAreaM2 += zoneLots.unparcelledAreaM2;
    return zoneLots.lots;
  } finally {
    for (const part of parts) geos.destroy(part.ptr);
  }
}

/** The zone minus regulated land and newer kommuneplaner, opened: its opportunity parts (owned by the caller). */
function opportunityOfZone(
  geos: Geos,
  zone: CandidateZone,
  zonePtr: GeomPtr,
  { batch, inputs, rules, stats }: BatchContext,
): OpportunityPart[] {
  const zoneArea = geos.area(zonePtr);
  stats.zoneAreaM2 += zoneArea;
  const land = timed(stats.ms, 'prepare', () => landToSubtract(geos, zone, zonePtr, inputs));
  if (land.clippedByNewer) stats.zonesClippedByNewerPlans += 1;
  stats.recentlyRegulatedAreaM2 += timed(stats.ms, 'evidence', () =>
    recentlyRegulatedArea(geos, zonePtr, zoneArea, land, {
      inputs,
      since: batch.recentSince,
      grid: rules.fallbackPrecisionM,
    }),
  );
  const remaining = timed(stats.ms, 'subtract', () =>
    subtract(geos, zonePtr, land.subtractors, rules.fallbackPrecisionM),
  );
  try {
    const remainingArea = geos.area(remaining);
    stats.subtractedAreaM2 += zoneArea - remainingArea;
    return timed(stats.ms, 'opening', () => openedParts(geos, remaining, remainingArea, rules, stats));
  } finally {
    geos.destroy(remaining);
  }
}

function timed<T>(ms: StageTimes, stage: keyof StageTimes, step: () => T): T {
  const started = performance.now();
  try {
    return step();
  } finally {
    ms[stage] += performance.now() - started;
  }
}
