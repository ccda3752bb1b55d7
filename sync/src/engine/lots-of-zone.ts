import type { EngineRules } from '../config/engine-rules.js';
import type { AreaGeometry } from '../domain/geometry.js';
import { lotId, type Lot, type ZoneUse } from '../domain/lot.js';
import type { Geos, GeomPtr } from '../geo/geos.js';
import { unique, uniqueBy } from '../util/collections.js';
import type { BatchGeometries } from './batch-geometries.js';
import type { CandidateZone } from './classify.js';
import type { OpportunityPart } from './opening.js';
import { freePieces, splitPartByParcels, type Piece, type ZonePieces } from './split-by-parcels.js';

/** What a zone's lots are made from. */
export interface ZoneContext {
  kommunenummer: string;
  zone: CandidateZone;
  /** 1 when the zone's geometry was repaired, else 0. */
  zoneRepairs: number;
  parts: OpportunityPart[];
  inputs: BatchGeometries;
  rules: EngineRules;
}

export interface ZoneLots {
  lots: Lot[];
  /** Opportunity left in pieces under the lot minimum or outside every parcel. */
  unparcelledAreaM2: number;
}

/**
 * Splits a zone's opportunity parts by parcels. Pieces of the same property (matrikkelnummer)
 * in the same zone form one lot, so the lot id `kommune-matrikkelnummer-zone` is unique even
 * where a property has several teiger or a parcel spans two parts.
 */
export function lotsOfZone(geos: Geos, context: ZoneContext): ZoneLots {
  const pieces: ZonePieces = { byProperty: new Map(), propertiesInPart: new Map() };
  try {
    for (const part of context.parts) splitPartByParcels(geos, part, context.inputs, context.rules, pieces);
    const lots: Lot[] = [];
    for (const [matrikkelnummertekst, ofProperty] of pieces.byProperty) {
      const lot = lotOfProperty(geos, matrikkelnummertekst, ofProperty, pieces, context);
      if (lot) lots.push(lot);
    }
    const opportunityArea = context.parts.reduce((sum, p) => sum + p.area, 0);
    const lotArea = lots.reduce((sum, lot) => sum + lot.arealM2, 0);
    return { lots, unparcelledAreaM2: Math.max(0, opportunityArea - lotArea) };
  } finally {
    freePieces(geos, pieces);
  }
}

/** The lot of one property's pieces, or null when they add up to less than the lot minimum. */
function lotOfProperty(
  geos: Geos,
  matrikkelnummertekst: string,
  pieces: Piece[],
  zonePieces: ZonePieces,
  context: ZoneContext,
): Lot | null {
  const { kommunenummer, zone, parts, inputs } = context;
  const area = pieces.reduce((sum, p) => sum + p.area, 0);
  if (area < context.rules.minLotM2) return null;
  const { geometry, planarbeid } = shapeOf(geos, pieces, context);
  if (!geometry) return null;
  const largest = pieces.reduce((a, b) => (b.area > a.area ? b : a));
  const parcel = inputs.parcels.items[largest.parcel]!;
  const teiger = uniqueBy(
    pieces.map((p) => p.parcel),
    (i) => inputs.parcels.items[i]!.teigId,
  );
  return {
    tomtId: lotId(kommunenummer, matrikkelnummertekst, zone.lokalId),
    kommunenummer,
    matrikkelnummertekst,
    matrikkelenheter: parcel.matrikkelenheter,
    matrikkelenhetId: parcel.matrikkelenhetId,
    teigId: teiger.map((i) => inputs.parcels.items[i]!.teigId).join(','),
    zone: zoneUseOf(zone),
    arealM2: round2(area),
    parcelArealM2: round2(teiger.reduce((sum, i) => sum + inputs.parcels.area(i), 0)),
    opportunityId: `${zone.lokalId}#${largest.partIndex}`,
    opportunityArealM2: round2(parts.find((p) => p.index === largest.partIndex)!.area),
    parcelsInOpportunity: zonePieces.propertiesInPart.get(largest.partIndex)!.size,
    planarbeidPagar: planarbeid,
    zoneRepairs: context.zoneRepairs,
    geometry,
  };
}

/** The lot's geometry (null when nothing polygonal is left) and the plans in progress over it. */
function shapeOf(
  geos: Geos,
  pieces: Piece[],
  context: ZoneContext,
): { geometry: AreaGeometry | null; planarbeid: string[] } {
  const parcels = context.inputs.parcels;
  // Stryker disable next-line ConditionalExpression,BlockStatement: the union of one piece is that piece, ring for ring (a test pins it); this only skips the union
  if (pieces.length === 1) {
    const piece = pieces[0]!;
    // A whole parcel keeps its input coordinates exactly, unless they had to be repaired.
    const geometry =
      // Stryker disable next-line ConditionalExpression: GEOS writes a valid parcel back vertex for vertex as read (a test pins a clockwise ring with a midpoint); this only skips the copy
      !piece.owned && !parcels.wasRepaired(piece.parcel)
        ? parcels.items[piece.parcel]!.geometry
        : geos.toAreaGeometry(piece.ptr);
    return { geometry, planarbeid: plansInProgressOver(geos, piece.ptr, context) };
  }
  const union = geos.withCollection(
    pieces.map((p) => p.ptr),
    (collection) => geos.unaryUnion(collection, context.rules.fallbackPrecisionM),
  );
  try {
    return { geometry: geos.toAreaGeometry(union), planarbeid: plansInProgressOver(geos, union, context) };
  } finally {
    geos.destroy(union);
  }
}

/** Plans in progress that overlap the lot by at least minPieceM2 (a shared, re-digitised boundary is not touching land). */
function plansInProgressOver(geos: Geos, lot: GeomPtr, context: ZoneContext): string[] {
  const { inProgress } = context.inputs;
  const ids: string[] = [];
  for (const i of inProgress.candidates(geos.bounds(lot))) {
    const outline = inProgress.ptr(i);
    if (!outline || !geos.intersects(outline, lot)) continue;
    const overlap = geos.intersection(outline, lot, context.rules.fallbackPrecisionM);
    const area = geos.area(overlap);
    geos.destroy(overlap);
    if (area >= context.rules.minPieceM2) ids.push(inProgress.items[i]!.planId);
  }
  return unique(ids).sort();
}

/** The zone's use as a lot carries it (the zone without its geometry and plan date). */
function zoneUseOf(zone: CandidateZone): ZoneUse {
  return {
    lokalId: zone.lokalId,
    planId: zone.planId,
    objekttypenavn: zone.objekttypenavn,
    arealformal: zone.arealformal,
    arealbruk: zone.arealbruk,
    arealbruksstatus: zone.arealbruksstatus,
    omradenavn: zone.omradenavn,
    utnytting: zone.utnytting,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
