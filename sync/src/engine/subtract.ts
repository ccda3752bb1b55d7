import type { Geos, GeomPtr } from '../geo/geos.js';
import type { BatchGeometries } from './batch-geometries.js';
import { governsOver, type CandidateZone } from './classify.js';

export interface LandToSubtract {
  /** GEOS geometries owned by the batch's sets (not to be freed by the caller). */
  subtractors: GeomPtr[];
  /** The newer kommuneplaner overlapping the zone (also among `subtractors`): where they govern. */
  newer: GeomPtr[];
  /** Whether a newer kommuneplan overlaps the zone. */
  clippedByNewer: boolean;
}

/** The land taken out of a zone: regulated areas over it and newer kommuneplaner that overlap it. */
export function landToSubtract(
  geos: Geos,
  zone: CandidateZone,
  zonePtr: GeomPtr,
  inputs: BatchGeometries,
): LandToSubtract {
  const zoneBox = geos.bounds(zonePtr);
  const subtractors: GeomPtr[] = [];
  for (const i of inputs.regulated.candidates(zoneBox)) {
    const ptr = inputs.regulated.ptr(i);
    if (ptr) subtractors.push(ptr);
  }
  const outlines = inputs.kommuneplanOutlines;
  const newer: GeomPtr[] = [];
  for (const i of outlines.candidates(zoneBox)) {
    if (!governsOver(outlines.items[i]!, zone)) continue;
    const ptr = outlines.ptr(i);
    if (ptr && geos.intersects(ptr, zonePtr)) {
      subtractors.push(ptr);
      newer.push(ptr);
    }
  }
  return { subtractors, newer, clippedByNewer: newer.length > 0 };
}

/** Up to this many subtractors, one difference each is faster than a union first (measured on the bench kommune). */
const SEQUENTIAL_DIFFERENCE_MAX = 16;

/** zone minus the union of the subtractors (a new geometry, owned by the caller). */
export function subtract(geos: Geos, zone: GeomPtr, subtractors: GeomPtr[], grid: number): GeomPtr {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: both ways give the zone minus the union of the subtractors; the threshold only picks the faster
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
