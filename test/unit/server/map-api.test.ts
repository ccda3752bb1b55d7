import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeLotReader } from '../../../sync/src/app/lot-reader.js';
import { storeMapReader } from '../../../sync/src/app/map-reader.js';
import type { LotRecord } from '../../../sync/src/lot-record/lot-record.js';
import type { MapAccess } from '../../../sync/src/server/access/map-access.js';
import { createApp } from '../../../sync/src/server/app.js';
import type { MapReader } from '../../../sync/src/server/map-api.js';
import type { RateLimits } from '../../../sync/src/server/rate-limit.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { MAP_BANDS } from '../../../sync/src/store/lot-map-query.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';
import { movedRecord, writeKommuneRun } from '../../helpers/map-lots.js';

const AAS = aasRecords(aasLots({ count: 90, seed: 11 }));
const NESODDEN = AAS.map((r) =>
  movedRecord(r, { east: -20_000, north: 10_000, kommunenummer: '3212', kommuneNavn: 'Nesodden' }),
);
const ALL = [...AAS, ...NESODDEN];
const NORWAY = 'bbox=4,57,32,72';

interface Layer {
  type: string;
  kind: string;
  total: number;
  features: Array<{ geometry: { type: string }; properties: Record<string, unknown> }>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fileStore(): Db {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-map-api-'));
  const db = openStore(path.join(dir, 'store.sqlite'));
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => void db.close(),
  );
  writeKommuneRun(db, '3218', AAS, { runId: 1, now: '2025-03-01T02:00:00.000Z' });
  writeKommuneRun(db, '3212', NESODDEN, { runId: 1, now: '2025-03-01T02:03:00.000Z' });
  return db;
}

async function serve(
  db: Db,
  options: { threads?: number; rateLimit?: RateLimits; access?: MapAccess } = {},
): Promise<{ url: string; map: MapReader }> {
  const map = storeMapReader(db, { threads: options.threads ?? 0 });
  const app = createApp({
    lots: storeLotReader(db),
    map,
    rateLimit: options.rateLimit,
    access: options.access,
    health: () => ({ httpStatus: 200, body: { status: 'ok' } }),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => map.close(),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, map };
}

const layer = async (url: string, query: string) => {
  const response = await fetch(`${url}/api/map/lots?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Layer;
};
const tomtIds = (l: Layer) => l.features.map((f) => f.properties.tomtId as string).sort();
const idsOf = (records: LotRecord[]) => records.map((r) => r.tomtId).sort();

describe('map API: layers by box, zoom and filters', () => {
  it('answers clusters, label points or outlines by zoom, every lot counted once', async () => {
    const { url } = await serve(fileStore());
    const clusters = await layer(url, `${NORWAY}&zoom=8`);
    expect(clusters.kind).toBe('clusters');
    expect(clusters.total).toBe(ALL.length);
    expect(clusters.features.reduce((n, f) => n + (f.properties.antall as number), 0)).toBe(ALL.length);
    const points = await layer(url, `${NORWAY}&zoom=${MAP_BANDS.pointsFromZoom}`);
    expect(points.kind).toBe('points');
    expect(points.features.every((f) => f.geometry.type === 'Point')).toBe(true);
    expect(tomtIds(points)).toEqual(idsOf(ALL));
    const outlines = await layer(url, `${NORWAY}&zoom=16`);
    expect(outlines.kind).toBe('polygons');
    expect(outlines.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
    const lot = outlines.features.find((f) => f.properties.tomtId === AAS[3]!.tomtId)!;
    expect(lot.properties).toEqual({
      tomtId: AAS[3]!.tomtId,
      score: Math.round(AAS[3]!.score.total),
      klasse: AAS[3]!.score.tier,
    });
  });

  it('applies the filters on the server, as the extension’s filter bar means them', async () => {
    const { url } = await serve(fileStore());
    const score = (r: LotRecord) => Math.round(r.score.total);
    const cases: Array<[string, (r: LotRecord) => boolean]> = [
      ['minScore=55&maxScore=70', (r) => score(r) >= 55 && score(r) <= 70],
      ['tier=A,B', (r) => ['A', 'B'].includes(r.score.tier)],
      ['kommune=3212', (r) => r.kommunenummer === '3212'],
      ['confidence=medium', (r) => r.score.confidence === 'medium'],
      ['planWork=with', (r) => r.planarbeidPagar.length > 0],
      [
        'planWork=without&kommune=3218&tier=C',
        (r) => !r.planarbeidPagar.length && r.kommunenummer === '3218' && r.score.tier === 'C',
      ],
    ];
    for (const [query, keep] of cases) {
      const expected = idsOf(ALL.filter(keep));
      expect(expected.length, query).toBeGreaterThan(0);
      expect(tomtIds(await layer(url, `${NORWAY}&zoom=13&${query}`)), query).toEqual(expected);
    }
    // Outside the box: nothing, and an empty collection, not an error.
    expect((await layer(url, 'bbox=20,69,21,70&zoom=13')).features).toEqual([]);
  });

  it('refuses a question it cannot answer, naming the parameter', async () => {
    const { url } = await serve(fileStore());
    for (const [query, named] of [
      ['zoom=12', 'bbox'],
      ['bbox=11,60,10,59&zoom=12', 'bbox'],
      [`${NORWAY}&zoom=12&tier=E`, 'tier'],
      [`${NORWAY}&zoom=12&kommune=32`, 'kommune'],
      [`${NORWAY}&zoom=12&minScore=101`, 'minScore'],
      [`${NORWAY}&zoom=12&status=sold`, 'status'],
    ]) {
      const response = await fetch(`${url}/api/map/lots?${query}`);
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: string }).error, query).toContain(named);
    }
  });

  it('finds lots by gnr/bnr, with or without the kommune', async () => {
    const { url } = await serve(fileStore());
    const { gnr, bnr } = AAS[20]!.matrikkelenheter[0]!;
    const search = async (q: string) => {
      const response = await fetch(`${url}/api/map/search?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { hits: Array<{ tomtId: string; kommunenummer: string }> }).hits;
    };
    expect((await search(`${gnr}/${bnr}`)).map((h) => h.kommunenummer).sort()).toEqual(['3212', '3218']);
    expect((await search(`3218-${gnr}/${bnr}`)).map((h) => h.tomtId)).toEqual([AAS[20]!.tomtId]);
    expect((await search(`3212 ${gnr} ${bnr}`)).map((h) => h.tomtId)).toEqual([NESODDEN[20]!.tomtId]);
    expect((await fetch(`${url}/api/map/search?q=Storgata`)).status).toBe(400);
    const kommuner = (await (await fetch(`${url}/api/map/kommuner`)).json()) as {
      kommuner: Array<{ kommunenummer: string; navn: string; count: number }>;
    };
    expect(kommuner.kommuner.map((k) => [k.navn, k.count])).toEqual([
      ['Nesodden', NESODDEN.length],
      ['Ås', AAS.length],
    ]);
  });
});

