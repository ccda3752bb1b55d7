import type { EngineRules } from '../config/engine-rules.js';
import type { AreaGeometry, BBox } from '../domain/geometry.js';
import { lotId, type Lot } from '../domain/lot.js';
import type { Parcel } from '../domain/parcel.js';
import { bboxOf } from '../geo/crs.js';
import type { Geos, GeomPtr, PreparedPtr } from '../geo/geos.js';
import { toValidArea } from '../geo/repair.js';
import { BoxIndex } from '../geo/spatial-index.js';
import { uniqueBy } from '../util/collections.js';
import { newerPlansOver, type CandidateZone, type PlanOutline, type SubtractedArea } from './classify.js';

/** Everything needed to find the lots of a set of zones; plain data, so it can cross to a worker thread. */
export interface ZoneBatch {
  kommunenummer: string;
  zones: CandidateZone[];
  subtract: SubtractedArea[];
  kommuneplanOutlines: PlanOutline[];
  inProgress: PlanOutline[];
  parcels: Parcel[];
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
  ms: { prepare: number; subtract: number; opening: number; lots: number };
}

export interface BatchResult {
  lots: Lot[];
  stats: BatchStats;
}

/** Zone parts smaller than this are not counted as dropped small parts (they are slivers). */
const SLIVER_M2 = 1;

interface Prepared<T> {
  item: T;
  ptr: GeomPtr | null;
  area: number;
  repaired: boolean;
}

/**
 * Runs the rules on a batch of zones: each zone minus the union of regulated land (and of newer
 * kommuneplaner), opened by `sliverOpeningM` to remove slivers, split into parts, small parts
 * dropped; each part split by parcels and grouped per property into lots.
 */
