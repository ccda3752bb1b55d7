import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { polygonsOf, type AreaGeometry } from '../../../../sync/src/domain/geometry.js';
import type { Tettsted } from '../../../../sync/src/domain/tettsted.js';
import { getGeos } from '../../../../sync/src/geo/geos.js';
import { insideArea } from '../../../../sync/src/geo/area-distance.js';
import { createHttpClient } from '../../../../sync/src/net/http-client.js';
import { bundledKommune } from '../../../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import {
  bundledSampleCentre,
  loadKommuneCentre,
} from '../../../../sync/src/sources/tettsted/kommune-centre.js';
import { largestTettsted } from '../../../../sync/src/sources/tettsted/largest-tettsted.js';
import { SsbTettstedClient } from '../../../../sync/src/sources/tettsted/tettsted-client.js';
import { parseTettstedGml } from '../../../../sync/src/sources/tettsted/tettsted-gml.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { at, polygon, rect } from '../../../helpers/plan-data.js';
import {
  sampleTettstedGml,
  startTettstedDouble,
  TETTSTED_PATH,
  type TettstedDouble,
} from '../../../doubles/tettsted/server.js';

const square = (x0: number, y0: number, x1: number, y1: number): AreaGeometry =>
  polygon(rect(x0, y0, x1, y1));
const tettsted = (nr: string, population: number, area: AreaGeometry): Tettsted => ({
  nr,
  name: `T${nr}`,
  population,
  area,
});

describe('parseTettstedGml: SSB’s WFS answer', () => {
  it('reads number, name, residents and the area, latitude-first urn EPSG:4326 turned into EPSG:25833', async () => {
    const { tettsteder, members } = await parseTettstedGml(sampleTettstedGml());
    expect(members).toBe(2);
    expect(tettsteder.map((t) => [t.nr, t.name, t.population])).toEqual([
      ['9001', 'Ås', 12_000],
      ['9002', 'Nordby', 480],
    ]);
    // Generated as the box 261 475 ± 1 500, 6 617 800 − 1 000 … + 900: back within centimetres.
    const ring = polygonsOf(tettsteder[0]!.area)[0]![0]!;
    expect(ring[0]![0]).toBeCloseTo(259_975, 1);
    expect(ring[0]![1]).toBeCloseTo(6_616_800, 1);
  });

  it('fails a member without residents, an exception report and a cut-off document by name', async () => {
    const noResidents = sampleTettstedGml().replace(
      '<ms:befolkning_tettsted>480</ms:befolkning_tettsted>',
      '',
    );
    await expect(parseTettstedGml(noResidents)).rejects.toThrow(/befolkning_tettsted is not a number/);
    const gml = sampleTettstedGml();
    await expect(parseTettstedGml(gml.slice(0, gml.length / 2))).rejects.toMatchObject({ kind: 'truncated' });
    await expect(parseTettstedGml('<html><body>Service Unavailable</body></html>')).rejects.toMatchObject({
      kind: 'html-error-page',
    });
  });
});

describe('largestTettsted: most residents inside the kommune', () => {
  const kommune = square(0, 0, 10_000, 10_000);

  it('counts a tettsted across the border by its share inside, and places the centre inside that share', async () => {
    const geos = await getGeos();
    // 10 000 residents, a fifth inside (2 000) loses to 3 000 wholly inside.
    const city = tettsted('1', 10_000, square(8_000, 0, 18_000, 1_000));
    const town = tettsted('2', 3_000, square(1_000, 1_000, 2_000, 2_000));
    expect(largestTettsted(geos, [city, town], kommune)).toEqual({
      nr: '2',
      name: 'T2',
      population: 3_000,
      residentsInKommune: 3_000,
      position: at(1_500, 1_500),
    });
    const bigCity = tettsted('1', 20_000, square(8_000, 0, 18_000, 1_000));
    const chosen = largestTettsted(geos, [town, bigCity], kommune)!;
    expect(chosen).toMatchObject({ nr: '1', residentsInKommune: 4_000 });
    expect(chosen.position).toEqual(at(9_000, 500));
  });

  it('breaks a tie by the lower number, and gives null when no tettsted reaches the kommune', async () => {
    const geos = await getGeos();
    const a = tettsted('7', 500, square(100, 100, 200, 200));
    const b = tettsted('3', 500, square(300, 300, 400, 400));
    expect(largestTettsted(geos, [a, b], kommune)!.nr).toBe('3');
    expect(largestTettsted(geos, [tettsted('9', 900, square(20_000, 0, 21_000, 1_000))], kommune)).toBeNull();
  });

  it('chooses the sample’s generated town, only the part inside the bundled boundary counted', async () => {
    const boundary = bundledKommune('3218')!.boundary;
    const { centre } = await bundledSampleCentre('sync/samples/3218-generated', boundary);
    expect(centre).toMatchObject({ nr: '9001', name: 'Ås', population: 12_000 });
    expect(centre!.residentsInKommune).toBeGreaterThan(3_000);
    expect(centre!.residentsInKommune).toBeLessThan(12_000);
    expect(insideArea(centre!.position, boundary)).toBe(true);
  });
});

