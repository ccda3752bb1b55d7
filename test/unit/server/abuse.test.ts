import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Child } from '../../e2e/fixtures/child.js';
import { LINK_KEY, slowHeaders, streamEndlessBody, WEBHOOK_SECRET } from './hostile-client.js';

/**
 * The service under abuse (issue 17), as its own process (`tomtejakt start` with the fixture
 * pipeline and the owner lookup's webhook): slowloris headers, slow and endless bodies and bursts
 * of requests at once, while a monitor asks `/health` every 100 ms. The service must keep
 * answering it (p95 under 1 s) and close the connections that hold it up. The timeouts are
 * shortened (HTTP_HEADERS_TIMEOUT_SECONDS, HTTP_REQUEST_TIMEOUT_SECONDS) so the test sees them act.
 */
let child: Child;
const service = { url: '' };
const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-abuse-'));
beforeAll(async () => {
  child = runCli(['start'], {
    DATA_DIR: dir,
    PORT: '0',
    FIXTURE_LOTS: '40',
    FIXTURE_OWNER_LOOKUP: '1',
    WEBHOOK_SECRET,
    WEBHOOK_LINK_KEY: LINK_KEY,
    HTTP_HEADERS_TIMEOUT_SECONDS: '1.5',
    HTTP_REQUEST_TIMEOUT_SECONDS: '3',
    LOG_LEVEL: 'warn',
  });
  const started = Date.now();
  while (!/Map: http:\/\/\S+\//.test(child.stdout.join(''))) {
    if (Date.now() - started > 60_000) throw new Error(`the service did not start: ${child.stderr.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  service.url = /Map: (http:\/\/\S+?)\//.exec(child.stdout.join(''))![1]!;
}, 90_000);
afterAll(async () => {
  child?.process.kill('SIGTERM');
  await child?.exit;
  rmSync(dir, { recursive: true, force: true });
});

/** Asks /health every `everyMs` until `stop` resolves; the latency of each answer (Infinity for a failure). */
async function monitorHealth(stop: Promise<unknown>, everyMs = 100): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void stop.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    const ok = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(5_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    latencies.push(ok ? performance.now() - started : Infinity);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return latencies;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

/** A body of `bytes` declared up front and sent 16 bytes every 200 ms; resolves when the server closes it. */
function slowBody(path: string, bytes: number): Promise<{ status: number | null; closedAfterMs: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | null = null;
    const req = request(`${service.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(bytes) },
    });
    const timer = setInterval(() => req.write('{"recordId":"re'), 200);
    const end = () => {
      clearInterval(timer);
      resolve({ status, closedAfterMs: performance.now() - started });
    };
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.resume();
    });
    req.on('error', end);
    req.on('close', end);
  });
}

/** `count` requests at once, each a refused webhook call or a read of the lots. */
async function burst(count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(
        `${service.url}${i % 2 ? '/api/lots' : '/webhooks/owner-lookup'}`,
        i % 2
          ? {}
          : { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"recordId":"recX"}' },
      )
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0),
    ),
  );
}

describe('the service under abuse', () => {
  it('keeps answering /health (p95 under 1 s) through slowloris, slow and endless bodies and bursts, and closes the slow clients', async () => {
    const attack = (async () => {
      const loris = Array.from({ length: 60 }, () =>
        slowHeaders(service.url, { everyMs: 300, giveUpMs: 10_000 }),
      );
      const slow = Array.from({ length: 20 }, (_, i) =>
        slowBody(i % 2 ? '/webhooks/owner-lookup' : '/health', 8_000),
      );
      const endless = Array.from({ length: 8 }, () =>
        streamEndlessBody(`${service.url}/webhooks/owner-lookup`, { maxBytes: 64 * 1024 * 1024 }),
      );
      const bursts: number[][] = [];
      for (let wave = 0; wave < 5; wave++) {
        bursts.push(await burst(60));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return {
        loris: await Promise.all(loris),
        slow: await Promise.all(slow),
        endless: await Promise.all(endless),
        bursts,
      };
    })();
    const latencies = await monitorHealth(attack);
    const { loris, slow, endless, bursts } = await attack;

    const p95 = percentile(latencies, 95);
    console.info(
      `/health during the attack: ${latencies.length} asks, p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    expect(latencies.length).toBeGreaterThan(10);
    expect(latencies.every(Number.isFinite)).toBe(true);
    expect(p95).toBeLessThan(1_000);
    // Slowloris connections are closed by the headers timeout, not left open until the client gives up.
    expect(loris.filter((l) => l.closedAfterMs === null || l.closedAfterMs > 8_000)).toEqual([]);
    expect(slow.filter((s) => s.closedAfterMs > 8_000)).toEqual([]);
    expect(endless.filter((e) => e.ended !== 'closed')).toEqual([]);
    expect(bursts.flat().filter((status) => ![200, 401, 415, 429].includes(status))).toEqual([]);
  }, 60_000);
});
