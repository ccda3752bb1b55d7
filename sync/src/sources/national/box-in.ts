import type { BBox } from '../../domain/geometry.js';
import { transformFor } from '../../geo/crs.js';

/** A box in EPSG:25833 as the envelope of its corners in another CRS (another UTM zone, lon/lat 4326). */
export function boxIn(bbox: BBox, epsg: number): BBox {
  if (epsg === 25833) return bbox;
  const to = transformFor(25833, epsg);
  const corners = [
    to([bbox[0], bbox[1]]),
    to([bbox[2], bbox[1]]),
    to([bbox[2], bbox[3]]),
    to([bbox[0], bbox[3]]),
  ];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
