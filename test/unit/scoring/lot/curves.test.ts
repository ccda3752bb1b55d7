import { describe, expect, it } from 'vitest';
import {
  clamp01,
  distanceDecay,
  isFiniteNumber,
  saturating,
  stepValue,
} from '../../../../sync/src/scoring/lot/curves.js';

describe('factor curves', () => {
  it('clamps to 0–1', () => {
    expect([-0.2, 0, 0.35, 1, 1.7].map(clamp01)).toEqual([0, 0, 0.35, 1, 1]);
  });

  it('saturates linearly at the full amount', () => {
    expect([0, 2500, 5000, 9000].map((m2) => saturating(m2, 5000))).toEqual([0, 0.5, 1, 1]);
  });

  it('decays with distance: 1 within full, linear to 0 at zero, 0 beyond', () => {
    expect([0, 500, 1250, 2000, 3500].map((m) => distanceDecay(m, 500, 2000))).toEqual([1, 1, 0.5, 0, 0]);
  });

  it('is a step at the limit when full and zero are the same distance', () => {
    expect([999, 1000, 1001].map((m) => distanceDecay(m, 1000, 1000))).toEqual([1, 1, 0]);
  });

  it('takes the first step at or above the count, and the value beyond the last', () => {
    const steps = [
      { upTo: 1, value: 1 },
      { upTo: 3, value: 0.6 },
    ];
    expect([0, 1, 2, 3, 4].map((n) => stepValue(n, steps, 0.2))).toEqual([1, 1, 0.6, 0.6, 0.2]);
  });

  it('accepts only finite numbers as measures', () => {
    expect([12.5, 0, NaN, Infinity, null, undefined, '3'].map(isFiniteNumber)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