export function processZones(geos: Geos, batch: ZoneBatch, rules: EngineRules): BatchResult {
  const stats: BatchStats = {
    zones: batch.zones.length,
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
    unparcelledAreaM2: 0,
    overlayFallbacks: 0,
    repairedZones: [],
    repairedSubtracted: [],
    repairedParcels: [],
    droppedGeometries: [],
    ms: { prepare: 0, subtract: 0, opening: 0, lots: 0 },
  };
  const fallbacksBefore = geos.fallbacks;
  const grid = rules.fallbackPrecisionM;

  // Each input geometry is converted (and repaired) at most once, and only when a zone needs it.
  const cache = new Map<object, Prepared<unknown>>();
  const prepare = <T extends { geometry: AreaGeometry }>(
    item: T,
    label: string,
    repaired: string[],
  ): Prepared<T> => {
    let entry = cache.get(item) as Prepared<T> | undefined;
    if (!entry) {
      const valid = toValidArea(geos, item.geometry);
      if (valid.repaired) (valid.ptr ? repaired : stats.droppedGeometries).push(label);
      entry = { item, ptr: valid.ptr, area: valid.ptr ? geos.area(valid.ptr) : 0, repaired: valid.repaired };
      cache.set(item, entry);
    }
    return entry;
  };
  const subtractIndex = new BoxIndex(batch.subtract, (s) => bboxOf(s.geometry));
  const outlineIndex = new BoxIndex(batch.kommuneplanOutlines, (o) => bboxOf(o.geometry));
  const parcelBoxes = batch.parcels.map((p) => bboxOf(p.geometry));
  const parcelIndex = new BoxIndex(batch.parcels, (_p, i) => parcelBoxes[i]!);
  const inProgressIndex = new BoxIndex(batch.inProgress, (p) => bboxOf(p.geometry));
  // An upper bound on each property's area: bounding boxes, because a self-crossing teig's ring
  // area understates what MakeValid gives back, and a bound that is too low would lose a lot.
  const propertyArea = new Map<string, number>();
  batch.parcels.forEach((parcel, i) => {
    const key = parcel.matrikkelnummertekst;
    const [minX, minY, maxX, maxY] = parcelBoxes[i]!;
    propertyArea.set(key, (propertyArea.get(key) ?? 0) + (maxX - minX) * (maxY - minY));
  });

  const lots: Lot[] = [];
  try {
    for (const zone of batch.zones) {
      let started = performance.now();
      const zoneEntry = prepare(zone, zone.lokalId, stats.repairedZones);
      if (!zoneEntry.ptr) continue;
      const zoneBox = geos.bounds(zoneEntry.ptr);
      stats.zoneAreaM2 += zoneEntry.area;

      const newer = new Set(newerPlansOver(zone, outlineIndex.search(zoneBox)));
      const subtractors: GeomPtr[] = [];
      for (const area of subtractIndex.search(zoneBox)) {
        const entry = prepare(area, `${area.kind} ${area.planId}`, stats.repairedSubtracted);
        if (entry.ptr) subtractors.push(entry.ptr);
      }
      let clippedByNewer = false;
      for (const outline of newer) {
        const entry = prepare(outline, `kommuneplan ${outline.planId}`, stats.repairedSubtracted);
        if (entry.ptr && geos.intersects(entry.ptr, zoneEntry.ptr)) {
          subtractors.push(entry.ptr);
          clippedByNewer = true;
        }
      }
      if (clippedByNewer) stats.zonesClippedByNewerPlans += 1;
      stats.ms.prepare += performance.now() - started;

      started = performance.now();
      const remaining = subtract(geos, zoneEntry.ptr, subtractors, grid);
      const remainingArea = geos.area(remaining);
      stats.subtractedAreaM2 += zoneEntry.area - remainingArea;
      stats.ms.subtract += performance.now() - started;

      started = performance.now();
      const opened = openArea(geos, remaining, rules);
      geos.destroy(remaining);
      stats.sliverAreaM2 += remainingArea - geos.area(opened);
      const parts = geos.polygonParts(opened);
      geos.destroy(opened);
      const kept: Array<{ ptr: GeomPtr; area: number; index: number }> = [];
      parts.forEach((ptr, index) => {
        const area = geos.area(ptr);
        if (area >= rules.minOpportunityM2) kept.push({ ptr, area, index });
        else {
          if (area > SLIVER_M2) stats.smallParts += 1;
          stats.smallPartsAreaM2 += area;
          geos.destroy(ptr);
        }
      });
      stats.opportunityParts += kept.length;
      for (const part of kept) stats.opportunityAreaM2 += part.area;
      stats.ms.opening += performance.now() - started;

      started = performance.now();
      const zoneLots = lotsOfZone(geos, zone, kept, {
        kommunenummer: batch.kommunenummer,
        parcels: parcelIndex,
        inProgress: inProgressIndex,
        prepareParcel: (parcel) => prepare(parcel, `teig ${parcel.teigId}`, stats.repairedParcels),
        prepareOutline: (outline) =>
          prepare(outline, `reguleringsplan ${outline.planId}`, stats.repairedSubtracted),
        propertyAreaM2: (key) => propertyArea.get(key) ?? 0,
        zoneRepairs: zoneEntry.repaired ? 1 : 0,
        rules,
      });
      for (const part of kept) geos.destroy(part.ptr);
      for (const lot of zoneLots.lots) {
        lots.push(lot);
        stats.lots += 1;
        stats.lotAreaM2 += lot.arealM2;
      }
      stats.unparcelledAreaM2 += zoneLots.unparcelledAreaM2;
      stats.ms.lots += performance.now() - started;
    }
  } finally {
    for (const entry of cache.values()) geos.destroy(entry.ptr);
  }
  stats.overlayFallbacks = geos.fallbacks - fallbacksBefore;
  return { lots, stats };
}

/** Up to this many subtractors, one difference each is faster than a union first (measured on the bench kommune). */
const SEQUENTIAL_DIFFERENCE_MAX = 16;

/** zone minus the union of the subtractors (a new geometry). */
function subtract(geos: Geos, zone: GeomPtr, subtractors: GeomPtr[], grid: number): GeomPtr {
  if (subtractors.length <= SEQUENTIAL_DIFFERENCE_MAX) {
    let remaining = geos.clone(zone);
    for (const subtractor of subtractors) {
      const next = geos.difference(remaining, subtractor, grid);
      geos.destroy(remaining);
      remaining = next;
    }
    return remaining;
  }
  const union = geos.withCollection(subtractors, (collection) => geos.unaryUnion(collection, grid));
  try {
    return geos.difference(zone, union, grid);
  } finally {
    geos.destroy(union);
  }
}

