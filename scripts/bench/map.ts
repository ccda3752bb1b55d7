/**
 * npm run bench:map [-- --lots 200000 --flood-seconds 20 --connections 50]
 *
 * The map with a national store (issue 13, point 3): fills a store with --lots lots over eight
 * kommuner through the store's write path (scripts/bench/map-lots.ts; BENCH_MAP_STORE=<file>
 * keeps and reuses it), starts the service side in its own process (map-server.ts) and prints:
 *  1. the map page's interactive time in Chromium at kommune zoom (navigation to the first lots
 *     drawn), against the old `/api/lots` answer alone as the baseline (the old page could not
 *     draw before that answer was in);
 *  2. panning fetches at kommune zoom and closer (a random walk of the 1440×900 view, a quarter to
 *     half a view at a time), p50/p95, and the same pans end to end in the browser (fetch + draw);
 *  3. the signed owner-lookup webhook's 202 and /health while --connections connections flood
 *     `/api/map/lots` with other views and filters for --flood-seconds, against the webhook on an
 *     idle service. --baseline-flood repeats the flood on the old `/api/lots` (heavy: the whole
 *     collection per request on the main thread; the issue measured 18–20 s at 694 lots).
 * Targets: interactive < 2 s, panning fetch p95 < 300 ms, webhook 202 p95 < 1 s under the flood.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Pool, request } from 'undici';
import { signPayload } from '../../sync/src/server/webhooks/signature.js';
import { openStore } from '../../sync/src/store/database.js';
import { launchChromium } from '../../test/helpers/chromium.js';
import { SECRET } from '../../test/helpers/owner-lookup-harness.js';
import { seeded } from '../sample/random.js';
import { fillMapStore } from './map-lots.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const LOTS = arg('lots', 200_000);
const FLOOD_SECONDS = arg('flood-seconds', 20);
const CONNECTIONS = arg('connections', 50);
const BASELINE_FLOOD = process.argv.includes('--baseline-flood');
const VIEW = { width: 1440, height: 900 };
const TARGET = { interactiveMs: 2000, panP95Ms: 300, webhookP95Ms: 1000 };

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en')} ms` : 'n/a');
const verdict = (value: number, target: number) => (value < target ? 'met' : 'NOT met');
const line = (text = '') => process.stdout.write(`${text}\n`);

interface Kommune {
  kommunenummer: string;
  navn: string;
  count: number;
  bbox: [number, number, number, number];
}

function storeFile(): { file: string; cleanup: () => void } {
  const kept = process.env.BENCH_MAP_STORE;
  if (kept) return { file: kept, cleanup: () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-map-bench-'));
  return {
    file: path.join(dir, 'store.sqlite'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function fill(file: string): void {
  if (existsSync(file)) {
    line(`Store: ${file} (kept from an earlier run, ${(statSync(file).size / 1e6).toFixed(0)} MB)`);
    return;
  }
  line(
    `Filling a store with ${LOTS.toLocaleString('en')} lots (one run per kommune, through applyLotChanges):`,
  );
  const started = performance.now();
  const db = openStore(file);
  fillMapStore(db, LOTS, (text) => line(text));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  line(
    `  done in ${((performance.now() - started) / 1000).toFixed(0)} s; store ${(statSync(file).size / 1e6).toFixed(0)} MB`,
  );
}

async function startServer(file: string) {
  const script = fileURLToPath(new URL('./map-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`map-server exited with ${code}`)));
  });
  const started = JSON.parse(first) as { url: string; baselineUrl: string; recordIds: string[] };
  return {
    ...started,
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.stdin!.end())),
  };
}

/** The view's box at a zoom around a point, as Leaflet would ask for it. */
function viewBox(lon: number, lat: number, zoom: number): [number, number, number, number] {
  const degPerPx = 360 / 256 / 2 ** zoom;
  const halfLon = (VIEW.width / 2) * degPerPx;
  const halfLat = (VIEW.height / 2) * degPerPx * Math.cos((lat * Math.PI) / 180);
  return [lon - halfLon, lat - halfLat, lon + halfLon, lat + halfLat];
}

const layerUrl = (base: string, box: number[], zoom: number, filters = '') =>
  `${base}/api/map/lots?bbox=${box.map((v) => v.toFixed(5)).join(',')}&zoom=${zoom}${filters}`;

