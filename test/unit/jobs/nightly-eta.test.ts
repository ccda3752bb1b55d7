import { describe, expect, it } from 'vitest';
import { etaSeconds, FIXED_COST_IN_PARCELS } from '../../../sync/src/jobs/nightly-eta.js';
import { durationText } from '../../../sync/src/jobs/nightly-progress.js';

describe('the nightly run’s ETA', () => {
  it('has no estimate before a kommune has finished, and none left at the end', () => {
    expect(etaSeconds({ elapsedMs: 60_000, finished: [], remaining: [10_000] })).toBeNull();
    expect(etaSeconds({ elapsedMs: 60_000, finished: [10_000], remaining: [] })).toBe(0);
  });

  it('weighs the kommuner left by their parcels: a large one left takes longer than a small one', () => {
    // 10,000 parcels took 120 s: 12,000 weighted parcels at 10 ms each.
    const small = etaSeconds({ elapsedMs: 120_000, finished: [10_000], remaining: [2_000] });
    const large = etaSeconds({ elapsedMs: 120_000, finished: [10_000], remaining: [70_000] });
    expect(small).toBe(((2_000 + FIXED_COST_IN_PARCELS) * 120) / (10_000 + FIXED_COST_IN_PARCELS));
    expect(large).toBe(720);
  });

  it('counts a kommune never read as the mean of those known', () => {
    const eta = etaSeconds({ elapsedMs: 100_000, finished: [8_000, 18_000], remaining: [null, 40_000] });
    const mean = (8_000 + 18_000 + 40_000) / 3;
    const rate = 100 / (8_000 + 18_000 + 2 * FIXED_COST_IN_PARCELS);
    expect(eta).toBe(Math.round(rate * (mean + 40_000 + 2 * FIXED_COST_IN_PARCELS)));
  });

  it('is written for people', () => {
    expect(durationText(null)).toBe('unknown');
    expect(durationText(42)).toBe('42 s');
    expect(durationText(25 * 60)).toBe('25 min');
    expect(durationText(64 * 60)).toBe('1 h 04 min');
  });
});
