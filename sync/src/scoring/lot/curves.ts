/** The shapes that turn a measure into a 0–1 factor value. */

/** A measure a curve can use: a number, not NaN or ±Infinity (nor null or undefined). */
export const isFiniteNumber = (x: unknown): x is number => Number.isFinite(x);

export const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Rises linearly from 0 to 1 at `full`, then stays at 1. */
export function saturating(amount: number, full: number): number {
  return clamp01(amount / full);
}

/** 1 within `full` metres, 0 from `zero` metres, linear in between. */
export function distanceDecay(distance: number, full: number, zero: number): number {
  if (distance <= full) return 1;
  return clamp01((zero - distance) / (zero - full));
}

/** The value of the first step whose `upTo` is at or above `count`; `beyond` past the last one. */
export function stepValue(
  count: number,
  steps: ReadonlyArray<{ upTo: number; value: number }>,
  beyond: number,
): number {
  for (const step of steps) if (count <= step.upTo) return step.value;
  return beyond;
}
