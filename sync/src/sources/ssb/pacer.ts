import type { Clock } from './clock.js';

export interface PacerOptions {
  /** Requests started per window at most. */
  limit: number;
  windowMs: number;
  clock: Clock;
}

/**
 * Paces requests to a service that counts calls per sliding window per IP address (SSB: 30 per
 * 60 s in the user guide, `x-ratelimit-policy: 40;w=60s` observed). It never starts more than
 * `limit` requests in any window, lowers the limit to the server's `x-ratelimit-limit` when that
 * is smaller, and when the server says nothing is left (`x-ratelimit-remaining: 0`, shared with
 * every other caller at the same address) it waits a whole window.
 */
export interface Pacer {
  acquire(): Promise<void>;
  observe(headers: Record<string, string>): void;
  /** Holds every request for `ms` (after a 429). */
  pause(ms: number): void;
  /** Request start times, for measurement. */
  starts(): number[];
}

export function createPacer(options: PacerOptions): Pacer {
  const { clock, windowMs } = options;
  let limit = options.limit;
  let pausedUntil = 0;
  const recent: number[] = [];
  const all: number[] = [];
  return {
    async acquire() {
      for (;;) {
        const now = clock.now();
        while (recent.length > 0 && recent[0]! <= now - windowMs) recent.shift();
        if (now < pausedUntil) {
          await clock.sleep(pausedUntil - now);
          continue;
        }
        if (recent.length >= limit) {
          await clock.sleep(recent[0]! + windowMs - now);
          continue;
        }
        recent.push(now);
        all.push(now);
        return;
      }
    },
    observe(headers) {
      const serverLimit = Number(headers['x-ratelimit-limit']);
      if (Number.isInteger(serverLimit) && serverLimit > 0) limit = Math.min(options.limit, serverLimit);
      const remaining = headers['x-ratelimit-remaining'];
      if (remaining !== undefined && Number(remaining) <= 0) this.pause(windowMs);
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, clock.now() + ms);
    },
    starts: () => [...all],
  };
}

/** The most requests started within any window of `windowMs` (a measurement, for tests and reports). */
export function maxInAnyWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to += 1) {
    while (sorted[to]! - sorted[from]! >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}
