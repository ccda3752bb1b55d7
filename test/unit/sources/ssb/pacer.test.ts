import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../../sync/src/sources/ssb/clock.js';
import {
  inSsbQuietHours,
  msUntilQuietHoursEnd,
} from '../../../../sync/src/sources/ssb/maintenance-window.js';
import { createPacer, maxInAnyWindow } from '../../../../sync/src/sources/ssb/pacer.js';

describe('request pacing', () => {
  it('never starts more than the limit in any 60 s window', async () => {
    const clock = createManualClock('2026-03-10T11:00:00Z');
    const pacer = createPacer({ limit: 30, windowMs: 60_000, clock });
    for (let i = 0; i < 75; i += 1) {
      await pacer.acquire();
      clock.advance(100); // each request takes 0.1 s
    }
    const starts = pacer.starts();
    expect(maxInAnyWindow(starts, 60_000)).toBe(30);
    // 75 requests at 30 a minute: the 61st starts two windows after the first.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(120_000);
  });

  it('follows a lower server limit and waits a window when the server says none remain', async () => {
    const clock = createManualClock(0);
    const pacer = createPacer({ limit: 30, windowMs: 60_000, clock });
    await pacer.acquire();
    pacer.observe({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' });
    await pacer.acquire();
    await pacer.acquire();
    expect(pacer.starts()).toEqual([0, 0, 60_000]);
    pacer.observe({ 'x-ratelimit-remaining': '0' });
    await pacer.acquire();
    expect(pacer.starts().at(-1)).toBe(120_000);
  });

  it('measures the busiest window', () => {
    // 0 and 60 000 are a whole window apart; 10 … 60 001 fall within one.
    expect(maxInAnyWindow([0, 10, 59_999, 60_000, 60_001], 60_000)).toBe(4);
    expect(maxInAnyWindow([0, 60_000, 120_000], 60_000)).toBe(1);
    expect(maxInAnyWindow([], 60_000)).toBe(0);
  });
});

describe('SSB quiet hours 05:00–08:15 Oslo time', () => {
  it.each([
    ['2026-03-10T03:59:00Z', false], // 04:59 CET
    ['2026-03-10T04:00:00Z', true], // 05:00 CET
    ['2026-03-10T07:14:59Z', true], // 08:14 CET
    ['2026-03-10T07:15:00Z', false], // 08:15 CET
    ['2026-07-01T03:30:00Z', true], // 05:30 CEST
    ['2026-07-01T06:20:00Z', false], // 08:20 CEST
  ])('%s → %s', (at, quiet) => {
    expect(inSsbQuietHours(Date.parse(at))).toBe(quiet);
  });

  it('tells how long until 08:15', () => {
    expect(msUntilQuietHoursEnd(Date.parse('2026-03-10T06:15:00Z'))).toBe(60 * 60_000);
    expect(msUntilQuietHoursEnd(Date.parse('2026-03-10T11:00:00Z'))).toBe(0);
  });
});
