/**
 * Keeps one Airtable base under its request limit (5 requests/s per base, docs: rate-limits) by
 * spacing request starts evenly: with `requestsPerSecond` r, any window of one second holds at
 * most ⌊r⌋ + 1 starts, so r ≤ 4.8 never exceeds 5. After a 429 every request to the base waits
 * out the pause Airtable imposes (30 s; it sends no Retry-After).
 */
export class BaseLimiter {
  private nextStart = 0;
  private pausedUntil = 0;
  readonly intervalMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = systemClock,
  ) {
    if (!(requestsPerSecond > 0)) throw new RangeError('requestsPerSecond must be positive');
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the caller may start one request. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const at = Math.max(this.nextStart, this.pausedUntil);
      if (at <= now) {
        this.nextStart = now + this.intervalMs;
        return;
      }
      await this.clock.sleep(at - now);
    }
  }

  /** Holds every request to the base for `ms` from now (after a 429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  get pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now());
  }
}

export const systemClock = {
  now: () => performance.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

const limiters = new Map<string, BaseLimiter>();

/**
 * One limiter per base per process, shared by every client talking to it (lot sync, kommune
 * ranking, owner lookup), because Airtable counts the base's requests, not the client's. The
 * first client to ask sets the rate.
 */
export function limiterForBase(apiUrl: string, baseId: string, requestsPerSecond: number): BaseLimiter {
  const key = `${new URL(apiUrl).origin}/${baseId}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new BaseLimiter(requestsPerSecond);
    limiters.set(key, limiter);
  }
  return limiter;
}