async function timedGet(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await request(url, { headers: { 'accept-encoding': 'gzip' } });
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Buffer).length;
  return { ms: performance.now() - started, bytes, status: response.statusCode };
}

async function baselineEndpoint(baselineUrl: string) {
  line('\n4. Baseline: the old GET /api/lots (whole collection, built per request on the main thread)');
  const sample = await timedGet(`${baselineUrl}/api/lots`);
  line(`  ${ms(sample.ms)}, ${(sample.bytes / 1e6).toFixed(1)} MB (status ${sample.status})`);
  return sample;
}

async function pageInteractive(url: string, kommuner: Kommune[]) {
  line('\n1. Map page interactive at kommune zoom (Chromium, cold profile, 1440×900)');
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (const kommune of kommuner.slice(0, 4)) {
      const context = await browser.newContext({ viewport: VIEW });
      const page = await context.newPage();
      await page.route('https://cache.kartverket.no/**', (route) => route.abort());
      await page.goto(`${url}/?kommune=${kommune.kommunenummer}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
      const kind = await page.getAttribute('body', 'data-kind');
      const shown = await page.textContent('#count');
      const steps = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => /leaflet\.js|api\/map\//.test(e.name))
          .map((e) => {
            const timing = e as unknown as { requestStart: number; responseEnd: number };
            const name = e.name.replace(/^.*\/(api\/map\/[a-z]+|vendor\/leaflet\/leaflet\.js).*$/, '$1');
            return `${name} ${Math.round(timing.requestStart)}–${Math.round(timing.responseEnd)}`;
          })
          .join(', '),
      );
      times.push(readyMs);
      line(
        `  ${kommune.navn} (${kommune.count.toLocaleString('en')} lots): ${ms(readyMs)} – ${kind}; «${shown}»; requests (ms from navigation): ${steps}`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const median = percentile(times, 50);
  line(
    `  median ${ms(median)} (target < ${TARGET.interactiveMs} ms: ${verdict(median, TARGET.interactiveMs)}); ` +
      `baseline (the old /api/lots answer alone) at the end`,
  );
  return median;
}

async function panningFetches(url: string, kommuner: Kommune[]) {
  line('\n2. Panning fetches (random walk, a quarter to half a view per pan, gzip, cold cache per view)');
  const rnd = seeded(5);
  const all: number[] = [];
  const starts = await walkStarts(url, kommuner.slice(0, 4));
  for (const zoom of [11, 12, 13, 14, 15, 16]) {
    const times: number[] = [];
    const sizes: number[] = [];
    for (const start of starts) {
      let [lon, lat] = start;
      for (let pan = 0; pan < 6; pan++) {
        const [w, s, e, n] = viewBox(lon, lat, zoom);
        const angle = rnd() * 2 * Math.PI;
        const share = 0.25 + rnd() * 0.25;
        lon += Math.cos(angle) * share * (e - w);
        lat += Math.sin(angle) * share * (n - s);
        const sample = await timedGet(layerUrl(url, viewBox(lon, lat, zoom), zoom));
        times.push(sample.ms);
        sizes.push(sample.bytes);
      }
    }
    all.push(...times);
    line(
      `  zoom ${zoom}: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, ` +
        `max ${ms(Math.max(...times))}, median answer ${(percentile(sizes, 50) / 1000).toFixed(0)} kB gzip`,
    );
  }
  const p95 = percentile(all, 95);
  line(
    `  all ${all.length} pans: p95 ${ms(p95)} (target < ${TARGET.panP95Ms} ms: ${verdict(p95, TARGET.panP95Ms)})`,
  );
  return p95;
}

/** Where walks start: the two biggest neighbourhoods of each kommune (clusters at zoom 12), so pans cross lots, not sea. */
async function walkStarts(url: string, kommuner: Kommune[]): Promise<Array<[number, number]>> {
  const starts: Array<[number, number]> = [];
  for (const kommune of kommuner) {
    const layer = (await (
      await fetch(
        `${url}/api/map/lots?bbox=${kommune.bbox.join(',')}&zoom=10&kommune=${kommune.kommunenummer}`,
      )
    ).json()) as {
      features: Array<{ geometry: { coordinates: [number, number] }; properties: { antall: number } }>;
    };
    const biggest = layer.features.sort((a, b) => b.properties.antall - a.properties.antall).slice(0, 2);
    for (const cluster of biggest) starts.push(cluster.geometry.coordinates);
  }
  return starts;
}

async function browserPans(url: string, kommune: Kommune) {
  line(`\n2b. Pans end to end in the browser (${kommune.navn}, kommune zoom and two steps in: fetch + draw)`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEW });
    await page.route('https://cache.kartverket.no/**', (route) => route.abort());
    await page.goto(`${url}/?kommune=${kommune.kommunenummer}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10 || i === 20) {
        await page.click('.leaflet-control-zoom-in');
        await page.waitForSelector('body[data-ready="true"]:not([data-loading])', { timeout: 60_000 });
      }
      const started = performance.now();
      const dx = [360, 0, -360, 0][i % 4]!;
      const dy = [0, 225, 0, -225][i % 4]!;
      await page.mouse.move(720, 450);
      await page.mouse.down();
      await page.mouse.move(720 - dx, 450 - dy, { steps: 4 });
      await page.mouse.up();
      await page.waitForSelector('body[data-ready="true"]:not([data-loading])', { timeout: 60_000 });
      times.push(performance.now() - started);
    }
    line(`  30 pans: p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} (drag included)`);
  } finally {
    await browser.close();
  }
}

