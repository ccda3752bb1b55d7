import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOgcFeaturesLayer } from '../../../../sync/src/sources/national/ogc-features-layer.js';
import type { SourceError } from '../../../../sync/src/util/errors.js';
import { startOgcFeaturesDouble, type OgcFeaturesDouble } from '../../../doubles/national/ogc-features.js';
import { at } from '../../../helpers/plan-data.js';
import { layerHttp, request, squares } from './kit.js';

/** Lokaliteter with the properties Kartverket's DOK config reads from api.ra.no (national-layers.md §3). */
const sites = squares(5, (i) => ({
  navn: `Gravfelt ${i + 1}`,
  kulturminneId: String(41_907 + i),
  vernetype: i === 4 ? 'IKKEV' : 'AUT',
  vernelov: 'KML',
  linkKulturminnesøk: `https://www.kulturminnesok.no/ra/lokalitet/?id=${41_907 + i}`,
}));
const COLLECTION = 'LokaliteterEnkeltminnerOgSikringssoner/collections/lokaliteter';
let ra: OgcFeaturesDouble;
const url = () => `${ra.url}/${COLLECTION}/items`;
const http = layerHttp();
const failure = async (promise: Promise<unknown>) =>
  (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as SourceError;

beforeAll(async () => {
  ra = await startOgcFeaturesDouble({
    collections: { [COLLECTION]: sites, 'KulturminnerKulturmiljoer/collections/kulturmiljoer': [] },
  });
});
afterAll(async () => {
  await http.close();
  await ra.close();
});

describe('OGC API Features layer client (Riksantikvaren)', () => {
  it('follows links rel=next to the end, asking a lon/lat bbox', async () => {
    const read = await fetchOgcFeaturesLayer(http.for('paging'), request(url(), { pageSize: 2 }));
    expect(read.pages).toBe(3);
    expect(read.features.map((f) => f.properties?.kulturminneId)).toEqual([
      '41907',
      '41908',
      '41909',
      '41910',
      '41911',
    ]);
    const bbox = new URL(ra.requests.at(-3)!.url, 'http://x').searchParams
      .get('bbox')!
      .split(',')
      .map(Number);
    expect(bbox[0]).toBeGreaterThan(10.7);
    expect(bbox[1]).toBeGreaterThan(59.6);
    const ring = (read.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(ring[0]![0]).toBeCloseTo(at(0, 0)[0], 3);
  });

  it('takes an empty collection page as an empty area', async () => {
    const read = await fetchOgcFeaturesLayer(
      http.for('empty'),
      request(`${ra.url}/KulturminnerKulturmiljoer/collections/kulturmiljoer/items`),
    );
    expect(read).toEqual({ features: [], skipped: 0, pages: 1 });
  });

  it('fails on an HTML page, a 404 collection, and 503 that goes on; retries 429', async () => {
    ra.inject({ kind: 'html' });
    expect((await failure(fetchOgcFeaturesLayer(http.for('html'), request(url())))).kind).toBe(
      'html-error-page',
    );
    expect(
      (await failure(fetchOgcFeaturesLayer(http.for('404'), request(`${ra.url}/Nope/collections/x/items`))))
        .context.status,
    ).toBe(404);
    ra.inject({ kind: '503', times: 3 });
    expect((await failure(fetchOgcFeaturesLayer(http.for('503'), request(url())))).context.status).toBe(503);
    ra.inject({ kind: '429', retryAfter: '0', times: 2 });
    expect((await fetchOgcFeaturesLayer(http.for('429'), request(url()))).features).toHaveLength(5);
  });

  it('fails as the wrong CRS on a Content-Crs other than CRS84, and as truncated when numberMatched is not met', async () => {
    ra.set({ contentCrs: 'http://www.opengis.net/def/crs/EPSG/0/25833' });
    expect((await failure(fetchOgcFeaturesLayer(http.for('crs'), request(url())))).kind).toBe(
      'unexpected-crs',
    );
    ra.set({ contentCrs: undefined, overstateMatched: 9 });
    const error = await failure(fetchOgcFeaturesLayer(http.for('short'), request(url())));
    expect([error.kind, error.detail]).toEqual(['truncated', 'numberMatched=9 but only 5 features arrived']);
    ra.set({ overstateMatched: undefined });
  });
});