/**
 * Morphological opening: inward buffer then outward buffer by the same distance. Removes slivers
 * and necks narrower than twice the distance (plan and zone boundaries digitised from the same
 * lines leave millimetre strips) while giving larger areas back their shape.
 */
function openArea(geos: Geos, area: GeomPtr, rules: EngineRules): GeomPtr {
  if (rules.sliverOpeningM <= 0) return geos.clone(area);
  const style = { join: rules.openingJoin, mitreLimit: 5 } as const;
  const eroded = geos.buffer(area, -rules.sliverOpeningM, style);
  try {
    return geos.buffer(eroded, rules.sliverOpeningM, style);
  } finally {
    geos.destroy(eroded);
  }
}

interface LotContext {
  kommunenummer: string;
  parcels: BoxIndex<Parcel>;
  inProgress: BoxIndex<PlanOutline>;
  prepareParcel: (parcel: Parcel) => Prepared<Parcel>;
  prepareOutline: (outline: PlanOutline) => Prepared<PlanOutline>;
  /** An upper bound on a property's area (its teiger in this batch, m²). */
  propertyAreaM2: (matrikkelnummertekst: string) => number;
  zoneRepairs: number;
  rules: EngineRules;
}

interface Piece {
  /** The piece's geometry: the parcel's own (borrowed) when the part covers the parcel. */
  ptr: GeomPtr;
  owned: boolean;
  area: number;
  partIndex: number;
  parcel: Prepared<Parcel>;
}

/**
 * Splits a zone's opportunity parts by parcels. Pieces of the same property (matrikkelnummer)
 * in the same zone form one lot, so the lot id `kommune-matrikkelnummer-zone` is unique even
 * where a property has several teiger or a parcel spans two parts.
 */
