import type { AreaGeometry, BBox } from '../domain/geometry.js';
import { bboxOf } from '../geo/crs.js';
import { getGeos } from '../geo/geos.js';
import { boxDistance } from '../geo/nearest.js';

export interface LotShape {
  tomtId: string;
  geometry: AreaGeometry;
}

/**
 * For each lot of `others`, the developer lots within `metres` of it (EPSG:25833, so metres):
 * boxes first, then the exact distance (GEOS). A lot is never its own neighbour.
 */
export async function neighboursWithin(
  developerLots: readonly LotShape[],
  others: readonly LotShape[],
  metres: number,
): Promise<Map<string, string[]>> {
  const geos = await getGeos();
  const boxes = new Map<string, BBox>(
    [...developerLots, ...others].map((l) => [l.tomtId, bboxOf(l.geometry)]),
  );
  const found = new Map<string, string[]>();
  for (const lot of others) {
    const near = developerLots.filter(
      (d) => d.tomtId !== lot.tomtId && boxDistance(boxes.get(d.tomtId)!, boxes.get(lot.tomtId)!) <= metres,
    );
    if (near.length === 0) continue;
    const a = geos.fromGeometry(lot.geometry);
    try {
      for (const d of near) {
        const b = geos.fromGeometry(d.geometry);
        try {
          if (geos.distance(a, b) <= metres)
            found.set(lot.tomtId, [...(found.get(lot.tomtId) ?? []), d.tomtId]);
        } finally {
          geos.destroy(b);
        }
      }
    } finally {
      geos.destroy(a);
    }
  }
  return found;
}
