import { describe, expect, it } from 'vitest';
import { BaseLimiter } from '../../../../sync/src/crm/airtable/base-limiter.js';

/** A clock that only moves when someone sleeps, so the limiter's schedule is exact. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('per-base limiter', () => {
  it('spaces starts so no one-second window holds more than 5 at 4.8 requests/s', async () => {
    const clock = fakeClock();
    const limiter = new BaseLimiter(4.8, clock);
    const starts: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      await limiter.acquire();
      starts.push(clock.now());
    }
    for (let i = 5; i < starts.length; i += 1)
      expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1000);
    expect(starts.at(-1)).toBeCloseTo((49 * 1000) / 4.8, 6);
  });

  it('holds every request for the pause after a 429', async () => {
    const clock = fakeClock();
    const limiter = new BaseLimiter(4.8, clock);
    await limiter.acquire();
    limiter.pause(30_000);
    expect(limiter.pausedForMs).toBe(30_000);
    await limiter.acquire();
    expect(clock.now()).toBe(30_000);
    expect(limiter.pausedForMs).toBe(0);
  });
});