function lotsOfZone(
  geos: Geos,
  zone: CandidateZone,
  parts: Array<{ ptr: GeomPtr; area: number; index: number }>,
  context: LotContext,
): { lots: Lot[]; unparcelledAreaM2: number } {
  const byProperty = new Map<string, Piece[]>();
  const propertiesInPart = new Map<number, Set<string>>();
  const opportunityArea = parts.reduce((sum, p) => sum + p.area, 0);
  try {
    for (const part of parts) {
      const prepared = geos.prepare(part.ptr);
      const properties = new Set<string>();
      propertiesInPart.set(part.index, properties);
      try {
        for (const parcel of context.parcels.search(geos.bounds(part.ptr))) {
          const entry = context.prepareParcel(parcel);
          if (!entry.ptr || !geos.preparedIntersects(prepared, entry.ptr)) continue;
          // A property whose teiger together are under the minimum can never hold a lot: it only
          // counts towards the properties the part spans, by the same minPieceM2 rule as the others.
          const { minLotM2, minPieceM2, fallbackPrecisionM } = context.rules;
          if (context.propertyAreaM2(parcel.matrikkelnummertekst) < minLotM2) {
            if (overlapsByAtLeast(minPieceM2, geos, prepared, part.ptr, entry.ptr, fallbackPrecisionM)) {
              properties.add(parcel.matrikkelnummertekst);
            }
            continue;
          }
          let piece: Piece;
          if (geos.preparedCovers(prepared, entry.ptr)) {
            piece = { ptr: entry.ptr, owned: false, area: entry.area, partIndex: part.index, parcel: entry };
          } else {
            const ptr = geos.intersection(part.ptr, entry.ptr, context.rules.fallbackPrecisionM);
            piece = { ptr, owned: true, area: geos.area(ptr), partIndex: part.index, parcel: entry };
          }
          if (piece.area < context.rules.minPieceM2) {
            if (piece.owned) geos.destroy(piece.ptr);
            continue;
          }
          properties.add(parcel.matrikkelnummertekst);
          const pieces = byProperty.get(parcel.matrikkelnummertekst) ?? [];
          pieces.push(piece);
          byProperty.set(parcel.matrikkelnummertekst, pieces);
        }
      } finally {
        geos.destroyPrepared(prepared);
      }
    }

    const lots: Lot[] = [];
    for (const [matrikkelnummertekst, pieces] of byProperty) {
      const area = pieces.reduce((sum, p) => sum + p.area, 0);
      if (area < context.rules.minLotM2) continue;
      const largest = pieces.reduce((a, b) => (b.area > a.area ? b : a));
      const teiger = uniqueBy(
        pieces.map((p) => p.parcel),
        (p) => p.item.teigId,
      );
      const single = pieces.length === 1 ? pieces[0]! : null;
      const union = single
        ? null
        : geos.withCollection(
            pieces.map((p) => p.ptr),
            (c) => geos.unaryUnion(c, context.rules.fallbackPrecisionM),
          );
      const lotPtr = union ?? single!.ptr;
      const geometry =
        single && !single.owned && !single.parcel.repaired
          ? single.parcel.item.geometry
          : geos.toAreaGeometry(lotPtr);
      const planarbeid = plansInProgressOver(geos, lotPtr, context);
      geos.destroy(union);
      if (!geometry) continue;
      const parcel = largest.parcel.item;
      lots.push({
        tomtId: lotId(context.kommunenummer, matrikkelnummertekst, zone.lokalId),
        kommunenummer: context.kommunenummer,
        matrikkelnummertekst,
        matrikkelenheter: parcel.matrikkelenheter,
        matrikkelenhetId: parcel.matrikkelenhetId,
        teigId: teiger.map((t) => t.item.teigId).join(','),
        zone: {
          lokalId: zone.lokalId,
          planId: zone.planId,
          objekttypenavn: zone.objekttypenavn,
          arealformal: zone.arealformal,
          arealbruk: zone.arealbruk,
          arealbruksstatus: zone.arealbruksstatus,
          omradenavn: zone.omradenavn,
          utnytting: zone.utnytting,
        },
        arealM2: round2(area),
        parcelArealM2: round2(teiger.reduce((sum, t) => sum + t.area, 0)),
        opportunityId: `${zone.lokalId}#${largest.partIndex}`,
        opportunityArealM2: round2(parts.find((p) => p.index === largest.partIndex)!.area),
        parcelsInOpportunity: propertiesInPart.get(largest.partIndex)!.size,
        planarbeidPagar: planarbeid,
        zoneRepairs: context.zoneRepairs,
        geometry,
      });
    }
    const lotArea = lots.reduce((sum, lot) => sum + lot.arealM2, 0);
    return { lots, unparcelledAreaM2: Math.max(0, opportunityArea - lotArea) };
  } finally {
    for (const pieces of byProperty.values())
      for (const piece of pieces) if (piece.owned) geos.destroy(piece.ptr);
  }
}

/** Whether a parcel shares at least `minimum` m² with a part; a covered parcel needs no overlay. */
function overlapsByAtLeast(
  minimum: number,
  geos: Geos,
  part: PreparedPtr,
  partPtr: GeomPtr,
  parcel: GeomPtr,
  grid: number,
): boolean {
  if (geos.preparedCovers(part, parcel)) return geos.area(parcel) >= minimum;
  if (geos.preparedTouches(part, parcel)) return false;
  const overlap = geos.intersection(partPtr, parcel, grid);
  try {
    return geos.area(overlap) >= minimum;
  } finally {
    geos.destroy(overlap);
  }
}

/** Plans in progress that overlap the lot by at least minPieceM2 (a shared, re-digitised boundary is not touching land). */
function plansInProgressOver(geos: Geos, lot: GeomPtr, context: LotContext): string[] {
  const ids = new Set<string>();
  const box: BBox = geos.bounds(lot);
  for (const outline of context.inProgress.search(box)) {
    const entry = context.prepareOutline(outline);
    if (!entry.ptr || !geos.intersects(entry.ptr, lot)) continue;
    const overlap = geos.intersection(entry.ptr, lot, context.rules.fallbackPrecisionM);
    const area = geos.area(overlap);
    geos.destroy(overlap);
    if (area >= context.rules.minPieceM2) ids.add(outline.planId);
  }
  return [...ids].sort();
}

const round2 = (n: number) => Math.round(n * 100) / 100;
