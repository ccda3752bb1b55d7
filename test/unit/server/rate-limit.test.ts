import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../sync/src/config/env.js';
import { readApiRateLimit } from '../../../sync/src/server/rate-limit.js';

const servers: Array<{ close(): void }> = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A read API behind the limit; `x-user` plays the team check's signed-in user. */
async function api(perMinute: number, windowMs?: number): Promise<(user?: string) => Promise<Response>> {
  const app = express();
  app.use((req, res, next) => {
    res.locals.user = req.get('x-user') ?? null;
    next();
  });
  app.get('/api/map/lots', readApiRateLimit({ perMinute, windowMs }), (_req, res) => {
    res.json({ type: 'FeatureCollection', features: [] });
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/map/lots`;
  return (user) => fetch(url, { headers: user ? { 'x-user': user } : {} });
}

describe('per-client rate limit on the read API (express-rate-limit)', () => {
  it('answers 429 past the limit, with Retry-After, the RateLimit headers and a Norwegian and English message', async () => {
    const get = await api(3);
    expect((await Promise.all([get(), get(), get()])).map((r) => r.status)).toEqual([200, 200, 200]);
    const refused = await get();
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-policy')).toMatch(/q=3;\s*w=60/);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: 'rate-limited',
      message: `For mange forespørsler. Vent ${wait} s og prøv igjen. / Too many requests: retry in ${wait} s.`,
      retryAfterSeconds: wait,
    });
  });

  it('counts each signed-in user on their own, apart from the address', async () => {
    const get = await api(2);
    expect((await Promise.all([get('kari'), get('kari'), get('kari')])).map((r) => r.status)).toEqual([
      200, 200, 429,
    ]);
    expect((await get('per')).status).toBe(200);
    expect((await get()).status).toBe(200);
  });

  it('lets a client in again when the window has passed', async () => {
    const get = await api(1, 300);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await get()).status).toBe(200);
  });

  it('is configured in the env schema, and a wrong value names its key', () => {
    const env = loadEnv({ source: { MAP_API_RATE_PER_MINUTE: '120' } });
    expect([env.MAP_API_RATE_PER_MINUTE, env.MAP_API_THREADS]).toEqual([120, 1]);
    expect(() => loadEnv({ source: { MAP_API_RATE_PER_MINUTE: '0' } })).toThrow(/MAP_API_RATE_PER_MINUTE/);
    expect(() => loadEnv({ source: { MAP_API_THREADS: 'many' } })).toThrow(/MAP_API_THREADS/);
  });
});
