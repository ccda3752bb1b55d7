import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../sync/src/net/http-client.js';
import { CACHE_HEADER, HttpCache } from '../../../sync/src/net/conditional-cache.js';
import { startDouble, type Double } from '../../doubles/double.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';

let double: Double | undefined;
let server: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await double?.close();
  await server?.close();
  double = undefined;
  server = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-cache-test-'));
  dirs.push(dir);
  return dir;
};
const clientWith = (cache: HttpCache) =>
  createHttpClient({
    source: 'test',
    minRetryDelayMs: 5,
    maxRetries: 2,
    interceptors: [cache.interceptor()],
  });

describe('conditional HTTP cache', () => {
  it('asks If-None-Match the second time and replays the stored body for a 304', async () => {
    let body = '{"version":1}';
    double = await startDouble(() => ({ contentType: 'application/json', body }), { etags: true });
    const cache = new HttpCache({ dir: null });
    const client = clientWith(cache);
    const first = await client.request({ url: `${double.url}/data?kommune=3218` });
    const second = await client.request({ url: `${double.url}/data?kommune=3218` });
    expect(second.text()).toBe(first.text());
    expect(second.status).toBe(200);
    expect(second.headers[CACHE_HEADER]).toBe('revalidated');
    expect(double.requests.map((r) => [r.status, r.conditional, r.bytes])).toEqual([
      [200, false, 13],
      [304, true, 0],
    ]);
    body = '{"version":2}';
    expect((await client.request({ url: `${double.url}/data?kommune=3218` })).text()).toBe('{"version":2}');
    expect(cache.stats()).toEqual({ conditional: 2, revalidated: 1, stored: 2 });
    await client.close();
  });

  it('keeps entries on disk for the next process, revalidating with If-Modified-Since where there is no ETag', async () => {
    const lastModified = 'Tue, 01 Sep 2026 17:00:00 GMT';
    const seen: Array<string | undefined> = [];
    server = await startServer((req, res) => {
      seen.push(req.headers['if-modified-since']);
      if (req.headers['if-modified-since'] === lastModified) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/xml', 'last-modified': lastModified });
      res.end('<wfs:FeatureCollection/>');
    });
    const dir = tempDir();
    const tonight = clientWith(new HttpCache({ dir }));
    await tonight.request({ url: `${server.url}/wfs?page=1` });
    await tonight.close();
    const tomorrow = clientWith(new HttpCache({ dir }));
    const replay = await tomorrow.request({ url: `${server.url}/wfs?page=1` });
    expect(replay.text()).toBe('<wfs:FeatureCollection/>');
    expect(replay.headers['content-type']).toBe('text/xml');
    expect(seen).toEqual([undefined, lastModified]);
    expect(readdirSync(dir).length).toBe(1);
    await tomorrow.close();
  });

  it('forgets an invalidated URL (a body that failed its checks is never replayed)', async () => {
    double = await startDouble(() => ({ contentType: 'text/html', body: '<html>maintenance</html>' }), {
      etags: true,
    });
    const cache = new HttpCache({ dir: tempDir() });
    const client = clientWith(cache);
    await client.request({ url: `${double.url}/x` });
    cache.invalidate(`${double.url}/x`);
    await client.request({ url: `${double.url}/x` });
    expect(double.requests.map((r) => r.conditional)).toEqual([false, false]);
    await client.close();
  });

  it('asks again after a reset mid-body, stores only the complete answer, and never caches POST', async () => {
    const document = JSON.stringify({ filler: 'x'.repeat(5000) });
    double = await startDouble(() => ({ contentType: 'application/json', body: document }), { etags: true });
    double.inject({ kind: 'reset', times: 1 });
    const cache = new HttpCache({ dir: null });
    const client = clientWith(cache);
    expect((await client.request({ url: `${double.url}/x` })).text()).toBe(document);
    expect(cache.stats().stored).toBe(1);
    double.inject({ kind: 'reset', times: 100 });
    await expect(client.request({ url: `${double.url}/y` })).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringMatching(/broke off mid-body/),
    });
    expect(cache.stats().stored).toBe(1);
    double.clearFaults();
    await client.request({ url: `${double.url}/x`, method: 'POST', body: '{}' });
    expect(cache.stats().stored).toBe(1);
    await client.close();
  });
});
