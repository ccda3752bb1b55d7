import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';

/** Requests a client may make to the read API in a window (MAP_API_RATE_PER_MINUTE a minute). */
export interface RateLimits {
  perMinute: number;
  /** The window; a minute unless a test shortens it. */
  windowMs?: number;
}

/**
 * The read API's per-client limit (express-rate-limit, fixed window, in memory): the client is the
 * signed-in user when there is one (`res.locals.user`, set by the team check), else the address
 * express reports (TRUST_PROXY decides whose; IPv6 by /56 so one host cannot rotate addresses).
 * Over the limit: 429 with Retry-After, the standard RateLimit headers and a message in Norwegian
 * and English.
 */
export function readApiRateLimit({ perMinute, windowMs = 60_000 }: RateLimits): RequestHandler {
  return rateLimit({
    windowMs,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const user = res.locals.user as string | null | undefined;
      return user ? `user:${user}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, res) => {
      const wait = Number(res.get('retry-after') ?? Math.ceil(windowMs / 1000));
      res.set('cache-control', 'no-store');
      res.status(429).json({
        error: 'rate-limited',
        message: `For mange forespørsler. Vent ${wait} s og prøv igjen. / Too many requests: retry in ${wait} s.`,
        retryAfterSeconds: wait,
      });
    },
  });
}
