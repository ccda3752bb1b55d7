import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../sync/src/net/http-client.js';
import { limiterInterceptor, type DispatchLimiter } from '../../../sync/src/net/limiter-interceptor.js';
import { SourceError } from '../../../sync/src/util/errors.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

let server: TestServer | undefined;
const unexpected = (): never => {
  throw new Error('expected the request to fail');
};
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Starts at most one request per `intervalMs`; `pause` holds every start, as a service's penalty does. */
function spacingLimiter(intervalMs: number) {
  let nextStart = 0;
  let pausedUntil = 0;
  const limiter = {
    /** When each start was granted. */
    grants: [] as number[],
    async acquire() {
      for (;;) {
        const now = performance.now();
        const at = Math.max(nextStart, pausedUntil);
        if (at <= now) {
          nextStart = now + intervalMs;
          limiter.grants.push(now);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, at - now));
      }
    },
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, performance.now() + ms);
    },
  };
  return limiter;
}

describe('limiter interceptor', () => {
  it('spaces and counts every attempt, retries included', async () => {
    const starts: number[] = [];
    server = await startServer((_req, res) => {
      starts.push(performance.now());
      res.statusCode = starts.length <= 2 ? 503 : 200;
      res.end(starts.length <= 2 ? 'busy' : 'ok');
    });
    const limiter = spacingLimiter(150);
    const client = createHttpClient({
      source: 'test',
      interceptors: [limiterInterceptor(limiter)],
      // No delay of its own: any spacing seen below comes from the limiter.
      retry: (failure) => (failure.attempt <= 3 ? 0 : null),
    });
    expect((await client.request({ url: server.url })).text()).toBe('ok');
    expect(starts).toHaveLength(3);
    expect(limiter.grants).toHaveLength(3);
    // Each attempt reached the server only after its own grant …
    starts.forEach((start, i) => expect(start).toBeGreaterThanOrEqual(limiter.grants[i]!));
    // … so the retries arrive spaced too (on the open connection; the first one paid for connecting).
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(100);
    expect(client.stats().attempts).toBe(3);
    await client.close();
  });

  it('holds requests already waiting, and the retry, for a pause set by a failed attempt', async () => {
    const hits: Array<{ path: string; status: number; at: number }> = [];
    server = await startServer((req, res) => {
      const limited = req.url === '/a' && !hits.some((h) => h.path === '/a');
      hits.push({ path: req.url!, status: limited ? 429 : 200, at: performance.now() });
      res.statusCode = limited ? 429 : 200;
      res.end();
    });
    const limiter = spacingLimiter(10);
    const client = createHttpClient({
      source: 'test',
      interceptors: [limiterInterceptor(limiter)],
      retry: (failure) => {
        if (failure.status !== 429 || failure.attempt > 2) return null;
        limiter.pause(300); // a penalty on the whole service, not on this request
        return 0;
      },
    });
    const a = client.request({ url: `${server.url}/a` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = client.request({ url: `${server.url}/b` });
    await Promise.all([a, b]);
    const limitedAt = hits.find((h) => h.status === 429)!.at;
    const after = hits.filter((h) => h.status === 200);
    expect(after.map((h) => h.path).sort()).toEqual(['/a', '/b']);
    for (const hit of after) expect(hit.at - limitedAt).toBeGreaterThanOrEqual(290);
    await client.close();
  });

  it('fails the request without sending it when the limiter fails', async () => {
    let hits = 0;
    server = await startServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    const broken: DispatchLimiter = { acquire: () => Promise.reject(new Error('limiter store unreachable')) };
    const client = createHttpClient({
      source: 'test',
      interceptors: [limiterInterceptor(broken)],
      maxRetries: 0,
    });
    const error = await client
      .request({ url: server.url })
      .then(unexpected, (e: unknown) => e as SourceError);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toContain('limiter store unreachable');
    expect(hits).toBe(0);
    await client.close();
  });
});
