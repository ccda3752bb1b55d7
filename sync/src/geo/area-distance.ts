import { polygonsOf, type AreaGeometry, type Position, type Ring } from '../domain/geometry.js';
import { bboxOf } from './crs.js';
import { insidePolygon } from './inside-polygon.js';
import { boxDistance } from './nearest.js';

/**
 * Shortest planar distance between two areas (metres in EPSG:25833), 0 when they touch or
 * overlap. Exact on the rings' vertices and edges; for the few plan/lot pairs an alert run
 * compares, so no index.
 */
export function areaDistance(a: AreaGeometry, b: AreaGeometry): number {
  const ringsA = polygonsOf(a).flat();
  const ringsB = polygonsOf(b).flat();
  if (ringsA.some((r) => ringsB.some((s) => ringsCross(r, s)))) return 0;
  if (insideArea(ringsA[0]![0]!, b) || insideArea(ringsB[0]![0]!, a)) return 0;
  let best = Infinity;
  for (const r of ringsA) for (const s of ringsB) best = Math.min(best, ringToRing(r, s), ringToRing(s, r));
  return best;
}

/** The distance between two areas when it is `metres` or less (a box check first), else null. */
export function distanceWithin(a: AreaGeometry, b: AreaGeometry, metres: number): number | null {
  if (boxDistance(bboxOf(a), bboxOf(b)) > metres) return null;
  const distance = areaDistance(a, b);
  return distance <= metres ? distance : null;
}

/** Whether a point lies inside an area (holes excluded). */
export function insideArea(point: Position, area: AreaGeometry): boolean {
  return polygonsOf(area).some((rings) => insidePolygon(point, rings));
}

function ringToRing(r: Ring, s: Ring): number {
  let best = Infinity;
  for (const p of r)
    for (let i = 0; i + 1 < s.length; i += 1) best = Math.min(best, pointToSegment(p, s[i]!, s[i + 1]!));
  return best;
}

function pointToSegment([px, py]: Position, [ax, ay]: Position, [bx, by]: Position): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function ringsCross(r: Ring, s: Ring): boolean {
  for (let i = 0; i + 1 < r.length; i += 1)
    for (let j = 0; j + 1 < s.length; j += 1)
      if (segmentsCross(r[i]!, r[i + 1]!, s[j]!, s[j + 1]!)) return true;
  return false;
}

function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  return o1 * o2 <= 0 && o3 * o4 <= 0 && !(o1 === 0 && o2 === 0 && !overlapsOnLine(a, b, c, d));
}

function orientation([ax, ay]: Position, [bx, by]: Position, [cx, cy]: Position): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

/** Collinear segments cross only when their extents overlap. */
function overlapsOnLine(a: Position, b: Position, c: Position, d: Position): boolean {
  const within = (lo: number, hi: number, x: number, y: number) =>
    Math.max(Math.min(lo, hi), Math.min(x, y)) <= Math.min(Math.max(lo, hi), Math.max(x, y));
  return within(a[0], b[0], c[0], d[0]) && within(a[1], b[1], c[1], d[1]);
}
