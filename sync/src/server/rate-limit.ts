import type { RequestHandler } from 'express';

/** Requests a client may make: `perMinute` on average, up to `burst` at once (a token bucket). */
export interface RateLimits {
  perMinute: number;
  burst: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Takes one request from the client's bucket: 0 when it may go ahead, else whole seconds to wait. */
  take(client: string): number;
}

/** Past this many clients, full buckets (clients idle long enough) are swept out first. */
const SWEEP_AT = 10_000;

export function rateLimiter({ perMinute, burst, now = Date.now }: RateLimits): RateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refill = (bucket: { tokens: number; at: number }, t: number) => {
    bucket.tokens = Math.min(burst, bucket.tokens + (t - bucket.at) * perMs);
    bucket.at = t;
  };
  const sweep = (t: number) => {
    for (const [client, bucket] of buckets) {
      refill(bucket, t);
      if (bucket.tokens >= burst) buckets.delete(client);
    }
  };
  return {
    take(client) {
      const t = now();
      let bucket = buckets.get(client);
      if (!bucket) {
        if (buckets.size >= SWEEP_AT) sweep(t);
        buckets.set(client, (bucket = { tokens: burst, at: t }));
      } else refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
  };
}

/**
 * Answers 429 with Retry-After (seconds) and a message in Norwegian and English once a client has
 * used its requests. The client is the signed-in user when there is one (`res.locals.user`, set
 * by the team check), else the address express reports (TRUST_PROXY decides whose).
 */
export function rateLimit(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const user = res.locals.user as string | null | undefined;
    const wait = limiter.take(user ? `user:${user}` : `ip:${req.ip ?? 'unknown'}`);
    if (wait === 0) return next();
    res.set({ 'retry-after': String(wait), 'cache-control': 'no-store' });
    res.status(429).json({
      error: 'rate-limited',
      message: `For mange forespørsler. Vent ${wait} s og prøv igjen. / Too many requests: retry in ${wait} s.`,
      retryAfterSeconds: wait,
    });
  };
}