describe('SSB’s tettsted WFS through its double, and the kept choice', () => {
  let double: TettstedDouble;
  let dir: string;
  beforeEach(async () => {
    double = await startTettstedDouble();
    dir = mkdtempSync(path.join(tmpdir(), 'tettsted-'));
  });
  afterEach(async () => {
    await double.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const client = (typeName = 'ms:tettsted_2025') => {
    const http = createHttpClient({
      source: 'ssb-tettsteder',
      maxRetries: 1,
      minRetryDelayMs: 5,
      maxRetryDelayMs: 20,
    });
    return { http, source: new SsbTettstedClient(`${double.url}${TETTSTED_PATH}`, typeName, http) };
  };
  const boundary = bundledKommune('3218')!.boundary;
  const DAY = 86_400_000;

  it('asks GetFeature for the year’s layer with the box latitude first, and retries a 503', async () => {
    const { http, source } = client();
    try {
      double.inject({ kind: '503' });
      const found = await source.tettstederIn([10.7, 59.6, 10.9, 59.75], { kommune: '3218' });
      expect(found).toHaveLength(2);
      const query = double.queries.at(-1)!;
      expect(Object.fromEntries(query)).toEqual({
        service: 'WFS',
        version: '2.0.0',
        request: 'GetFeature',
        typeNames: 'ms:tettsted_2025',
        srsName: 'urn:ogc:def:crs:EPSG::4326',
        bbox: '59.6,10.7,59.75,10.9,urn:ogc:def:crs:EPSG::4326',
        count: '1000',
      });
    } finally {
      await http.close();
    }
  });

  it('names an exception report with HTTP 200 (a year’s layer that does not exist) and an HTML page', async () => {
    const { http, source } = client('ms:tettsted_next');
    try {
      const error = await source.tettstederIn([10.7, 59.6, 10.9, 59.75], { kommune: '3218' }).catch((e) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({
        kind: 'service-exception',
        context: { source: 'ssb-tettsteder', kommune: '3218' },
      });
      double.inject({ kind: 'html' });
      await expect(client().source.tettstederIn([10.7, 59.6, 10.9, 59.75])).rejects.toMatchObject({
        kind: 'html-error-page',
      });
    } finally {
      await http.close();
    }
  });

  it('keeps the choice, reuses it within the refresh days, falls back to it when SSB fails, else unavailable', async () => {
    const { http, source } = client();
    const store = new LastGoodStore(dir);
    const options = { source, store, refreshDays: 30 };
    const at = (iso: string) => () => new Date(iso);
    try {
      const first = await loadKommuneCentre('3218', boundary, {
        ...options,
        now: at('2026-11-01T02:00:00Z'),
      });
      expect(first).toMatchObject({ status: 'fetched', source: 'ssb-tettsteder', centre: { name: 'Ås' } });
      const again = await loadKommuneCentre('3218', boundary, {
        ...options,
        now: at('2026-11-20T02:00:00Z'),
      });
      expect(again).toMatchObject({ status: 'cached', fetchedAt: '2026-11-01T02:00:00.000Z' });
      expect(double.queries).toHaveLength(1);
      double.inject({ kind: '503', times: 4 });
      const stale = await loadKommuneCentre('3218', boundary, {
        ...options,
        now: () => new Date(Date.parse('2026-11-01T02:00:00Z') + 40 * DAY),
      });
      expect(stale).toMatchObject({ status: 'stale', centre: { name: 'Ås' } });
      expect(stale.reason).toMatch(/ssb-tettsteder.*HTTP 503/);
      double.inject({ kind: '503', times: 4 });
      const none = await loadKommuneCentre('3219', boundary, options);
      expect(none).toMatchObject({ status: 'unavailable', centre: null });
    } finally {
      await http.close();
    }
  });

  it('keeps "no tettsted in the kommune" as an answer, not a failure', async () => {
    const { http, source } = client();
    const store = new LastGoodStore(dir);
    try {
      const far = square(-50_000, 6_700_000, -49_000, 6_701_000);
      const none = await loadKommuneCentre('9999', far, { source, store, refreshDays: 30 });
      expect(none).toMatchObject({ status: 'fetched', centre: null });
      expect(store.load('9999', 'centre')).toMatchObject({ data: { centre: null } });
    } finally {
      await http.close();
    }
  });
});
