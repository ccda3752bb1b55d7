import type { Position } from '../../../domain/geometry.js';

/**
 * Positions along the circular arc from `start` through `middle` to `end` (GML `Arc`, SOSI
 * "BUEP"), densified so no chord strays more than `tolerance` (source units) from the true arc.
 * Collinear points are a straight line. Computed relative to `start` so large UTM coordinates
 * keep their precision.
 */
export function densifyArc(start: Position, middle: Position, end: Position, tolerance: number): Position[] {
  const circle = circleThrough(start, middle, end);
  if (!circle) return [start, middle, end];
  const { cx, cy, r, ccw } = circle;
  const a1 = Math.atan2(start[1] - cy, start[0] - cx);
  const a3 = Math.atan2(end[1] - cy, end[0] - cx);
  let sweep = ccw ? a3 - a1 : a1 - a3;
  while (sweep <= 0) sweep += 2 * Math.PI;
  if (!ccw) sweep = -sweep;
  return [start, ...arcInterior(cx, cy, r, a1, sweep, tolerance), end];
}

/** A closed ring on the circle through three points (GML `Circle`), starting and ending at `start`. */
export function densifyCircle(
  start: Position,
  middle: Position,
  end: Position,
  tolerance: number,
): Position[] {
  const circle = circleThrough(start, middle, end);
  if (!circle) return [start, middle, end];
  const { cx, cy, r, ccw } = circle;
  const a1 = Math.atan2(start[1] - cy, start[0] - cx);
  const sweep = (ccw ? 1 : -1) * 2 * Math.PI;
  return [start, ...arcInterior(cx, cy, r, a1, sweep, tolerance), [start[0], start[1]]];
}

function circleThrough(
  p1: Position,
  p2: Position,
  p3: Position,
): { cx: number; cy: number; r: number; ccw: boolean } | null {
  const bx = p2[0] - p1[0];
  const by = p2[1] - p1[1];
  const qx = p3[0] - p1[0];
  const qy = p3[1] - p1[1];
  const cross = bx * qy - by * qx;
  const scale = Math.hypot(bx, by) * Math.hypot(qx, qy);
  if (scale === 0 || Math.abs(cross) <= 1e-12 * scale) return null;
  const d = 2 * cross;
  const b2 = bx * bx + by * by;
  const q2 = qx * qx + qy * qy;
  const ux = (qy * b2 - by * q2) / d;
  const uy = (bx * q2 - qx * b2) / d;
  return { cx: p1[0] + ux, cy: p1[1] + uy, r: Math.hypot(ux, uy), ccw: cross > 0 };
}

function arcInterior(
  cx: number,
  cy: number,
  r: number,
  from: number,
  sweep: number,
  tolerance: number,
): Position[] {
  const step = tolerance >= r ? Math.PI / 4 : 2 * Math.acos(1 - tolerance / r);
  const segments = Math.min(1024, Math.max(2, Math.ceil(Math.abs(sweep) / step)));
  const points: Position[] = [];
  for (let i = 1; i < segments; i++) {
    const angle = from + (sweep * i) / segments;
    points.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
  }
  return points;
}
