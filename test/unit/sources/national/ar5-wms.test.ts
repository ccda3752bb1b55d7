import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import { LastGoodStore } from '../../../../sync/src/sources/last-good-store.js';
import { readGfiArtype } from '../../../../sync/src/sources/national/ar5-wms.js';
import { planFarmlandCells } from '../../../../sync/src/sources/national/farmland-cells.js';
import { sampleFarmland } from '../../../../sync/src/sources/national/sample-farmland.js';
import type { FormatError } from '../../../../sync/src/sources/files/format-error.js';
import type { Double } from '../../../doubles/double.js';
import { EMPTY_GFI, startNibioWmsDouble } from '../../../doubles/national/nibio-wms.js';
import { polygon, rect } from '../../../helpers/plan-data.js';
import { layerHttp } from './kit.js';

const FEATURE = readFileSync(path.resolve('test/fixtures/national/nibio-ar5-gfi-arealtype.xml'), 'utf8');
/** Fulldyrka (21) west of x = 50, skog (30) east of it, in local metres near Ås. */
const ar5 = [
  { properties: { artype: 21 }, geometry: polygon(rect(-100, -100, 50, 200)) },
  { properties: { artype: 30 }, geometry: polygon(rect(50, -100, 300, 200)) },
];
const lots = [{ geometry: polygon(rect(0, 0, 100, 100)) }, { geometry: polygon(rect(200, 0, 210, 10)) }];
let wms: Double;
const rulesWith = (url: string, requestsPerSecond = 20) =>
  parseRules({
    lotScore: {
      constraints: { nationalLayers: { landbruk: { wms: { url, cellM: 25, requestsPerSecond } } } },
    },
  }).lotScore.constraints.nationalLayers;

beforeAll(async () => {
  wms = await startNibioWmsDouble(ar5);
});
afterAll(async () => {
  await wms.close();
});

