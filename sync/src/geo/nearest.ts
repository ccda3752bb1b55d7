import type { BBox } from '../domain/geometry.js';
import type { Geos, GeomPtr } from './geos.js';
import type { PreparedSet } from './prepared-set.js';
import { expandBox } from './spatial-index.js';

/** Shortest distance between two boxes (0 when they overlap): a lower bound of the geometries' distance. */
export function boxDistance(a: BBox, b: BBox): number {
  const dx = Math.max(0, b[0] - a[2], a[0] - b[2]);
  const dy = Math.max(0, b[1] - a[3], a[1] - b[3]);
  return Math.hypot(dx, dy);
}

export interface Nearest {
  /** Index of the nearest item in the set. */
  index: number;
  distance: number;
}

/**
 * The item of `set` nearest to `target`, if any lies within `maxDistance`. Candidates come from
 * the box index and are measured exactly (GEOS, prepared) in order of their box distance; the
 * search stops once a box is farther than the best exact distance. Ties go to the lower index.
 */
export function nearestWithin<T>(
  geos: Geos,
  set: PreparedSet<T>,
  target: GeomPtr,
  targetBox: BBox,
  maxDistance: number,
  accept: (item: T) => boolean = () => true,
): Nearest | null {
  const candidates = set
    .candidates(expandBox(targetBox, maxDistance))
    .map((index) => ({ index, bound: boxDistance(targetBox, set.boxes[index]!) }))
    .filter((c) => c.bound <= maxDistance && accept(set.items[c.index]!))
    .sort((a, b) => a.bound - b.bound || a.index - b.index);
  let best: Nearest | null = null;
  for (const { index, bound } of candidates) {
    if (best && bound > best.distance) break;
    const prepared = set.prepared(index);
    if (!prepared) continue;
    const distance = geos.preparedDistance(prepared, target);
    if (distance > maxDistance) continue;
    if (!best || distance < best.distance || (distance === best.distance && index < best.index))
      best = { index, distance };
  }
  return best;
}
