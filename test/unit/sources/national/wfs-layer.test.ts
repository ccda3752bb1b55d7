import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIONAL_LAYERS } from '../../../../sync/src/sources/national/catalogue.js';
import { classify } from '../../../../sync/src/sources/national/classify.js';
import { fetchWfsLayer } from '../../../../sync/src/sources/national/wfs-layer.js';
import type { SourceError } from '../../../../sync/src/util/errors.js';
import { startWfsDouble, type WfsDouble } from '../../../doubles/wfs/server.js';
import { polygon, rect } from '../../../helpers/plan-data.js';
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
