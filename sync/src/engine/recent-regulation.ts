import type { Geos, GeomPtr } from '../geo/geos.js';
import type { BatchGeometries } from './batch-geometries.js';
import { subtract, type LandToSubtract } from './subtract.js';

/**
 * Plan evidence for the kommune ranking (issue 12, point 3): the area of a candidate zone covered
 * by reguleringsplaner in force since `since` (ISO date), counted once where plans overlap. Where
 * a newer kommuneplan governs part of the zone, that part is left out: the newer plan's own zones
 * count it, so land is not counted twice. A plan without a date is never recent.
 */
export function recentlyRegulatedArea(
  geos: Geos,
  zonePtr: GeomPtr,
  zoneArea: number,
  land: Pick<LandToSubtract, 'newer'>,
  context: { inputs: BatchGeometries; since: string | undefined; grid: number },
): number {
  const { inputs, since, grid } = context;
  if (since === undefined) return 0;
  const recent: GeomPtr[] = [];
  for (const i of inputs.regulated.candidates(geos.bounds(zonePtr))) {
    const area = inputs.regulated.items[i]!;
    // Stryker disable next-line ConditionalExpression: only a reguleringsplan has a date (SubtractedArea's type); the type checker, off in the code run, is what tells them apart
    if (area.kind !== 'reguleringsplan') continue;
    if (area.date === undefined || area.date < since) continue;
    const ptr = inputs.regulated.ptr(i);
    if (ptr) recent.push(ptr);
  }
  // Stryker disable next-line ConditionalExpression: with no recent plan nothing is subtracted and the area left is the zone's, 0 either way (a shortcut)
  if (recent.length === 0) return 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: subtracting no newer plan leaves the zone itself, whose area is zoneArea (a shortcut)
  const governed = land.newer.length > 0 ? subtract(geos, zonePtr, land.newer, grid) : null;
  try {
    const before = governed ? geos.area(governed) : zoneArea;
    const left = subtract(geos, governed ?? zonePtr, recent, grid);
    try {
      return Math.max(0, before - geos.area(left));
    } finally {
      geos.destroy(left);
    }
  } finally {
    // Stryker disable next-line ConditionalExpression: destroy skips a null pointer, so `true` frees the same
    if (governed) geos.destroy(governed);
  }
}
