import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../../sync/src/config/env.js';
import { rateLimiter } from '../../../sync/src/server/rate-limit.js';

describe('per-client rate limit (token bucket)', () => {
  it('lets a client make its burst at once, then one request per refill, each client on its own', () => {
    let t = 0;
    const limiter = rateLimiter({ perMinute: 60, burst: 5, now: () => t });
    const taken = Array.from({ length: 6 }, () => limiter.take('ip:10.0.0.1'));
    expect(taken).toEqual([0, 0, 0, 0, 0, 1]);
    expect(limiter.take('ip:10.0.0.2')).toBe(0);
    t += 400;
    expect(limiter.take('ip:10.0.0.1')).toBe(1);
    t += 600; // one second: one token back
    expect(limiter.take('ip:10.0.0.1')).toBe(0);
    expect(limiter.take('ip:10.0.0.1')).toBe(1);
    t += 60_000; // a quiet minute fills the bucket, never past the burst
    expect(Array.from({ length: 6 }, () => limiter.take('ip:10.0.0.1'))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('says how long to wait at a slow rate', () => {
    let t = 0;
    const limiter = rateLimiter({ perMinute: 6, burst: 1, now: () => t });
    expect(limiter.take('user:kari')).toBe(0);
    expect(limiter.take('user:kari')).toBe(10);
    t += 7_000;
    expect(limiter.take('user:kari')).toBe(3);
  });

  it('is configured in the env schema, and a wrong value names its key', () => {
    const env = loadEnv({ source: { MAP_API_RATE_PER_MINUTE: '120', MAP_API_RATE_BURST: '20' } });
    expect([env.MAP_API_RATE_PER_MINUTE, env.MAP_API_RATE_BURST, env.MAP_API_THREADS]).toEqual([120, 20, 1]);
    expect(() => loadEnv({ source: { MAP_API_RATE_PER_MINUTE: '0' } })).toThrow(/MAP_API_RATE_PER_MINUTE/);
    expect(() => loadEnv({ source: { MAP_API_THREADS: 'many' } })).toThrow(/MAP_API_THREADS/);
  });
});
