import { describe, expect, it } from 'vitest';
import { tierOf } from '../../../sync/src/domain/lot.js';

describe('tiers (A 80–100 contact now, B 60–79, C 40–59 monitor, D under 40)', () => {
  it.each([
    [100, 'A'],
    [80, 'A'],
    [79.99, 'B'],
    [60, 'B'],
    [59.99, 'C'],
    [40, 'C'],
    [39.99, 'D'],
    [0, 'D'],
  ])('a total of %d is tier %s', (total, tier) => {
    expect(tierOf(total)).toBe(tier);
  });
});
