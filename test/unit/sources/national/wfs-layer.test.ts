import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { loadNationalLayers } from '../../../../sync/src/sources/national/national-layers.js';
import { resolveWfsTypeName } from '../../../../sync/src/sources/national/wfs-type-name.js';
import { NATIONAL_LAYERS } from '../../../../sync/src/sources/national/catalogue.js';
import { classify } from '../../../../sync/src/sources/national/classify.js';
import { fetchWfsLayer } from '../../../../sync/src/sources/national/wfs-layer.js';
import type { SourceError } from '../../../../sync/src/util/errors.js';
import { startWfsDouble, type WfsDouble } from '../../../doubles/wfs/server.js';
import { kommuneData, polygon, rect } from '../../../helpers/plan-data.js';
import { layerHttp, request } from './kit.js';

/** Norstøy Stoyvarselkart rows: STØYSONEKATEGORI R/G, STØYKILDE … (national-layers.md §7). */
const rows = Array.from({ length: 5 }, (_, i) => ({
  fid: i + 1,
  attributes: {
    STØYSONEKATEGORI: i < 2 ? 'R' : 'G',
    STØYKILDE: 'Veg',
    STØYKILDENAVN: 'Fv152',
    BEREGNETÅR: 2022,
  },
  geometry: polygon(rect(i * 30, 0, i * 30 + 20, 20)) as {
    type: 'Polygon';
    coordinates: [number, number][][];
  },
}));
const TYPE = 'norstoy_1_0:Stoyvarselkart';
let wfs: WfsDouble;
const http = layerHttp();
const failure = async (promise: Promise<unknown>) =>
  (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as SourceError;

beforeAll(async () => {
  wfs = await startWfsDouble({
    layers: { [TYPE]: rows, 'norstoy_1_0:Tom': [] },
    namespace: 'https://www.vegvesen.no/norstoy',
  });
});
afterAll(async () => {
  await http.close();
  await wfs.close();
});

describe('WFS GeoJSON layer client (Statens vegvesen road noise)', () => {
  it('pages with count/startIndex and sorts red and yellow zones onto their constraints', async () => {
    const read = await fetchWfsLayer(http.for('paging'), request(wfs.url, { typeName: TYPE, pageSize: 2 }));
    expect(read.pages).toBe(3);
    const noise = NATIONAL_LAYERS.find((l) => l.id === 'stoyVeg')!;
    expect(
      classify(noise.source, read.features, noise.constraintOf).map((l) => [l.constraint, l.features.length]),
    ).toEqual([
      ['stoyRod', 2],
      ['stoyGul', 3],
    ]);
    const asked = new URL(wfs.requests.at(-1)!.url, 'http://x').searchParams;
    expect(asked.get('OUTPUTFORMAT')).toBe('application/json');
    expect(asked.get('BBOX')).toMatch(/,urn:ogc:def:crs:EPSG::25833$/);
  });

  it('takes an empty answer as empty, and fails on HTML, 503 that goes on and a CRS it did not ask for', async () => {
    expect(
      (await fetchWfsLayer(http.for('empty'), request(wfs.url, { typeName: 'norstoy_1_0:Tom' }))).features,
    ).toEqual([]);
    wfs.inject({ kind: 'html' });
    expect((await failure(fetchWfsLayer(http.for('html'), request(wfs.url, { typeName: TYPE })))).kind).toBe(
      'html-error-page',
    );
    wfs.inject({ kind: '503', times: 3 });
    expect(
      (await failure(fetchWfsLayer(http.for('503'), request(wfs.url, { typeName: TYPE })))).context.status,
    ).toBe(503);
    // The double answers in the srsName asked; asking 25832 while expecting 25833 is the mismatch a server makes.
    wfs.inject({
      kind: 'body',
      body: JSON.stringify({
        type: 'FeatureCollection',
        features: [],
        crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } },
      }),
    });
    expect((await failure(fetchWfsLayer(http.for('crs'), request(wfs.url, { typeName: TYPE })))).kind).toBe(
      'unexpected-crs',
    );
  });
});

/** Bane NOR rail noise on Geonorge's deegree WFS: type `Støy`, geometry `område`, SOSI field names (notes §7). */
const railRows = Array.from({ length: 3 }, (_, i) => ({
  fid: i + 1,
  attributes: {
    støysonekategori: i === 0 ? 'R' : 'G',
    støykilde: 'Jernbane',
    støykildenavn: 'Østfoldbanen',
    støymetode: 'Nord2000',
    beregnetÅr: 2021,
  },
  geometry: polygon(rect(i * 30, 100, i * 30 + 20, 120)) as {
    type: 'Polygon';
    coordinates: [number, number][][];
  },
}));
const DEEGREE_APP = 'http://www.deegree.org/app';

