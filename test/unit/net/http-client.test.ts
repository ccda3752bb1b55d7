import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../sync/src/net/http-client.js';
import { SourceError } from '../../../sync/src/util/errors.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('http client', () => {
  it('retries 503 and 504 and returns the first good answer, counting every attempt', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.statusCode = calls <= 2 ? (calls === 1 ? 503 : 504) : 200;
      res.end(calls <= 2 ? 'busy' : 'ok');
    });
    const client = createHttpClient({ source: 'test', minRetryDelayMs: 10, maxRetries: 3 });
    const response = await client.request({ url: `${server.url}/x` });
    expect(response.text()).toBe('ok');
    expect(client.stats()).toMatchObject({ requests: 1, attempts: 3 });
    await client.close();
  });

  it('honours Retry-After on 429', async () => {
    const times: number[] = [];
    server = await startServer((_req, res) => {
      times.push(Date.now());
      if (times.length === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
        return;
      }
      res.end('ok');
    });
    const client = createHttpClient({ source: 'test', minRetryDelayMs: 10 });
    await client.request({ url: server.url });
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    await client.close();
  });

  it('gives up after the bounded retries with a SourceError naming source, kommune and redacted URL', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 502;
      res.end('<html>Bad gateway</html>');
    });
    const client = createHttpClient({ source: 'teig-wfs', minRetryDelayMs: 5, maxRetries: 2 });
    const error = await client
      .request({ url: `${server.url}/wfs?apikey=supersecret&x=1`, kommune: '3218' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    const sourceError = error as SourceError;
    expect(sourceError.context).toMatchObject({ source: 'teig-wfs', kommune: '3218', status: 502 });
    expect(sourceError.message).not.toContain('supersecret');
    expect(sourceError.message).toContain('apikey=***');
    expect(client.stats().attempts).toBe(3);
    await client.close();
  });

  it('does not retry POST unless asked, and returns accepted non-2xx statuses', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.statusCode = 404;
      res.end('{}');
    });
    const client = createHttpClient({ source: 'test', minRetryDelayMs: 5 });
    const response = await client.request({
      url: server.url,
      method: 'POST',
      body: '{}',
      acceptStatus: [404],
    });
    expect(response.status).toBe(404);
    expect(calls).toBe(1);
    await client.close();
  });

  it('keeps to the rate limit', async () => {
    const starts: number[] = [];
    server = await startServer((_req, res) => {
      starts.push(Date.now());
      res.end('ok');
    });
    const client = createHttpClient({ source: 'test', rateLimit: { requests: 1, perMs: 100 } });
    await Promise.all(Array.from({ length: 5 }, () => client.request({ url: server!.url })));
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(380);
    await client.close();
  });

  it('drops the requests still waiting for the rate limit when their signal aborts, naming the source', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.end('ok');
    });
    // One request a second: the 20 queued behind the first would take 20 s to be let through.
    const client = createHttpClient({ source: 'national:landbruk', rateLimit: { requests: 1, perMs: 1000 } });
    const stop = new AbortController();
    const asked = Array.from({ length: 21 }, (_, i) =>
      client.request({ url: `${server!.url}/${i}`, kommune: '3218', signal: stop.signal }).then(
        () => null,
        (e: unknown) => e as SourceError,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const aborted = Date.now();
    stop.abort();
    const outcomes = await Promise.all(asked);
    expect(Date.now() - aborted).toBeLessThan(1000);
    expect(calls).toBe(1);
    const dropped = outcomes.filter((o) => o !== null);
    expect(dropped).toHaveLength(20);
    expect(dropped[0]).toBeInstanceOf(SourceError);
    expect(dropped[0]!.message).toMatch(/national:landbruk/);
    expect(dropped[0]!.message).toMatch(/3218/);
    await client.close();
  });

  it('answers a refused credential as an auth SourceError with the start of the error page, once', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls += 1;
      res.statusCode = 403;
      res.end('<html><body>\n  Forbidden:\n  token   expired\n</body></html>');
    });
    const seen: number[] = [];
    const client = createHttpClient({
      source: 'nap',
      minRetryDelayMs: 5,
      onResponse: (r) => seen.push(r.status),
    });
    const error = (await client
      .request({ url: `${server.url}/plans?token=abc123`, kommune: '3218' })
      .catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.kind).toBe('auth');
    expect(error.context).toMatchObject({ source: 'nap', kommune: '3218', status: 403 });
    expect(error.message).toContain('<html><body> Forbidden: token expired </body></html>');
    expect(error.message).not.toContain('abc123');
    expect([calls, seen]).toEqual([1, [403]]);
    await client.close();
  });

  it('sends a request again when its body breaks off, at most maxRetries times', async () => {
    let whole = 0;
    server = await startServer((req, res) => {
      if (req.headers.range === undefined) whole += 1;
      res.writeHead(200, { 'content-length': '100' });
      if (whole >= 3 && req.headers.range === undefined) {
        res.end('x'.repeat(100));
        return;
      }
      res.write('0123456789'); // then the connection drops
      setTimeout(() => res.destroy(), 10);
    });
    const client = createHttpClient({ source: 'teig-wfs', maxRetries: 2, minRetryDelayMs: 5 });
    expect((await client.request({ url: `${server.url}/wfs` })).text()).toBe('x'.repeat(100));
    expect(whole).toBe(3);

    whole = -100; // never completes
    const error = (await client
      .request({ url: `${server.url}/wfs` })
      .catch((e: unknown) => e)) as SourceError;
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/broke off mid-body/);
    expect(whole).toBe(-100 + 3);
    await client.close();
  });

  it('maps a refused connection to a network SourceError', async () => {
    const client = createHttpClient({ source: 'test', maxRetries: 0 });
    const error = await client.request({ url: 'http://127.0.0.1:1/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('network');
    await client.close();
  });
});
