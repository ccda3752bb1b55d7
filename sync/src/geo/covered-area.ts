import type { Geos, GeomPtr } from './geos.js';
import type { PreparedSet } from './prepared-set.js';

export interface Coverage {
  /** Covered area (m² for EPSG:25833); overlapping items count once. */
  area: number;
  /** The items that cover some of the target (sharing only a boundary is not covering). */
  indexes: number[];
}

/**
 * How much of `target` the union of some items of a set covers. Once an item covers the whole
 * target no more overlays are run; items that only touch it add nothing.
 */
export function coveredArea<T>(
  geos: Geos,
  set: PreparedSet<T>,
  indexes: readonly number[],
  target: GeomPtr,
  targetArea: number,
  fallbackGrid: number,
): Coverage {
  const pieces: GeomPtr[] = [];
  const covering: number[] = [];
  let whole = false;
  try {
    for (const index of indexes) {
      const prepared = set.prepared(index);
      if (!prepared || !geos.preparedIntersects(prepared, target)) continue;
      if (whole || geos.preparedCovers(prepared, target)) {
        // Once the target is covered whole, the others only need naming, not measuring.
        if (!geos.preparedTouches(prepared, target)) covering.push(index);
        whole = true;
        continue;
      }
      const piece = geos.intersection(set.ptr(index)!, target, fallbackGrid);
      if (geos.area(piece) > 0) {
        pieces.push(piece);
        covering.push(index);
      } else geos.destroy(piece);
    }
    if (whole) return { area: targetArea, indexes: covering };
    if (pieces.length === 0) return { area: 0, indexes: [] };
    if (pieces.length === 1) return { area: geos.area(pieces[0]!), indexes: covering };
    const area = geos.withCollection(pieces, (collection) => {
      const union = geos.unaryUnion(collection, fallbackGrid);
      try {
        return geos.area(union);
      } finally {
        geos.destroy(union);
      }
    });
    return { area, indexes: covering };
  } finally {
    geos.destroy(...pieces);
  }
}
