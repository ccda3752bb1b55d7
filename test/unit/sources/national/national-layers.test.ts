import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { keptNationalLayersVersion } from '../../../../sync/src/sources/national/kept-layers-version.js';
import { loadNationalLayers } from '../../../../sync/src/sources/national/national-layers.js';
import { bboxOf } from '../../../../sync/src/geo/crs.js';
import { confidenceOf } from '../../../../sync/src/scoring/lot/confidence.js';
import { uncheckedLayers } from '../../../../sync/src/scoring/lot/layer-wording.js';
import { startArcgisDouble, type ArcgisDouble } from '../../../doubles/national/arcgis.js';
import { kommuneData, polygon, rect } from '../../../helpers/plan-data.js';
import { confidenceInput } from '../../scoring/lot/lot-fixtures.js';
import { layerHttp, squares } from './kit.js';

let nve: ArcgisDouble;
const data = { ...kommuneData({}), boundary: polygon(rect(-500, -500, 500, 500)) };
const off = { enabled: false };
/** Only the NVE flood and quick-clay layers, at the double; the others off. */
const rules = (nveUrl: string, refreshDays = 7, awareness = false) =>
  parseRules({
    lotScore: {
      constraints: {
        nationalLayers: {
          refreshDays,
          layers: {
            flomsoner: {
              url: `${nveUrl}/Flomsoner2/MapServer/17`,
              coverage: { url: `${nveUrl}/Flomsoner2/MapServer/0` },
            },
            kvikkleire: {
              url: `${nveUrl}/SkredKvikkleire2/MapServer/0`,
              coverage: { url: `${nveUrl}/KvikkleireskredAktsomhet/MapServer/1` },
            },
            flomaktsomhet: awareness
              ? {
                  url: `${nveUrl}/Flomaktsomhet/MapServer/1`,
                  coverage: { url: `${nveUrl}/Flomaktsomhet/MapServer/2` },
                }
              : off,
            ...Object.fromEntries(
              [
                'skredfaresoner',
                'skredaktsomhet',
                'jordflomskred',
                'kulturminner',
                'sikringssoner',
                'kulturmiljoer',
                'verneomrader',
                'stoyVeg',
                'stoyBane',
              ].map((id) => [id, off]),
            ),
          },
          landbruk: { wms: off },
        },
      },
    },
  }).lotScore.constraints.nationalLayers;

beforeAll(async () => {
  nve = await startArcgisDouble({
    layers: {
      'Flomsoner2/MapServer/17': squares(2, () => ({
        objektType: 'FlomAreal',
        gjentaksinterval: '200',
        statusKartlegging: 'gjeldende',
      })),
      'SkredKvikkleire2/MapServer/0': squares(3, (i) => ({
        skredomrnavn: `Sone ${i}`,
        faregrad: 'Høy',
        statusskredomr: i === 2 ? 0 : 1,
      })),
      // Coverage layers (national-layers.md §1): the flood analysis areas as 5 squares, paged 2 at a time.
      'Flomsoner2/MapServer/0': squares(5, () => ({ objektType: 'Analyseomrade' })),
      'KvikkleireskredAktsomhet/MapServer/1': [
        {
          properties: { dekningstatus: 'grundigKartlagtMedFunn' },
          geometry: polygon(rect(-500, -500, 500, 500)),
        },
      ],
      // Flood awareness: one area from x 0 to 100; its coverage (layer 2) only from x 40 to 500.
      'Flomaktsomhet/MapServer/1': [
        { properties: { objektType: 'FlomAktsomhetOmr' }, geometry: polygon(rect(0, 0, 100, 20)) },
      ],
      'Flomaktsomhet/MapServer/2': [{ properties: {}, geometry: polygon(rect(40, -500, 500, 500)) }],
    },
    maxRecordCount: 2,
  });
});
afterAll(() => nve.close());