describe('WFS GML layer client with the type name from GetCapabilities (Bane NOR rail noise)', () => {
  const doubles: WfsDouble[] = [];
  const start = async (options: Parameters<typeof startWfsDouble>[0]) => {
    const double = await startWfsDouble({ geometryName: 'område', ...options });
    doubles.push(double);
    return double;
  };
  afterAll(() => Promise.all(doubles.map((d) => d.close())));

  it('finds the type under the app: prefix, reads its GML pages and sorts red and yellow zones', async () => {
    const rail = await start({ layers: { 'app:Støy': railRows, 'app:Annet': [] }, namespace: DEEGREE_APP });
    const type = await resolveWfsTypeName(http.for('caps-app'), rail.url, 'Støy');
    expect(type).toEqual({ typeName: 'app:Støy', namespace: DEEGREE_APP });
    const read = await fetchWfsLayer(http.for('rail'), request(rail.url, { ...type, pageSize: 2 }), 'gml');
    expect(read.pages).toBe(2);
    const noise = NATIONAL_LAYERS.find((l) => l.id === 'stoyBane')!;
    expect(
      classify(noise.source, read.features, noise.constraintOf).map((l) => [l.constraint, l.features.length]),
    ).toEqual([
      ['stoyRod', 1],
      ['stoyGul', 2],
    ]);
    const asked = new URL(rail.requests.at(-1)!.url, 'http://x').searchParams;
    expect(asked.get('TYPENAMES')).toBe('app:Støy');
    expect(asked.get('NAMESPACES')).toBe(`xmlns(app,${DEEGREE_APP})`);
    expect(asked.get('OUTPUTFORMAT')).toBeNull(); // GML 3.2, the WFS 2.0 default
    // A member in lon/lat when EPSG:25833 was asked for fails as the wrong CRS, not as "no noise".
    rail.inject({
      kind: 'body',
      body: `<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="${DEEGREE_APP}" numberMatched="1" numberReturned="1"><wfs:member><app:Støy gml:id="S1"><app:støysonekategori>R</app:støysonekategori><app:område><gml:Polygon gml:id="S1_G" srsName="urn:ogc:def:crs:EPSG::4258"><gml:exterior><gml:LinearRing><gml:posList>59.6 10.7 59.6 10.8 59.7 10.8 59.6 10.7</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></app:område></app:Støy></wfs:member></wfs:FeatureCollection>`,
    });
    expect((await failure(fetchWfsLayer(http.for('rail-crs'), request(rail.url, type), 'gml'))).kind).toBe(
      'unexpected-crs',
    );
  });

  it('finds it under another prefix declared on the FeatureType, and fails by name without it or with two', async () => {
    const other = await start({
      layers: { 'stoy:Støy': railRows },
      namespace: 'https://example.invalid/stoy',
      prefixOnFeatureType: true,
    });
    expect(await resolveWfsTypeName(http.for('caps-other'), other.url, 'Støy')).toEqual({
      typeName: 'stoy:Støy',
      namespace: 'https://example.invalid/stoy',
    });
    const without = await start({ layers: { 'app:Stoysone': railRows, 'app:Jernbane': [] } });
    const missing = await failure(resolveWfsTypeName(http.for('caps-none'), without.url, 'Støy'));
    expect(missing.kind).toBe('malformed');
    expect(missing.message).toMatch(
      /source national:caps-none.*lists no feature type named Støy \(it lists: app:Stoysone, app:Jernbane\)/,
    );
    const twice = await start({ layers: { 'app:Støy': railRows, 'bane:Støy': [] } });
    expect((await failure(resolveWfsTypeName(http.for('caps-two'), twice.url, 'Støy'))).message).toMatch(
      /2 feature types named Støy \(app:Støy, bane:Støy\)/,
    );
    twice.inject({ kind: 'html' });
    expect((await failure(resolveWfsTypeName(http.for('caps-html'), twice.url, 'Støy'))).kind).toBe(
      'html-error-page',
    );
  });

  it('runs as the stoyBane layer: resolved once, kept with the layer, named in the status', async () => {
    const rail = await start({ layers: { 'app:Støy': railRows }, namespace: DEEGREE_APP });
    const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'rail-')));
    const rules = parseRules({
      lotScore: {
        constraints: {
          nationalLayers: {
            layers: Object.fromEntries(
              NATIONAL_LAYERS.map((l) => [
                l.id,
                l.id === 'stoyBane' ? { url: rail.url } : { enabled: false },
              ]),
            ),
            landbruk: { enabled: false },
          },
        },
      },
    }).lotScore.constraints.nationalLayers;
    const data = { ...kommuneData({}), boundary: polygon(rect(-500, -500, 500, 500)) };
    const loaded = await loadNationalLayers(data, { rules, http, store });
    expect(loaded.statuses).toMatchObject([
      { layer: 'stoyBane', status: 'fetched', features: 3, cause: '1 page(s), type app:Støy' },
    ]);
    expect(loaded.layers.map((l) => [l.name, l.constraint, l.features.length])).toEqual([
      ['Bane NOR støysone', 'stoyRod', 1],
      ['Bane NOR støysone', 'stoyGul', 2],
    ]);
    expect(store.load('3218', 'national-stoyBane-type')?.data).toEqual({
      typeName: 'app:Støy',
      namespace: DEEGREE_APP,
    });
    const capabilities = rail.requests.filter((r) => /GetCapabilities/.test(r.url));
    expect(capabilities).toHaveLength(1);
  });
});
