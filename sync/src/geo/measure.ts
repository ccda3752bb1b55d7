import { polygonsOf, type AreaGeometry, type Ring } from '../domain/geometry.js';

/** Shoelace area of a ring (positive whatever its orientation), in the CRS's units squared. */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(sum) / 2;
}

/**
 * Planar area of a valid polygon or multipolygon (exterior minus holes). For EPSG:25833 input, m².
 * Used where a cheap bound is enough; exact overlay areas come from GEOS.
 */
export function planarArea(geometry: AreaGeometry): number {
  let area = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, index) => (area += index === 0 ? ringArea(ring) : -ringArea(ring)));
  }
  return area;
}
