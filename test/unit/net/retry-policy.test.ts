import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../sync/src/net/http-client.js';
import {
  backoffMs,
  parseRetryAfter,
  type RetryFailure,
  type RetryPolicy,
} from '../../../sync/src/net/retry-policy.js';
import { SourceError } from '../../../sync/src/util/errors.js';
import { readBody, startServer, type TestServer } from '../../helpers/http-server.js';

let server: TestServer | undefined;
const unexpected = (): never => {
  throw new Error('expected the request to fail');
};
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A policy that keeps what it was asked and answers from `decide`. */
function recording(decide: (failure: RetryFailure) => number | null) {
  const failures: RetryFailure[] = [];
  const policy: RetryPolicy = (failure) => {
    failures.push(failure);
    return decide(failure);
  };
  return { policy, failures };
}

/** A port nothing listens on (it was free a moment ago), so connecting is refused. */
async function refusingPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('retry policy on the HTTP client', () => {
  it('is asked after every failed answer and the next attempt waits the delay it returns', async () => {
    const hits: Array<{ at: number; body: string }> = [];
    server = await startServer(async (req, res) => {
      hits.push({ at: performance.now(), body: await readBody(req) });
      if (hits.length === 1) {
        res.writeHead(503, { 'retry-after': '0.25', 'content-type': 'application/json' });
        res.end('{"error":{"type":"RETRIABLE_ERROR"}}');
      } else if (hits.length === 2) {
        res.statusCode = 500;
        res.end('{"error":{"type":"SERVER_ERROR"}}');
      } else res.end('{"ok":true}');
    });
    const { policy, failures } = recording((f) => f.retryAfterMs ?? 20);
    const client = createHttpClient({ source: 'test', retry: policy });
    const response = await client.request({ url: `${server.url}/v0/x`, method: 'POST', body: '{"a":1}' });
    expect(response.text()).toBe('{"ok":true}');
    expect(failures).toEqual([
      { status: 503, code: null, retryAfterMs: 250, method: 'POST', attempt: 1 },
      { status: 500, code: null, retryAfterMs: null, method: 'POST', attempt: 2 },
    ]);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(240);
    // Every attempt carried the whole body (undici replays a string body).
    expect(hits.map((h) => h.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(client.stats()).toMatchObject({ requests: 1, attempts: 3, byStatus: { 200: 1 } });
    await client.close();
  });

  it('gives the caller the failed response, body included, when the policy stops', async () => {
    let hits = 0;
    server = await startServer((_req, res) => {
      hits += 1;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(`{"error":{"type":"RETRIABLE_ERROR","attempt":${hits}}}`);
    });
    const client = createHttpClient({ source: 'test', retry: (f) => (f.attempt < 2 ? 5 : null) });
    const response = await client.request({ url: server.url, acceptStatus: 'any' });
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text())).toEqual({ error: { type: 'RETRIABLE_ERROR', attempt: 2 } });
    // Without acceptStatus the same answer is an error that quotes the body.
    const error = await client
      .request({ url: server.url })
      .then(unexpected, (e: unknown) => e as SourceError);
    expect(error).toBeInstanceOf(SourceError);
    expect(error.context.status).toBe(503);
    expect(error.message).toContain('"attempt":4');
    expect(hits).toBe(4);
    await client.close();
  });

  it('tells a refused connection (nothing sent) from a timeout (maybe done) for a POST', async () => {
    const port = await refusingPort();
    // Repeat a POST only when it cannot have reached the server.
    const { policy, failures } = recording((f) => (f.code === 'ECONNREFUSED' && f.attempt < 3 ? 5 : null));
    const client = createHttpClient({ source: 'test', retry: policy, timeoutMs: 200 });
    const refused = await client
      .request({ url: `http://127.0.0.1:${port}/v0/x`, method: 'POST', body: '{}' })
      .then(unexpected, (e: unknown) => e as SourceError);
    expect(refused.kind).toBe('network');
    expect(failures.map((f) => [f.status, f.code, f.attempt])).toEqual([
      [null, 'ECONNREFUSED', 1],
      [null, 'ECONNREFUSED', 2],
      [null, 'ECONNREFUSED', 3],
    ]);

    let posts = 0;
    server = await startServer(() => {
      posts += 1; // taken, perhaps carried out, but the answer never comes
    });
    failures.length = 0;
    const timedOut = await client
      .request({ url: server.url, method: 'POST', body: '{}' })
      .then(unexpected, (e: unknown) => e as SourceError);
    expect(timedOut.kind).toBe('timeout');
    expect(failures.map((f) => f.code)).toEqual(['UND_ERR_HEADERS_TIMEOUT']);
    expect(posts).toBe(1);
    await client.close();
  });

  it("uses a request's own policy instead of the client's", async () => {
    let hits = 0;
    server = await startServer((_req, res) => {
      hits += 1;
      res.statusCode = 502;
      res.end('bad gateway');
    });
    const client = createHttpClient({ source: 'test', retry: (f) => (f.attempt <= 3 ? 1 : null) });
    const once = recording(() => null);
    const response = await client.request({ url: server.url, acceptStatus: 'any', retry: once.policy });
    expect(response.status).toBe(502);
    expect(hits).toBe(1);
    expect(once.failures).toHaveLength(1);
    await client.request({ url: server.url, acceptStatus: 'any' });
    expect(hits).toBe(1 + 4);
    await client.close();
  });

  it('decides whether a body cut off mid-way is asked again, and never resumes by Range twice', async () => {
    const ranges: Array<string | undefined> = [];
    server = await startServer((req, res) => {
      ranges.push(req.headers.range);
      if (ranges.length === 1) {
        res.writeHead(200, { 'content-length': '100' });
        res.write('0123456789');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      res.end('x'.repeat(100)); // ignores Range, as most APIs do
    });
    const { policy, failures } = recording((f) => (f.method === 'GET' && f.attempt < 3 ? 5 : null));
    const client = createHttpClient({ source: 'test', retry: policy });
    const response = await client.request({ url: server.url });
    expect(response.text()).toBe('x'.repeat(100));
    // One ranged try (the server ignored it), then the whole request again.
    expect(ranges).toEqual([undefined, 'bytes=10-99', undefined]);
    expect(failures.every((f) => f.status === null && f.code === 'UND_ERR_SOCKET')).toBe(true);

    ranges.length = 0;
    const post = await client
      .request({ url: server.url, method: 'POST', body: '{}' })
      .then(unexpected, (e: unknown) => e as SourceError);
    expect(post.message).toMatch(/broke off mid-body/);
    expect(ranges).toHaveLength(1);
    await client.close();
  });

  it('returns any status with acceptStatus "any", and closing twice is harmless', async () => {
    server = await startServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 422;
      res.end(`{"path":"${req.url}"}`);
    });
    const client = createHttpClient({ source: 'test' });
    const missing = await client.request({ url: `${server.url}/missing`, acceptStatus: 'any' });
    const invalid = await client.request({ url: `${server.url}/bad`, method: 'POST', acceptStatus: 'any' });
    expect([missing.status, invalid.status]).toEqual([404, 422]);
    expect(invalid.text()).toBe('{"path":"/bad"}');
    await client.close();
    await expect(client.close()).resolves.toBeUndefined();
  });
});

describe('retry helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-02T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Mon, 02 Mar 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('backs off exponentially with jitter between half and all of the capped ceiling', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 5000, () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000]);
  });
});
