import { isAreaGeometry } from '../../domain/geometry.js';
import type { ConstraintLayerFeature } from '../../domain/kommune.js';
import { bboxOf } from '../../geo/crs.js';
import { getGeos, type Geos, type GeomPtr } from '../../geo/geos.js';
import { PreparedSet } from '../../geo/prepared-set.js';
import { toValidArea } from '../../geo/repair.js';

/** Snap grid (m) for an overlay GEOS cannot run exactly (near-coincident edges). */
const FALLBACK_GRID_M = 0.001;

/**
 * The part of each feature inside the coverage's union: NVE's flood awareness areas count only
 * where its coverage layer also hits. A feature wholly inside keeps its geometry; one wholly
 * outside is left out; the rest are cut to the coverage. Properties are kept.
 */
export async function clipToCoverage(
  features: readonly ConstraintLayerFeature[],
  coverage: readonly ConstraintLayerFeature[],
): Promise<ConstraintLayerFeature[]> {
  const geos = await getGeos();
  const areas = coverage.filter((c) => isAreaGeometry(c.geometry));
  const set = new PreparedSet(geos, areas, (c) => c.geometry!);
  try {
    const clipped: ConstraintLayerFeature[] = [];
    for (const feature of features) {
      if (!isAreaGeometry(feature.geometry)) continue;
      const inside = insidePart(geos, set, feature.geometry);
      if (inside) clipped.push({ ...feature, geometry: inside });
    }
    return clipped;
  } finally {
    set.dispose();
  }
}

function insidePart(
  geos: Geos,
  set: PreparedSet<ConstraintLayerFeature>,
  geometry: NonNullable<ConstraintLayerFeature['geometry']>,
) {
  const candidates = set.candidates(bboxOf(geometry));
  if (candidates.length === 0) return null;
  const valid = toValidArea(geos, geometry);
  if (!valid.ptr) return null;
  const pieces: GeomPtr[] = [];
  try {
    for (const index of candidates) {
      const prepared = set.prepared(index);
      if (!prepared || !geos.preparedIntersects(prepared, valid.ptr)) continue;
      if (geos.preparedCovers(prepared, valid.ptr)) return geometry;
      const piece = geos.intersection(set.ptr(index)!, valid.ptr, FALLBACK_GRID_M);
      if (geos.area(piece) > 0) pieces.push(piece);
      else geos.destroy(piece);
    }
    if (pieces.length === 0) return null;
    if (pieces.length === 1) return geos.toAreaGeometry(pieces[0]!);
    return geos.withCollection(pieces, (collection) => {
      const union = geos.unaryUnion(collection, FALLBACK_GRID_M);
      try {
        return geos.toAreaGeometry(union);
      } finally {
        geos.destroy(union);
      }
    });
  } finally {
    geos.destroy(valid.ptr, ...pieces);
  }
}
