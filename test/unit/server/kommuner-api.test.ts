import { readFileSync, statSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledKommuneBoundaries, storeKommuneReader } from '../../../sync/src/app/kommune-reader.js';
import { storeLotReader } from '../../../sync/src/app/lot-reader.js';
import type { KommuneDashboard } from '../../../sync/src/presentation/kommune-dashboard.js';
import type { KommuneDetail } from '../../../sync/src/presentation/kommune-detail.js';
import { FACTORS } from '../../../sync/src/scoring/kommune/factors.js';
import { createApp, type AppOptions } from '../../../sync/src/server/app.js';
import { BUNDLED_KOMMUNE_BOUNDARIES } from '../../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { createKommuneRankingStore } from '../../../sync/src/store/kommune-ranking.js';
import { population } from '../../doubles/ssb/fixtures.js';
import { readGolden } from '../../golden/golden-files.js';
import { formatInteger } from '../../../sync/src/util/norwegian-format.js';
import { kommuneRulesSchema } from '../../../sync/src/config/kommune-rules.js';
import { storeKommuneRankings } from '../../helpers/kommune-rankings.js';

const DEFAULT_WEIGHTS = kommuneRulesSchema.parse({}).weights;
const health = () => ({ httpStatus: 200, body: {} });

async function serve(options: Omit<AppOptions, 'health'>): Promise<{ url: string; server: Server }> {
  const app = createApp({ health, ...options });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function close(server: Server | undefined) {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
}

/** A request without fetch's automatic decompression: the bytes as sent. */
function raw(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/** Splits one `;`-separated line, honouring quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

describe('kommune dashboard routes on a stored ranking of all 357 kommuner', () => {
  let db: Db;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    db = openStore(':memory:');
    // Three weekly refreshes on the SSB double; the last is the golden file's ranking.
    await storeKommuneRankings(db, 3);
    ({ url, server } = await serve({
      lots: storeLotReader(db),
      kommuner: storeKommuneReader(db),
      kommuneBoundaries: bundledKommuneBoundaries,
    }));
  }, 120_000);
  afterAll(async () => {
    await close(server);
    db?.close();
  });

  it('GET /api/kommuner: every kommune in rank order with score, top mark, confidence and each factor', async () => {
    const response = await fetch(`${url}/api/kommuner`);
    expect(response.status).toBe(200);
    const dashboard = (await response.json()) as KommuneDashboard;
    expect(dashboard).toMatchObject({ count: 357, topCount: 50, hasPopulation: true });
    expect(dashboard.updatedAt).toMatch(/^2026-03-10T/);
    expect(dashboard.updatedText).toBe('10.03.2026');

    // The same ranking the golden file records: rank, kommune, score and the top-50 mark.
    const golden = readGolden('kommune-ranking.expected.tsv').slice(1);
    expect(
      dashboard.kommuner.map((k) =>
        [k.rank ?? '-', k.nr, k.navn, k.score?.toFixed(1) ?? '-', k.top ? 'ja' : ''].join('\t'),
      ),
    ).toEqual(golden);

    // The factors are the ranking's, in the method's order, with label, unit and weight.
    expect(dashboard.factors.map((f) => f.key)).toEqual(FACTORS.map((f) => f.key));
    for (const column of dashboard.factors) {
      const definition = FACTORS.find((f) => f.key === column.key)!;
      expect(column).toMatchObject({ label: definition.label, unit: definition.unit });
      // The default rule file's weight; a factor at weight 0 (party stances) is shown, not counted.
      expect(column.weight).toBe(DEFAULT_WEIGHTS[column.key as keyof typeof DEFAULT_WEIGHTS]);
      if (column.weight === 0) continue;
      expect(column.of).toBeGreaterThan(300);
      // Factor ranks run 1…of over the kommuner with a figure, best 0–1 value first.
      const ranked = dashboard.kommuner
        .map((k) => k.factors[column.key]!)
        .filter((c) => c.rank !== null)
        .sort((a, b) => a.rank! - b.rank!);
      expect(ranked).toHaveLength(column.of);
      expect(ranked[0]!.rank).toBe(1);
      expect(ranked.at(-1)!.rank).toBeLessThanOrEqual(column.of);
      for (let i = 1; i < ranked.length; i++)
        expect(ranked[i]!.normalised!).toBeLessThanOrEqual(ranked[i - 1]!.normalised!);
    }

    // Real figures pass through: Oslo's population and its 5-year growth from 07459.
    const pop = population().get('0301')!;
    const oslo = dashboard.kommuner.find((k) => k.nr === '0301')!;
    expect(oslo).toMatchObject({ navn: 'Oslo - Oslove', fylke: 'Oslo', population: pop.get(2026) });
    expect(oslo.factors.befolkningsvekst!.value).toBeCloseTo((pop.get(2026)! / pop.get(2021)! - 1) * 100, 2);
    expect(oslo.factors.befolkningsvekst!.year).toBe('2026');
    const pointsSum = Object.values(oslo.factors).reduce((sum, f) => sum + f.points, 0);
    expect(pointsSum).toBeCloseTo(oslo.score!, 1);
    // The previous week's rank is there for the change column.
    expect(dashboard.kommuner.filter((k) => k.previousRank !== null)).toHaveLength(357);
    expect(dashboard.kommuner.every((k) => /^#[0-9a-f]{6}$/.test(k.colour))).toBe(true);
  });

  it('GET /api/kommuner/:nr: factors with value, points and rank, the history and the method’s explanation', async () => {
    const dashboard = (await (await fetch(`${url}/api/kommuner`)).json()) as KommuneDashboard;
    const oslo = dashboard.kommuner.find((k) => k.nr === '0301')!;
    const response = await fetch(`${url}/api/kommuner/0301`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as KommuneDetail;
    expect(detail.title).toBe('Oslo - Oslove (0301)');
    expect(detail.headline).toContain(`Nr. ${oslo.rank} av 357`);
    expect(detail.factors.map((f) => f.key)).toEqual(FACTORS.map((f) => f.key));
    const growth = detail.factors.find((f) => f.key === 'befolkningsvekst')!;
    const growthColumn = dashboard.factors.find((f) => f.key === 'befolkningsvekst')!;
    // A kommune whose series fails the year-by-year check has no growth figure: 356 of 357.
    expect(growthColumn.of).toBeGreaterThan(350);
    expect(growth).toMatchObject({
      rank: oslo.factors.befolkningsvekst!.rank,
      of: growthColumn.of,
      year: '2026',
      valueText: expect.stringMatching(/^-?\d+,\d$/),
    });

    // Three weekly refreshes, oldest first, with the score chart and a sparkline per factor.
    expect(detail.history.map((h) => h.date)).toEqual(['24.02.2026', '03.03.2026', '10.03.2026']);
    expect(detail.history.at(-1)).toMatchObject({ rank: oslo.rank, score: oslo.score });
    expect(detail.chart.dots).toHaveLength(3);
    expect(detail.chart.path).toMatch(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
    expect(detail.chart.dots.at(-1)!.title).toContain(`nr. ${oslo.rank}`);
    // Every weighted factor has a figure each week; party stances (weight 0, none configured) have none.
    for (const f of detail.factors)
      expect(f.spark?.dots ?? []).toHaveLength(f.key === 'partistandpunkt' ? 0 : 3);
    // The population figure is the real one every week; the generated house price moves.
    const spark = (key: string) => detail.factors.find((f) => f.key === key)!.spark!;
    expect(new Set(spark('befolkningsvekst').dots.map((d) => d.y)).size).toBe(1);
    expect(new Set(spark('boligpris').dots.map((d) => d.y)).size).toBeGreaterThan(1);

    // The method's own explanation, as the CLI's --explain and Airtable's Forklaring give it.
    expect(detail.explanation.source).toBe('ranking');
    const [first, ...rest] = detail.explanation.paragraphs;
    const score = oslo.score!.toFixed(1).replace('.', ',');
    expect(first).toMatch(
      new RegExp(`^Oslo - Oslove \\(0301\\) er nr\\. ${oslo.rank} av 357 med score ${score} av 100 – `),
    );
    expect(first).toContain(oslo.top ? 'topp 50 (nr.' : 'topp 50');
    expect(rest).toContain(`Folketall: ${formatInteger(oslo.population!)}.`);
    expect(rest.join(' ')).toMatch(/(Løfter|Trekker ned): /);
    expect(rest.at(-1)).toBe('Tallene er fra SSB, hentet 2026-03-10.');

    expect((await fetch(`${url}/api/kommuner/9999`)).status).toBe(404);
    expect((await fetch(`${url}/api/kommuner/oslo`)).status).toBe(400);
  });

  it('GET /kommuner.csv: UTF-8 with BOM, `;` and decimal comma, one row per kommune, every factor', async () => {
    const response = await fetch(`${url}/kommuner.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="kommunerangering-2026-03-10.csv"',
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines).toHaveLength(358);
    const header = csvFields(lines[0]!);
    expect(header.slice(0, 11)).toEqual([
      'Rang',
      'Forrige rang',
      'Kommunenummer',
      'Kommune',
      'Fylke',
      'Folketall',
      'Score',
      'Topp 50',
      'Konfidens',
      'Andel av vekten med tall',
      'Manglende faktorer',
    ]);
    expect(header).toHaveLength(11 + 4 * FACTORS.length);
    expect(header).toContain('Boligpris (kr per m²)');
    expect(header).toContain('Boligpris poeng');
    const rows = lines.slice(1).map(csvFields);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 357 }, (_, i) => String(i + 1)));
    expect(rows.filter((r) => r[7] === 'ja')).toHaveLength(50);

    const dashboard = (await (await fetch(`${url}/api/kommuner`)).json()) as KommuneDashboard;
    const oslo = dashboard.kommuner.find((k) => k.nr === '0301')!;
    const osloRow = rows.find((r) => r[2] === '0301')!;
    const cell = (name: string) => osloRow[header.indexOf(name)];
    expect(cell('Kommune')).toBe('Oslo - Oslove');
    expect(cell('Folketall')).toBe(String(oslo.population)); // a number Excel reads: no space
    expect(cell('Score')).toBe(oslo.score!.toFixed(2).replace('.', ','));
    expect(cell('Befolkningsvekst poeng')).toBe(
      oslo.factors.befolkningsvekst!.points.toFixed(2).replace('.', ','),
    );
    const growthOf = dashboard.factors.find((f) => f.key === 'befolkningsvekst')!.of;
    expect(cell(`Befolkningsvekst rang (av ${growthOf})`)).toBe(String(oslo.factors.befolkningsvekst!.rank));
    // Norwegian letters survive.
    expect(rows.map((r) => r[3])).toEqual(expect.arrayContaining(['Bærum', 'Ålesund', 'Tromsø']));
  });

  it('serves the boundaries compact, gzipped, versioned and cached', async () => {
    const page = await (await fetch(`${url}/kommuner`)).text();
    const boundariesUrl = /"boundariesUrl":"(kommuner\/grenser\.geojson\?v=[0-9a-f]{16})"/.exec(page)![1]!;
    expect(page).toContain(`<link rel="preload" href="${boundariesUrl}"`);

    const zipped = await raw(`${url}/${boundariesUrl}`, { 'accept-encoding': 'gzip, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    const original = statSync(BUNDLED_KOMMUNE_BOUNDARIES).size;
    const json = gunzipSync(zipped.body);
    // 1.26 MB in the bundled file; about a ninth of it on the wire.
    expect(zipped.body.length).toBeLessThan(original / 6);
    expect(json.length).toBeLessThan(original / 2);

    const geo = JSON.parse(json.toString('utf8')) as {
      features: Array<{
        properties: { kommunenummer: string };
        geometry: { type: string; coordinates: number[][][][] };
      }>;
    };
    expect(geo.features).toHaveLength(357);
    const dashboard = (await (await fetch(`${url}/api/kommuner`)).json()) as KommuneDashboard;
    expect(new Set(geo.features.map((f) => f.properties.kommunenummer))).toEqual(
      new Set(dashboard.kommuner.map((k) => k.nr)),
    );
    for (const f of geo.features) {
      expect(f.geometry.type).toBe('MultiPolygon');
      for (const ring of f.geometry.coordinates.flat())
        for (const [x, y] of ring)
          expect(Math.round(x! * 1000) / 1000 === x && Math.round(y! * 1000) / 1000 === y).toBe(true);
    }
    // The original's kommuner are all there.
    const source = JSON.parse(readFileSync(BUNDLED_KOMMUNE_BOUNDARIES, 'utf8')) as { features: unknown[] };
    expect(geo.features).toHaveLength(source.features.length);

    // Without gzip: the plain bytes. With the ETag: 304, no body.
    const plain = await raw(`${url}/${boundariesUrl}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(json)).toBe(true);
    const again = await raw(`${url}/${boundariesUrl}`, {
      'accept-encoding': 'gzip',
      'if-none-match': String(zipped.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body).toHaveLength(0);
    // An old or missing version is not cached for a year.
    expect((await raw(`${url}/kommuner/grenser.geojson`)).headers['cache-control']).toBe('no-cache');
  });

  it('GET /kommuner: the page with the ranking inside, linked to the lot map and the CSV', async () => {
    const response = await raw(`${url}/kommuner`, { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    // HTML and the ranking of 357 kommuner in one response, well under 100 kB on the wire.
    expect(response.body.length).toBeLessThan(100_000);
    const html = gunzipSync(response.body).toString('utf8');
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<a href="./">Kart over tomter</a>');
    expect(html).toContain('<a href="kommuner.csv" download>');
    expect(html).toContain('357 kommuner · oppdatert 10.03.2026');
    const data = JSON.parse(
      /<script id="data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!,
    ) as {
      dashboard: KommuneDashboard;
    };
    expect(data.dashboard.kommuner).toHaveLength(357);
    const again = await raw(`${url}/kommuner`, { 'if-none-match': String(response.headers.etag) });
    expect(again.status).toBe(200); // the ETag belongs to the gzip variant
    const etag = String(again.headers.etag);
    expect((await raw(`${url}/kommuner`, { 'if-none-match': etag })).status).toBe(304);

    const slash = await fetch(`${url}/kommuner/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(new URL(slash.headers.get('location')!, `${url}/kommuner/`).pathname).toBe('/kommuner');
    expect(await (await fetch(`${url}/`)).text()).toContain('<a href="kommuner">');
  });

  it('reads the ranking once per refresh', async () => {
    const reader = storeKommuneReader(db);
    const first = reader.latest();
    expect(reader.latest()).toBe(first);
    const store = createKommuneRankingStore(db);
    const latest = store.latestRanking()!;
    const id = store.beginRefresh('2026-03-17T11:00:00Z', 'test');
    store.completeRefresh(id, latest, {
      finishedAt: '2026-03-17T11:01:00Z',
      kommuneSource: 'test',
      requests: 0,
      tables: [],
      warnings: [],
      rules: {},
    });
    const next = reader.latest()!;
    expect(next).not.toBe(first);
    expect(next.updatedAt).toBe('2026-03-17T11:01:00Z');
    expect(reader.history('0301')).toHaveLength(4);
    expect(Object.keys(reader.history('0301')[0]!.factors!)).toHaveLength(FACTORS.length);
  });
});

describe('kommune dashboard before the first ranking', () => {
  let server: Server | undefined;
  let db: Db;
  afterAll(async () => {
    await close(server);
    db?.close();
  });

  it('says in Norwegian that there is none and how to get one; API and CSV answer 404', async () => {
    db = openStore(':memory:');
    let url: string;
    ({ url, server } = await serve({
      lots: storeLotReader(db),
      kommuner: storeKommuneReader(db),
      kommuneBoundaries: bundledKommuneBoundaries,
    }));
    const page = await fetch(`${url}/kommuner`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h2>Ingen kommunerangering ennå</h2>');
    expect(html).toContain('<code>tomtejakt kommuner --refresh</code>');
    expect(html).toContain('<a href="./">Kart over tomter</a>');
    expect(html).not.toContain('<table');

    const api = await fetch(`${url}/api/kommuner`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      error: 'no kommune ranking yet',
      message: expect.stringContaining('tomtejakt kommuner --refresh'),
    });
    expect((await fetch(`${url}/api/kommuner/0301`)).status).toBe(404);
    const csv = await fetch(`${url}/kommuner.csv`);
    expect(csv.status).toBe(404);
    expect(await csv.text()).toContain('Ingen kommunerangering ennå');
  });

  it('works the same when the app is built without a kommune reader', async () => {
    await close(server);
    db.close();
    db = openStore(':memory:');
    let url: string;
    ({ url, server } = await serve({ lots: storeLotReader(db) }));
    expect(await (await fetch(`${url}/kommuner`)).text()).toContain('Ingen kommunerangering ennå');
    expect((await fetch(`${url}/api/kommuner`)).status).toBe(404);
  });
});