describe('map API: caching per map version', () => {
  it('answers an unchanged question with 304, and a new one after a run changed lots', async () => {
    const db = fileStore();
    const { url } = await serve(db);
    const query = `${url}/api/map/lots?${NORWAY}&zoom=13&tier=A`;
    const first = await fetch(query);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"g\d+-r1-/);
    expect(first.headers.get('last-modified')).toBe(new Date('2025-03-01T02:03:00.000Z').toUTCString());
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const before = tomtIds((await first.json()) as Layer);
    // fetch() adds Cache-Control: no-cache to a conditional request (a forced reload); a browser
    // revalidating from its cache does not, so neither does this.
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const again = await fetch(query, { headers: revalidate });
    expect(again.status).toBe(304);
    // Another filter is another answer.
    const other = await fetch(`${url}/api/map/lots?${NORWAY}&zoom=13&tier=B`, {
      headers: revalidate,
    });
    expect(other.status).toBe(200);

    // Run 2 lifts one Ås lot into tier A: the cached answer must not be served again.
    const lifted = AAS.find((r) => r.score.tier !== 'A')!;
    const rescored = AAS.map((r) =>
      r === lifted ? { ...r, score: { ...r.score, total: 95, tier: 'A' as const } } : r,
    );
    writeKommuneRun(db, '3218', rescored, { runId: 2, now: '2025-03-02T02:00:00.000Z' });
    const after = await fetch(query, { headers: revalidate });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.headers.get('etag')).toMatch(/-r2-/);
    expect(after.headers.get('last-modified')).toBe(new Date('2025-03-02T02:00:00.000Z').toUTCString());
    expect(tomtIds((await after.json()) as Layer)).toEqual([...before, lifted.tomtId].sort());
  });

  it('sends gzip when asked, with its own ETag', async () => {
    const { url } = await serve(fileStore());
    const plain = await fetch(`${url}/api/map/lots?${NORWAY}&zoom=16`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const zipped = await fetch(`${url}/api/map/lots?${NORWAY}&zoom=16`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(zipped.headers.get('etag')).toBe(`${plain.headers.get('etag')!.slice(0, -1)}-gz"`);
    expect(await zipped.text()).toBe(await plain.text());
  });
});

describe('map API: worker threads and the deprecated /api/lots', () => {
  it('gives the same answers from a worker thread as in place', async () => {
    const db = fileStore();
    const inPlace = await serve(db, { threads: 0 });
    const threaded = await serve(db, { threads: 2 });
    for (const query of [
      'lots?bbox=10,59,11,60&zoom=9',
      'lots?bbox=10,59,11,60&zoom=15&tier=C',
      'search?q=46',
      'kommuner',
    ]) {
      const a = await (await fetch(`${inPlace.url}/api/map/${query}`)).text();
      const b = await (await fetch(`${threaded.url}/api/map/${query}`)).text();
      expect(b, query).toBe(a);
    }
  }, 30_000);

  it('still serves /api/lots whole, marked deprecated with the new route as successor', async () => {
    const { url } = await serve(fileStore(), { threads: 1 });
    const response = await fetch(`${url}/api/lots`);
    expect(response.headers.get('deprecation')).toBe('true');
    expect(response.headers.get('link')).toBe('</api/map/lots>; rel="successor-version"');
    const collection = (await response.json()) as {
      features: Array<{ id: string; properties: { style: unknown } }>;
    };
    expect(collection.features.map((f) => f.id)).toEqual(idsOf(ALL));
    expect(collection.features[0]!.properties.style).toBeDefined();
  }, 30_000);
});

describe('map API: per-client rate limit', () => {
  it('answers 429 with Retry-After once a client has used its minute; others and /health go on', async () => {
    const access: MapAccess = { mode: 'proxy-header', proxy: { header: 'x-forwarded-user', users: null } };
    const { url } = await serve(fileStore(), { rateLimit: { perMinute: 3 }, access });
    const as = (user: string, route = `/api/map/lots?${NORWAY}&zoom=9`) =>
      fetch(`${url}${route}`, { headers: { 'x-forwarded-user': user } });
    for (let i = 0; i < 3; i++) expect((await as('kari')).status).toBe(200);
    const refused = await as('kari', '/api/lots');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: string; message: string };
    expect(body.error).toBe('rate-limited');
    expect(body.message).toMatch(/^For mange forespørsler\. Vent \d+ s og prøv igjen\. \/ Too many requests/);
    expect((await as('per')).status).toBe(200);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
