import { describe, expect, it } from 'vitest';
import { isFresh, refreshDueAt } from '../../../sync/src/sources/kept-fetch.js';
import { bundledKommunenummer } from '../../../sync/src/sources/kommuneinfo/bundled-kommuner.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('refreshDueAt: a kommune-specific refresh point, never later than refreshDays', () => {
  it('falls due at noon UTC on the kommune’s day, at most refreshDays after the fetch', () => {
    // 3218's weekly points: 12:00 UTC on 1, 8, 15 … December 2026.
    expect(iso(refreshDueAt('3218', '2026-12-02T02:00:00.000Z', 7))).toBe('2026-12-08T12:00:00.000Z');
    // A first fetch off the kommune's point is refreshed sooner, at the point.
    expect(iso(refreshDueAt('3218', '2026-12-01T02:00:00.000Z', 7))).toBe('2026-12-01T12:00:00.000Z');
    // Exactly on a point: the next one.
    expect(iso(refreshDueAt('3218', '2026-12-01T12:00:00.000Z', 7))).toBe('2026-12-08T12:00:00.000Z');
    // Other kommuner and periods fall on other days.
    expect(iso(refreshDueAt('3203', '2026-12-02T02:00:00.000Z', 7))).toBe('2026-12-06T12:00:00.000Z');
    expect(iso(refreshDueAt('3218', '2026-11-01T02:00:00.000Z', 30))).toBe('2026-11-28T12:00:00.000Z');
  });

  it('is fresh before the point and due from it; refreshDays 0 reuses nothing', () => {
    const saved = '2026-12-02T02:00:00.000Z';
    expect(isFresh('3218', saved, 7, new Date('2026-12-08T11:59:59Z'))).toBe(true);
    expect(isFresh('3218', saved, 7, new Date('2026-12-08T12:00:00Z'))).toBe(false);
    expect(isFresh('3218', saved, 0, new Date(saved))).toBe(false);
    expect(isFresh('3218', 'not a time', 7, new Date(saved))).toBe(false);
  });
});

/** Each kommune's fetches over `nights` nightly runs at 00:00–04:00 UTC, all first fetched on night 0. */
function simulate(kommuner: readonly string[], refreshDays: number, nights: number) {
  const start = Date.parse('2026-11-30T00:00:00Z');
  const fetchedOn = new Map<string, number[]>(kommuner.map((k) => [k, []]));
  const perNight = new Array<number>(nights).fill(0);
  const usedAgesDays: number[] = [];
  const kept = new Map<string, string>();
  for (let night = 0; night < nights; night++)
    kommuner.forEach((k, i) => {
      // Runs start at different times and a kommune's turn comes at a different hour each night.
      const now = new Date(start + night * DAY + ((i * 7 + night * 13) % 240) * 60_000);
      const savedAt = kept.get(k);
      if (savedAt && isFresh(k, savedAt, refreshDays, now)) {
        usedAgesDays.push((now.getTime() - Date.parse(savedAt)) / DAY);
        return;
      }
      kept.set(k, now.toISOString());
      fetchedOn.get(k)!.push(night);
      perNight[night]!++;
    });
  return { fetchedOn, perNight, usedAgesDays };
}

describe('staggered refreshes: kommuner first fetched the same night', () => {
  const all = bundledKommunenummer();
  // Østfold, Akershus and Buskerud: the developer's 51 kommuner around Oslo.
  const aroundOslo = all.filter((k) => /^3[123]/.test(k));

  it.each([
    { refreshDays: 7, kommuner: aroundOslo, name: 'weekly, around Oslo' },
    { refreshDays: 30, kommuner: aroundOslo, name: 'monthly, around Oslo' },
    { refreshDays: 7, kommuner: all.slice(0, 50), name: 'weekly, the first 50 by number' },
  ])('$name: spread over the nights, never used older, fetched once a period', (c) => {
    const { fetchedOn, perNight, usedAgesDays } = simulate(c.kommuner, c.refreshDays, 60);
    expect(perNight[0]).toBe(c.kommuner.length);
    const even = Math.ceil(c.kommuner.length / c.refreshDays);
    expect(Math.max(...perNight.slice(1))).toBeLessThanOrEqual(even + 2);
    expect(Math.max(...usedAgesDays)).toBeLessThan(c.refreshDays);
    for (const nights of fetchedOn.values()) {
      // The first refresh comes within refreshDays; after it, exactly every refreshDays nights.
      expect(nights[1]! - nights[0]!).toBeGreaterThanOrEqual(1);
      expect(nights[1]! - nights[0]!).toBeLessThanOrEqual(c.refreshDays);
      const gaps = nights.slice(2).map((n, i) => n - nights[i + 1]!);
      expect(new Set(gaps)).toEqual(new Set(gaps.length ? [c.refreshDays] : []));
    }
  });

  it('spreads all 357 kommuner within a fifth of the even share a night', () => {
    const { perNight, usedAgesDays } = simulate(all, 7, 60);
    expect(Math.max(...perNight.slice(1))).toBeLessThanOrEqual(Math.ceil((357 / 7) * 1.2));
    expect(Math.min(...perNight.slice(1))).toBeGreaterThanOrEqual(Math.floor((357 / 7) * 0.8));
    expect(Math.max(...usedAgesDays)).toBeLessThan(7);
  });
});