describe('NIBIO AR5 WMS GetFeatureInfo', () => {
  it('reads artype from MapServer GML, null from an answer without a feature, and refuses what is not that GML', () => {
    expect(readGfiArtype(FEATURE, 'Arealtype')).toBe(21);
    expect(readGfiArtype(EMPTY_GFI, 'Arealtype')).toBeNull();
    const kind = (text: string) => {
      try {
        readGfiArtype(text, 'Arealtype');
        return 'read';
      } catch (error) {
        return (error as FormatError).kind;
      }
    };
    expect(kind('<!DOCTYPE html><html><head><title>502</title></head></html>')).toBe('html-error-page');
    expect(
      kind(
        '<?xml version="1.0"?><ServiceExceptionReport><ServiceException code="LayerNotDefined">msWMSLoadGetMapParams(): WMS server error. Invalid layer(s) given in the LAYERS parameter.</ServiceException></ServiceExceptionReport>',
      ),
    ).toBe('service-exception');
    expect(kind(FEATURE.slice(0, FEATURE.length / 2))).toBe('truncated');
  });

  it('plans grid cells inside each lot, the label point for a lot too small for a centre, and grows cells over the budget', () => {
    const plan = planFarmlandCells(lots, { cellM: 25, maxSamplesPerLot: 16, maxSamplesPerKommune: 100 });
    expect(plan.cells).toHaveLength(16 + 1);
    const tight = planFarmlandCells(lots, { cellM: 25, maxSamplesPerLot: 16, maxSamplesPerKommune: 5 });
    expect(tight.cellM).toBe(50);
    expect(tight.cells).toHaveLength(4 + 1);
  });

  it('samples farmland at the cells and keeps the farmland cells as areas; reuses them for refreshDays', async () => {
    const http = layerHttp();
    const rules = rulesWith(`${wms.url}/cgi-bin/ar5`);
    const first = await sampleFarmland('3218', lots, { rules, http, store: null });
    expect(first.status).toMatchObject({ status: 'fetched', layer: 'landbruk', features: 8 });
    expect(first.status.cause).toMatch(/17 samples \(cells from 25 m\), 0 reused/);
    // The farmland cells are the 8 west of x = 50 (two columns of four).
    const xs = first.layers[0]!.features.map(
      (f) => (f.geometry as { coordinates: number[][][] }).coordinates[0]![0]![0],
    );
    expect(new Set(xs).size).toBe(2);
    expect(
      wms.requests.every(
        (r) => /SRS=EPSG%3A25833/.test(r.url) && /INFO_FORMAT=application%2Fvnd.ogc.gml/.test(r.url),
      ),
    ).toBe(true);

    const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'ar5-')));
    // 3218 falls due at 12:00 UTC on 1 December 2026 and every 7 days after it (kept-fetch.ts).
    const day = (n: number) => () => new Date(Date.UTC(2026, 11, 1 + n));
    await sampleFarmland('3218', lots, { rules, http, store, now: day(1) });
    const asked = wms.requests.length;
    const reused = await sampleFarmland('3218', lots, { rules, http, store, now: day(7) });
    expect(wms.requests.length).toBe(asked);
    expect(reused.status.cause).toMatch(/17 reused/);
    expect(reused.status.features).toBe(8);
    await sampleFarmland('3218', lots, { rules, http, store, now: day(8) });
    expect(wms.requests.length).toBe(asked + 17);
    await http.close();
  });

  it('keeps the fetch time of the older samples when a new lot is sampled, so none is used past refreshDays', async () => {
    const http = layerHttp();
    const rules = rulesWith(`${wms.url}/cgi-bin/ar5`);
    const store = new LastGoodStore(mkdtempSync(path.join(tmpdir(), 'ar5-')));
    // 3218 falls due at 12:00 UTC on 1 and 8 December 2026 (kept-fetch.ts).
    const day = (n: number) => () => new Date(Date.UTC(2026, 11, 1 + n));
    await sampleFarmland('3218', lots, { rules, http, store, now: day(1) });
    const newLot = { geometry: polygon(rect(-80, 120, -70, 130)) };
    const grown = await sampleFarmland('3218', [...lots, newLot], { rules, http, store, now: day(5) });
    expect(grown.status.cause).toMatch(/18 samples .*17 reused/);
    expect(grown.status.fetchedAt).toBe('2026-12-02T00:00:00.000Z');
    const asked = wms.requests.length;
    const due = await sampleFarmland('3218', [...lots, newLot], { rules, http, store, now: day(8) });
    expect(due.status.cause).toMatch(/18 samples .*0 reused/);
    expect(wms.requests.length).toBe(asked + 18);
    await http.close();
  });

  it('asks NIBIO no faster than the rules allow: 17 samples at 10 a second take over a second', async () => {
    const http = layerHttp();
    const started = Date.now();
    const sampled = await sampleFarmland('3218', lots, {
      rules: rulesWith(`${wms.url}/cgi-bin/ar5`, 10),
      http,
      store: null,
    });
    expect(sampled.status.cause).toMatch(/17 samples/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await http.close();
  });

  it('fails the layer when many samples fail (503), and never asks a host that proved unreachable', async () => {
    const http = layerHttp(null, 0);
    const rules = rulesWith(`${wms.url}/cgi-bin/ar5`);
    wms.inject({ kind: '503', times: 5 });
    const failed = await sampleFarmland('3218', lots, { rules, http, store: null });
    expect(failed.status.status).toBe('failed');
    expect(failed.status.cause).toMatch(/5 of 17 samples failed: .*HTTP 503/);
    const offline = await sampleFarmland('3218', lots, {
      rules: rulesWith('http://127.0.0.1:9/cgi-bin/ar5'),
      http,
      store: null,
    });
    expect(offline.status).toMatchObject({ status: 'failed' });
    const again = await sampleFarmland('3218', lots, {
      rules: rulesWith('http://127.0.0.1:9/cgi-bin/ar5'),
      http,
      store: null,
    });
    expect(again.status.cause).toMatch(/not asked: the host could not be reached earlier in this run/);
    await http.close();
  });
});
