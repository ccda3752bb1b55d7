import type { Lot } from '../domain/lot.js';
import type { Parcel } from '../domain/parcel.js';
import type { CandidateZone, PlanOutline, SubtractedArea } from './classify.js';

/** Everything needed to find the lots of a set of zones; plain data, so it can cross to a worker thread. */
export interface ZoneBatch {
  kommunenummer: string;
  zones: CandidateZone[];
  subtract: SubtractedArea[];
  kommuneplanOutlines: PlanOutline[];
  inProgress: PlanOutline[];
  parcels: Parcel[];
  /**
   * Reguleringsplaner in force on or after this ISO date are recent (plan evidence for the kommune
   * ranking); without it, none is.
   */
  recentSince?: string;
}

/** Areas and counts a batch of zones adds up (the kommune's summary is their sum over batches). */
export interface ZoneTotals {
  zoneAreaM2: number;
  /** Part of the zones covered by regulated land (and by newer kommuneplaner). */
  subtractedAreaM2: number;
  zonesClippedByNewerPlans: number;
  sliverAreaM2: number;
  smallParts: number;
  smallPartsAreaM2: number;
  opportunityParts: number;
  opportunityAreaM2: number;
  lotAreaM2: number;
  /**
   * Part of the zones (outside newer kommuneplaner) covered by reguleringsplaner in force since
   * the batch's `recentSince`: housing land regulated recently, out of the kommuneplan's reserve.
   */
  recentlyRegulatedAreaM2: number;
  /** Opportunity left in pieces under the lot minimum or outside every parcel. */
  unparcelledAreaM2: number;
  overlayFallbacks: number;
}

export const ZONE_TOTAL_KEYS: ReadonlyArray<keyof ZoneTotals> = [
  'zoneAreaM2',
  'subtractedAreaM2',
  'zonesClippedByNewerPlans',
  'sliverAreaM2',
  'smallParts',
  'smallPartsAreaM2',
  'opportunityParts',
  'opportunityAreaM2',
  'lotAreaM2',
  'recentlyRegulatedAreaM2',
  'unparcelledAreaM2',
  'overlayFallbacks',
];

export interface BatchStats extends ZoneTotals {
  zones: number;
  lots: number;
  repairedZones: string[];
  repairedSubtracted: string[];
  repairedParcels: string[];
  droppedGeometries: string[];
  ms: StageTimes;
}

/** Milliseconds spent per stage of the zone pipeline. */
export interface StageTimes {
  prepare: number;
  subtract: number;
  opening: number;
  lots: number;
  /** Measuring recently regulated land (plan evidence): the cost of that figure alone. */
  evidence: number;
}

export interface BatchResult {
  lots: Lot[];
  stats: BatchStats;
  /** The lot annotator's output for `lots`, one each in their order (worker threads only). */
  annotations?: unknown[];
}

export function emptyBatchStats(zones: number): BatchStats {
  return {
    zones,
    zoneAreaM2: 0,
    subtractedAreaM2: 0,
    zonesClippedByNewerPlans: 0,
    sliverAreaM2: 0,
    smallParts: 0,
    smallPartsAreaM2: 0,
    opportunityParts: 0,
    opportunityAreaM2: 0,
    lots: 0,
    lotAreaM2: 0,
    recentlyRegulatedAreaM2: 0,
    unparcelledAreaM2: 0,
    overlayFallbacks: 0,
    repairedZones: [],
    repairedSubtracted: [],
    repairedParcels: [],
    droppedGeometries: [],
    ms: { prepare: 0, subtract: 0, opening: 0, lots: 0, evidence: 0 },
  };
}