describe('loadNationalLayers', () => {
  it('fetches each layer on, classifies it, and says what became of each (farmland not available without file or WMS)', async () => {
    const http = layerHttp();
    const loaded = await loadNationalLayers(data, { rules: rules(nve.url), http, store: null });
    expect(loaded.layers.map((l) => [l.name, l.constraint, l.features.length])).toEqual([
      ['NVE flomsone 200 år', 'flom', 2],
      ['NVE kvikkleiresone', 'kvikkleire', 2], // statusskredomr 0 (not in force) left out
    ]);
    expect(loaded.statuses.map((s) => [s.layer, s.status, s.features, s.cause])).toEqual([
      ['flomsoner', 'fetched', 2, '1 page(s)'],
      ['flomsonerDekning', 'fetched', 5, '3 page(s)'],
      ['kvikkleire', 'fetched', 3, '2 page(s); 1 feature(s) count as no constraint'],
      ['kvikkleireDekning', 'fetched', 1, '1 page(s)'],
      ['landbruk', 'not-available', 0, expect.any(String)],
    ]);
    expect(loaded.mappedAreas.map((m) => [m.layer, m.label, m.hazard, m.features.length])).toEqual([
      ['flomsoner', 'flomsoner', 'flomfare', 5],
      ['kvikkleire', 'kvikkleire', 'kvikkleirefare', 1],
    ]);
    const asked = nve.requests.filter((r) => r.url.includes('Flomsoner2/MapServer/0/query'));
    expect(asked.map((r) => new URL(r.url, 'http://x').searchParams.get('resultOffset'))).toEqual([
      '0',
      '2',
      '4',
    ]);
    expect(loaded.farmlandByWms).toBe(false);
    await http.close();
  });

  it('goes on past a failed layer, marking it with the cause', async () => {
    const http = layerHttp(null, 0);
    nve.inject({ kind: 'html', match: /SkredKvikkleire2/ });
    const loaded = await loadNationalLayers(data, { rules: rules(nve.url), http, store: null });
    const quickClay = loaded.statuses.find((s) => s.layer === 'kvikkleire')!;
    expect(quickClay).toMatchObject({ status: 'failed', label: 'kvikkleire', features: 0 });
    expect(quickClay.cause).toMatch(/kommune 3218, source national:kvikkleire, html-error-page/);
    expect(loaded.layers.map((l) => l.constraint)).toEqual(['flom']);
    // Its coverage is not asked: "not mapped" says nothing about a layer that was not read.
    expect(loaded.statuses.map((s) => s.layer)).not.toContain('kvikkleireDekning');
    await http.close();
  });

  it('goes on past a failed coverage layer: named in the status and in confidence, the zones still count', async () => {
    const http = layerHttp(null, 0);
    nve.inject({ kind: '503', match: /Flomsoner2\/MapServer\/0\// });
    const loaded = await loadNationalLayers(data, { rules: rules(nve.url), http, store: null });
    const coverage = loaded.statuses.find((s) => s.layer === 'flomsonerDekning')!;
    expect(coverage).toMatchObject({
      status: 'failed',
      label: 'kartleggingsområdet for flomsoner',
      features: 0,
    });
    expect(coverage.cause).toMatch(/kommune 3218, source national:flomsonerDekning/);
    expect(coverage.cause).toMatch(/503/);
    expect(loaded.layers.map((l) => [l.constraint, l.features.length])).toEqual([
      ['flom', 2],
      ['kvikkleire', 2],
    ]);
    expect(loaded.mappedAreas.map((m) => m.layer)).toEqual(['kvikkleire']);
    const unchecked = uncheckedLayers(loaded.statuses);
    expect(unchecked).toEqual(['kartleggingsområdet for flomsoner', 'dyrka mark']);
    const confidence = confidenceOf(
      confidenceInput({ uncheckedLayers: unchecked }),
      parseRules({}).lotScore.confidence,
    );
    expect(confidence).toEqual({
      level: 'medium',
      reasons: [
        'Kartleggingsområdet for flomsoner og dyrka mark er ikke sjekket fordi kartdataene ikke var tilgjengelige.',
      ],
    });
    await http.close();
  });

  it('counts a flood awareness area only inside its coverage (layer 2), and all of it when the coverage failed', async () => {
    const http = layerHttp(null, 0);
    const loaded = await loadNationalLayers(data, { rules: rules(nve.url, 7, true), http, store: null });
    const awareness = loaded.layers.find((l) => l.constraint === 'flomAktsomhet')!;
    expect(awareness.features).toHaveLength(1);
    expect(bboxOf(awareness.features[0]!.geometry!)).toEqual(bboxOf(polygon(rect(40, 0, 100, 20))));
    expect(awareness.features[0]!.properties).toMatchObject({ objektType: 'FlomAktsomhetOmr' });
    nve.inject({ kind: 'html', match: /Flomaktsomhet\/MapServer\/2\// });
    const unclipped = await loadNationalLayers(data, { rules: rules(nve.url, 7, true), http, store: null });
    expect(
      bboxOf(unclipped.layers.find((l) => l.constraint === 'flomAktsomhet')!.features[0]!.geometry!),
    ).toEqual(bboxOf(polygon(rect(0, 0, 100, 20))));
    expect(unclipped.statuses.find((s) => s.layer === 'flomaktsomhetDekning')!.status).toBe('failed');
    await http.close();
  });

  it('reuses a layer until its kommune is due, then asks again (conditionally); the version agrees', async () => {
    const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'layers-')));
    const http = layerHttp();
    // 3218 falls due at 12:00 UTC on 1 December 2026 and every 7 days after it (kept-fetch.ts):
    // a copy fetched the night after is reused for the whole week.
    const day = (n: number) => () => new Date(Date.UTC(2026, 11, 1 + n));
    const version = (n: number) =>
      keptNationalLayersVersion('3218', { rules: rules(nve.url), store, now: day(n)() });
    await loadNationalLayers(data, { rules: rules(nve.url), http, store, now: day(1) });
    const asked = nve.requests.length;
    expect(version(7)).toMatch(/^flomsoner@2026-12-02T00:00:00.000Z;/);
    const reused = await loadNationalLayers(data, { rules: rules(nve.url), http, store, now: day(7) });
    expect(nve.requests.length).toBe(asked);
    expect(reused.statuses[0]).toMatchObject({
      status: 'fetched',
      fetchedAt: '2026-12-02T00:00:00.000Z',
      features: 2,
    });
    expect(version(8)).toBeNull();
    await loadNationalLayers(data, { rules: rules(nve.url), http, store, now: day(8) });
    expect(nve.requests.length).toBe(asked + 7);
    await http.close();
  });

  it('offline: the first layer fails fast and the others on that host are not asked', async () => {
    const http = layerHttp();
    const started = Date.now();
    const loaded = await loadNationalLayers(data, { rules: rules('http://127.0.0.1:9'), http, store: null });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(loaded.statuses.map((s) => [s.layer, s.status])).toEqual([
      ['flomsoner', 'failed'],
      ['kvikkleire', 'failed'],
      ['landbruk', 'not-available'],
    ]);
    expect(loaded.statuses[0]!.cause).toMatch(/network: .*ECONNREFUSED/);
    expect(loaded.statuses[1]!.cause).toMatch(
      /^not asked: the host could not be reached earlier in this run/,
    );
    await http.close();
  });

  it('reads the bundled sample kommune from its files, and an AR5 file for farmland', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sample-'));
    mkdirSync(path.join(dir, 'layers'));
    const flood = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { gjentaksinterval: '200' }, geometry: polygon(rect(0, 0, 50, 50)) },
      ],
    };
    writeFileSync(path.join(dir, 'layers', 'flomsoner.json'), JSON.stringify(flood));
    const ar5 = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
      features: [21, 30].map((arealtype, i) => ({
        type: 'Feature',
        properties: { arealtype },
        geometry: polygon(rect(i * 100, 0, i * 100 + 50, 50)),
      })),
    };
    writeFileSync(path.join(dir, 'layers', 'ar5.geojson'), JSON.stringify(ar5));
    const http = layerHttp();
    const loaded = await loadNationalLayers(data, {
      rules: rules('http://127.0.0.1:9'),
      http,
      store: null,
      bundled: { kommunenummer: '3218', dir },
    });
    expect(loaded.statuses.map((s) => [s.layer, s.status, s.features])).toEqual([
      ['flomsoner', 'fetched', 1],
      ['flomsonerDekning', 'not-available', 0],
      ['kvikkleire', 'not-available', 0],
      ['landbruk', 'fetched', 1],
    ]);
    expect(loaded.layers.map((l) => [l.constraint, l.features.length])).toEqual([
      ['flom', 1],
      ['landbruk', 1],
    ]);
    await http.close();
  });
});
