import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { fetchArcgisLayer } from '../../../../sync/src/sources/national/arcgis-layer.js';
import {
  ARCGIS_NOT_STARTED,
  startArcgisDouble,
  type ArcgisDouble,
} from '../../../doubles/national/arcgis.js';
import { at } from '../../../helpers/plan-data.js';
import { layerHttp, memoryCache, request, squares } from './kit.js';

/** Quick-clay zones with the query field names NVE's SkredKvikkleire2 layer 0 answers (national-layers.md §1). */
const zones = squares(5, (i) => ({
  skredomrnavn: `Sone ${i + 1}`,
  objekttype: 'KvikkleireFaregrad',
  faregrad: 'Høy',
  konsekvens: 'Alvorlig',
  risiko: 3,
  statusskredomr: 1,
}));
const LAYER = 'SkredKvikkleire2/MapServer/0';
let arcgis: ArcgisDouble;
const url = () => `${arcgis.url}/${LAYER}`;
const http = layerHttp(memoryCache());
const failure = async (promise: Promise<unknown>) =>
  (await promise.then(
    () => null,
    (e: unknown) => e,
  )) as SourceError;

beforeAll(async () => {
  arcgis = await startArcgisDouble({ layers: { [LAYER]: zones, 'Flomsoner2/MapServer/17': [] } });
});
afterAll(async () => {
  await http.close();
  await arcgis.close();
});

describe('ArcGIS REST layer client (NVE, Miljødirektoratet)', () => {
  it('pages with resultOffset while exceededTransferLimit says more, wherever the flag is written', async () => {
    for (const limitFlag of ['top', 'properties'] as const) {
      arcgis.set({ maxRecordCount: 2, limitFlag });
      const before = arcgis.requests.length;
      const read = await fetchArcgisLayer(http.for(`paging-${limitFlag}`), request(url()));
      expect(read.pages).toBe(3);
      expect(read.features.map((f) => f.properties?.skredomrnavn)).toEqual([
        'Sone 1',
        'Sone 2',
        'Sone 3',
        'Sone 4',
        'Sone 5',
      ]);
      expect(
        arcgis.requests.slice(before).map((r) => new URL(r.url, 'http://x').searchParams.get('resultOffset')),
      ).toEqual(['0', '2', '4']);
    }
    arcgis.set({ maxRecordCount: 1000 });
  });

  it('reads geometry back into EPSG:25833 whichever UTM zone it asked in', async () => {
    const read = await fetchArcgisLayer(http.for('utm32'), request(url(), { epsg: 25832 }));
    const ring = (read.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(ring[0]![0]).toBeCloseTo(at(0, 0)[0], 3);
    expect(ring[0]![1]).toBeCloseTo(at(0, 0)[1], 3);
    const asked = new URL(arcgis.requests.at(-1)!.url, 'http://x').searchParams;
    expect([asked.get('inSR'), asked.get('outSR'), asked.get('f')]).toEqual(['25832', '25832', 'geojson']);
  });

  it('takes an empty FeatureCollection as a genuinely empty area', async () => {
    const read = await fetchArcgisLayer(http.for('empty'), request(`${arcgis.url}/Flomsoner2/MapServer/17`));
    expect(read).toEqual({ features: [], skipped: 0, pages: 1 });
  });

  it('asks again with If-None-Match and replays the 304 from the cache', async () => {
    const cached = layerHttp(memoryCache());
    const first = await fetchArcgisLayer(cached.for('etag'), request(url()));
    const second = await fetchArcgisLayer(cached.for('etag'), request(url()));
    expect(second.features).toEqual(first.features);
    expect(arcgis.requests.at(-1)).toMatchObject({ status: 304, conditional: true });
    await cached.close();
  });

  it('fails on the error object ArcGIS sends with HTTP 200', async () => {
    arcgis.inject({ kind: 'body', body: ARCGIS_NOT_STARTED });
    const error = await failure(fetchArcgisLayer(http.for('error200'), request(url())));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.kind).toBe('service-exception');
    expect(error.message).toMatch(/kommune 3218.*not started/);
  });

  it('fails on an HTML error page and on truncated JSON', async () => {
    arcgis.inject({ kind: 'html' });
    expect((await failure(fetchArcgisLayer(http.for('html'), request(url())))).kind).toBe('html-error-page');
    arcgis.inject({ kind: 'truncated' });
    expect((await failure(fetchArcgisLayer(http.for('truncated'), request(url())))).kind).toBe('truncated');
  });

  it('retries 429 (Retry-After) and 503, and fails with the status when they go on', async () => {
    arcgis.inject({ kind: '429', retryAfter: '0' });
    arcgis.inject({ kind: '503' });
    expect((await fetchArcgisLayer(http.for('retry'), request(url()))).features).toHaveLength(5);
    arcgis.inject({ kind: '503', times: 3 });
    const error = await failure(fetchArcgisLayer(http.for('503'), request(url())));
    expect([error.kind, error.context.status]).toEqual(['http-status', 503]);
  });

  it('fails as the wrong CRS when the answer ignores outSR or declares another CRS', async () => {
    arcgis.set({ ignoreOutSr: true });
    expect((await failure(fetchArcgisLayer(http.for('lonlat'), request(url())))).kind).toBe('unexpected-crs');
    arcgis.set({ ignoreOutSr: false, declareCrs: 25832 });
    const error = await failure(fetchArcgisLayer(http.for('declared'), request(url())));
    expect([error.kind, error.detail]).toEqual([
      'unexpected-crs',
      'the answer is in EPSG:25832, asked for EPSG:25833',
    ]);
    arcgis.set({ declareCrs: undefined });
  });
});