async function postWebhook(url: string, recordId: string): Promise<{ ms: number; status: number }> {
  const raw = JSON.stringify({ recordId });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const started = performance.now();
  const response = await request(`${url}/webhooks/owner-lookup`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tomtejakt-timestamp': timestamp,
      'x-tomtejakt-signature': signPayload(SECRET, timestamp, raw),
    },
    body: raw,
  });
  await response.body.dump();
  return { ms: performance.now() - started, status: response.statusCode };
}

async function probes(url: string, recordIds: string[], seconds: number, firstRecord: number) {
  const webhook: number[] = [];
  const health: number[] = [];
  const statuses = new Map<number, number>();
  const end = performance.now() + seconds * 1000;
  for (let i = firstRecord; performance.now() < end; i++) {
    const [hook, up] = await Promise.all([
      postWebhook(url, recordIds[i % recordIds.length]!),
      timedGet(`${url}/health`),
      new Promise((resolve) => setTimeout(resolve, 250)),
    ]);
    webhook.push(hook.ms);
    health.push(up.ms);
    statuses.set(hook.status, (statuses.get(hook.status) ?? 0) + 1);
  }
  return { webhook, health, statuses };
}

async function flood(
  target: string,
  url: (rnd: () => number) => string,
  seconds: number,
): Promise<{ latencies: number[]; statuses: Map<number, number>; bytes: number }> {
  const pool = new Pool(new URL(target).origin, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let bytes = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      const rnd = seeded(100 + c);
      while (performance.now() < end) {
        const started = performance.now();
        try {
          const response = await pool.request({
            path: url(rnd).replace(/^https?:\/\/[^/]+/, ''),
            method: 'GET',
            headers: { 'accept-encoding': 'gzip' },
            headersTimeout: 600_000,
            bodyTimeout: 600_000,
          });
          for await (const chunk of response.body) bytes += (chunk as Buffer).length;
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        } catch {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  await pool.close();
  return { latencies, statuses, bytes };
}

function floodViews(url: string, kommuner: Kommune[]) {
  const filters = [
    '',
    '',
    '&tier=A,B',
    '&minScore=60',
    '&planWork=with',
    '&confidence=high,medium',
    '&status=active,vanished',
  ];
  return (rnd: () => number) => {
    const kommune = kommuner[Math.floor(rnd() * kommuner.length)]!;
    const zoom = 9 + Math.floor(rnd() * 8);
    const lon = kommune.bbox[0] + rnd() * (kommune.bbox[2] - kommune.bbox[0]);
    const lat = kommune.bbox[1] + rnd() * (kommune.bbox[3] - kommune.bbox[1]);
    return layerUrl(url, viewBox(lon, lat, zoom), zoom, filters[Math.floor(rnd() * filters.length)]);
  };
}

const counts = (statuses: Map<number, number>) =>
  [...statuses].map(([status, n]) => `${status === 0 ? 'failed' : status}×${n}`).join(', ');

async function webhookUnderFlood(
  server: { url: string; baselineUrl: string; recordIds: string[] },
  kommuner: Kommune[],
) {
  line(`\n3. Signed owner-lookup webhook (202) and /health, one every 250 ms`);
  const idle = await probes(server.url, server.recordIds, 5, 0);
  line(
    `  idle service: webhook p50 ${ms(percentile(idle.webhook, 50))}, p95 ${ms(percentile(idle.webhook, 95))} (${counts(idle.statuses)})`,
  );
  const [flooded, during] = await Promise.all([
    flood(server.url, floodViews(server.url, kommuner), FLOOD_SECONDS),
    probes(server.url, server.recordIds, FLOOD_SECONDS, 40),
  ]);
  const p95 = percentile(during.webhook, 95);
  line(
    `  while ${CONNECTIONS} connections flood /api/map/lots for ${FLOOD_SECONDS} s: ` +
      `${(flooded.latencies.length / FLOOD_SECONDS).toFixed(0)} req/s (${counts(flooded.statuses)}), ` +
      `flood p50 ${ms(percentile(flooded.latencies, 50))}, p95 ${ms(percentile(flooded.latencies, 95))}, ` +
      `${(flooded.bytes / FLOOD_SECONDS / 1e6).toFixed(1)} MB/s gzip`,
  );
  line(
    `  webhook 202: p50 ${ms(percentile(during.webhook, 50))}, p95 ${ms(p95)}, max ${ms(Math.max(...during.webhook))} ` +
      `(${counts(during.statuses)}; target p95 < ${TARGET.webhookP95Ms} ms: ${verdict(p95, TARGET.webhookP95Ms)}); ` +
      `/health p95 ${ms(percentile(during.health, 95))}`,
  );
  line(
    `  issue 13's baseline (old /api/lots, 694 lots, 50 connections): webhook 18–20 s = ${(18_000 / p95).toFixed(0)}× this p95`,
  );
  if (BASELINE_FLOOD) {
    const [old, oldProbes] = await Promise.all([
      flood(server.baselineUrl, () => `${server.baselineUrl}/api/lots`, FLOOD_SECONDS),
      probes(server.baselineUrl, server.recordIds, FLOOD_SECONDS, 200),
    ]);
    const oldP95 = percentile(oldProbes.webhook, 95);
    line(
      `  baseline, ${CONNECTIONS} connections on the old /api/lots: ${old.latencies.length} answers; webhook p95 ${ms(oldP95)} ` +
        `(${oldProbes.webhook.length} probes) = ${(oldP95 / p95).toFixed(0)}× the new one`,
    );
  }
  return p95;
}

async function main() {
  line(`bench:map – ${LOTS.toLocaleString('en')} lots, ${cpus().length} cores, Node ${process.version}`);
  const { file, cleanup } = storeFile();
  fill(file);
  const server = await startServer(file);
  try {
    const kommuner = (
      (await (await fetch(`${server.url}/api/map/kommuner`)).json()) as { kommuner: Kommune[] }
    ).kommuner.sort((a, b) => b.count - a.count);
    line(`Kommuner: ${kommuner.map((k) => `${k.navn} ${k.count.toLocaleString('en')}`).join(', ')}`);
    const interactive = await pageInteractive(server.url, kommuner);
    const pan = await panningFetches(server.url, kommuner);
    await browserPans(server.url, kommuner[0]!);
    const webhook = await webhookUnderFlood(server, kommuner);
    // Last: the old endpoint leaves the service process with a heap of hundreds of MB.
    const baseline = await baselineEndpoint(server.baselineUrl);
    line(
      `  = ${(baseline.ms / interactive).toFixed(1)}× the new page's whole start at kommune zoom, ` +
        `${(baseline.ms / pan).toFixed(0)}× the panning fetch p95 (the old page fetched once, then never again)`,
    );
    line('\nSummary');
    line(
      `  interactive at kommune zoom ${ms(interactive)} (< 2 s: ${verdict(interactive, TARGET.interactiveMs)})`,
    );
    line(`  panning fetch p95 ${ms(pan)} (< 300 ms: ${verdict(pan, TARGET.panP95Ms)})`);
    line(`  webhook 202 p95 under flood ${ms(webhook)} (< 1 s: ${verdict(webhook, TARGET.webhookP95Ms)})`);
  } finally {
    await server.stop();
    cleanup();
  }
}

await main();
