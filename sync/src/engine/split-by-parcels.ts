import type { EngineRules } from '../config/engine-rules.js';
import type { Parcel } from '../domain/parcel.js';
import type { Geos, GeomPtr, PreparedPtr } from '../geo/geos.js';
import type { PreparedSet } from '../geo/prepared-set.js';
import type { BatchGeometries } from './batch-geometries.js';
import type { OpportunityPart } from './opening.js';

/** One parcel's share of an opportunity part. */
export interface Piece {
  /** The piece's geometry: the parcel's own (borrowed from the set) when the part covers the parcel. */
  ptr: GeomPtr;
  owned: boolean;
  area: number;
  partIndex: number;
  /** Index of the parcel in the batch's parcel set. */
  parcel: number;
}

/** A zone's opportunity cut by parcels. Owns the pieces' geometries: call `freePieces`. */
export interface ZonePieces {
  /** Pieces of at least `minPieceM2`, per property (matrikkelnummertekst), in the order found. */
  byProperty: Map<string, Piece[]>;
  /** The properties each part spans (by the same `minPieceM2` rule), per part index. */
  propertiesInPart: Map<number, Set<string>>;
}

/** Cuts one opportunity part by the parcels it meets, adding the pieces to `pieces`. */
export function splitPartByParcels(
  geos: Geos,
  part: OpportunityPart,
  inputs: BatchGeometries,
  rules: EngineRules,
  pieces: ZonePieces,
): void {
  const parcels = inputs.parcels;
  const prepared = geos.prepare(part.ptr);
  const properties = new Set<string>();
  pieces.propertiesInPart.set(part.index, properties);
  try {
    for (const i of parcels.candidates(geos.bounds(part.ptr))) {
      const parcelPtr = parcels.ptr(i);
      if (!parcelPtr || !geos.preparedIntersects(prepared, parcelPtr)) continue;
      const property = parcels.items[i]!.matrikkelnummertekst;
      // A property whose teiger together are under the minimum can never hold a lot: it only
      // counts towards the properties the part spans, by the same minPieceM2 rule as the others.
      if (inputs.propertyAreaBoundM2(property) < rules.minLotM2) {
        if (sharesAPiece(geos, part, prepared, parcelPtr, rules)) properties.add(property);
        continue;
      }
      const piece = pieceOf(geos, part, prepared, parcels, i, rules.fallbackPrecisionM);
      if (piece.area < rules.minPieceM2) {
        if (piece.owned) geos.destroy(piece.ptr);
        continue;
      }
      properties.add(property);
      const ofProperty = pieces.byProperty.get(property) ?? [];
      ofProperty.push(piece);
      pieces.byProperty.set(property, ofProperty);
    }
  } finally {
    geos.destroyPrepared(prepared);
  }
}

export function freePieces(geos: Geos, pieces: ZonePieces): void {
  for (const ofProperty of pieces.byProperty.values())
    for (const piece of ofProperty) if (piece.owned) geos.destroy(piece.ptr);
}

/** The part's overlap with a parcel it meets; a covered parcel needs no overlay. */
function pieceOf(
  geos: Geos,
  part: OpportunityPart,
  prepared: PreparedPtr,
  parcels: PreparedSet<Parcel>,
  parcel: number,
  grid: number,
): Piece {
  const parcelPtr = parcels.ptr(parcel)!;
  if (geos.preparedCovers(prepared, parcelPtr)) {
    return { ptr: parcelPtr, owned: false, area: parcels.area(parcel), partIndex: part.index, parcel };
  }
  const ptr = geos.intersection(part.ptr, parcelPtr, grid);
  return { ptr, owned: true, area: geos.area(ptr), partIndex: part.index, parcel };
}

/** Whether a parcel shares at least `minPieceM2` with a part; a covered parcel needs no overlay. */
function sharesAPiece(
  geos: Geos,
  part: OpportunityPart,
  prepared: PreparedPtr,
  parcel: GeomPtr,
  rules: EngineRules,
): boolean {
  // Stryker disable next-line ConditionalExpression,BlockStatement: the overlap of a covered parcel is the parcel, so the overlay below gives the same answer; this only skips it
  if (geos.preparedCovers(prepared, parcel)) {
    return geos.area(parcel) >= rules.minPieceM2;
  }
  if (geos.preparedTouches(prepared, parcel)) return false;
  const overlap = geos.intersection(part.ptr, parcel, rules.fallbackPrecisionM);
  try {
    return geos.area(overlap) >= rules.minPieceM2;
  } finally {
    geos.destroy(overlap);
  }
}
