import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKommuneData } from '../../../sync/src/sources/kommune-data.js';
import { SourceError } from '../../../sync/src/util/errors.js';
import type { Double } from '../../doubles/double.js';
import { startKommuneinfoDouble } from '../../doubles/kommuneinfo/server.js';
import { generatePlans, utm33 } from '../../doubles/nap/plan-data.js';
import { napApisFor, startNapDouble, type NapDouble } from '../../doubles/nap/server.js';
import { parcelGrid, startTeigDouble, type TeigDouble } from '../../doubles/teig/server.js';
import { dataFolder, NAP_CREDENTIALS, registryFor } from './source-test-kit.js';

const AS_ORIGIN = utm33(10.79, 59.66);
const AS = generatePlans('3218', AS_ORIGIN, { zones: 20, plans: 5 });
const FOLLO = generatePlans('3207', utm33(10.85, 59.75), { zones: 6, plans: 2 });
const SOURCES = { sources: { 'teig-wfs': { type: 'teig-wfs', tileSizeM: 5000, pageSize: 200 } } };

let nap: NapDouble;
let teig: TeigDouble;
let kommuneinfo: Double;
beforeAll(async () => {
  nap = await startNapDouble({ apis: napApisFor([AS, FOLLO]), credentials: NAP_CREDENTIALS, maxItems: 50 });
  teig = await startTeigDouble([
    ...parcelGrid('3218', AS_ORIGIN, 12, 10, 60, '3207'),
    ...parcelGrid('3207', utm33(10.85, 59.75), 4, 4, 60, '3207'),
  ]);
  kommuneinfo = await startKommuneinfoDouble();
});
afterAll(async () => {
  await Promise.all([nap.close(), teig.close(), kommuneinfo.close()]);
});

function night(folder: ReturnType<typeof dataFolder>) {
  const { registry } = registryFor({
    napUrl: nap.url,
    teigUrl: teig.url,
    kommuneinfoUrl: kommuneinfo.url,
    sources: SOURCES,
    cacheDir: folder.cacheDir,
    maxRetries: 1,
  });
  return {
    registry,
    load: (kommune: string) =>
      loadKommuneData(kommune, {
        sources: registry,
        lastGood: folder.lastGood,
        now: () => new Date('2026-09-02T02:00:00Z'),
      }),
  };
}

describe('loadKommuneData', () => {
  it('loads a kommune from kommuneinfo, NAP and the teig WFS with coverage flags, and stores each part as last good', async () => {
    const folder = dataFolder();
    const { registry, load } = night(folder);
    const data = await load('3218');
    expect(data.kommune).toEqual({
      kommunenummer: '3218',
      navn: 'Ås',
      fylkesnummer: '32',
      fylkesnavn: 'Akershus',
    });
    expect(data.coverage).toEqual({ kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' });
    expect(data.sources).toEqual({ kommuneplan: 'nap', reguleringsplan: 'nap', parcels: 'teig-wfs' });
    expect(data.kommuneplan).toHaveLength(22);
    expect(data.reguleringsplan).toHaveLength(10);
    expect(data.parcels).toHaveLength(11 * 10); // the 12th column belongs to Nordre Follo
    expect(data.boundary?.type).toMatch(/Polygon/);
    expect(data.centre?.type).toBe('Point');
    expect(data.report.parts.map((p) => [p.part, p.status, p.count])).toEqual([
      ['kommune', 'fetched', 1],
      ['kommuneplan', 'fetched', 22],
      ['reguleringsplan', 'fetched', 10],
      ['parcels', 'fetched', 110],
    ]);
    expect(readdirSync(path.join(folder.lastGood.dir, '3218')).sort()).toEqual([
      'kommune.json.gz',
      'kommuneplan.json.gz',
      'parcels.json.gz',
      'reguleringsplan.json.gz',
    ]);
    await registry.close();
    folder.remove();
  });

  it('falls back to the last good part when its source fails, says so, and keeps the stored copy', async () => {
    const folder = dataFolder();
    const first = night(folder);
    const good = await first.load('3218');
    await first.registry.close();

    nap.inject({ kind: '503', times: 50, match: /reguleringsplaner.*kommunenummer=3218/ });
    const second = night(folder);
    const data = await second.load('3218');
    nap.clearFaults();
    expect(data.reguleringsplan).toEqual(good.reguleringsplan);
    const part = data.report.parts.find((p) => p.part === 'reguleringsplan')!;
    expect(part).toMatchObject({
      status: 'fallback',
      source: 'nap',
      coverage: 'covered',
      count: 10,
      fetchedAt: '2026-09-02T02:00:00.000Z',
    });
    expect(part.reason).toMatch(/kommune 3218, source nap, http-status: .*HTTP 503/);
    expect(data.report.parts.filter((p) => p.status === 'fetched').map((p) => p.part)).toEqual([
      'kommune',
      'kommuneplan',
      'parcels',
    ]);
    expect(folder.lastGood.load('3218', 'reguleringsplan')?.data).toEqual(good.reguleringsplan);
    expect(readdirSync(path.join(folder.lastGood.dir, '3218')).some((f) => f.endsWith('.tmp'))).toBe(false);
    await second.registry.close();
    folder.remove();
  });

  it('fails the kommune with a SourceError when there is nothing to fall back on, and the next kommune still loads', async () => {
    const folder = dataFolder();
    const { registry, load } = night(folder);
    teig.inject({ kind: '504', times: 50, match: /BBOX=2[67]\d{4}/ });
    const error = await load('3218').catch((e: unknown) => e);
    teig.clearFaults();
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ context: { kommune: '3218', source: 'teig-wfs', status: 504 } });
    expect(existsSync(path.join(folder.lastGood.dir, '3218', 'parcels.json.gz'))).toBe(false);
    const follo = await load('3207');
    expect(follo.coverage.parcels).toBe('covered');
    await registry.close();
    folder.remove();
  });

  it('reports "not covered" for a kommune NAP has no data for, and treats a sudden loss of coverage as a failure', async () => {
    const folder = dataFolder();
    const first = night(folder);
    const follo = await first.load('3207');
    expect(follo.coverage).toEqual({
      kommuneplan: 'covered',
      reguleringsplan: 'covered',
      parcels: 'covered',
    });
    await first.registry.close();

    nap.setApis(napApisFor([AS, { ...FOLLO, reguleringsplan: [] }]));
    const second = night(folder);
    const again = await second.load('3207');
    nap.setApis(napApisFor([AS, FOLLO]));
    const part = again.report.parts.find((p) => p.part === 'reguleringsplan')!;
    expect(part).toMatchObject({ status: 'fallback', coverage: 'covered' });
    expect(part.reason).toMatch(/suddenly has no reguleringsplan data/);
    expect(again.reguleringsplan).toEqual(follo.reguleringsplan);
    await second.registry.close();

    // A kommune never seen before with no reguleringsplaner in NAP: not covered, not a failure.
    const fresh = dataFolder();
    const third = night(fresh);
    nap.setApis(napApisFor([AS, { ...FOLLO, reguleringsplan: [] }]));
    const uncovered = await third.load('3207');
    nap.setApis(napApisFor([AS, FOLLO]));
    expect(uncovered.coverage.reguleringsplan).toBe('not-covered');
    expect(uncovered.reguleringsplan).toEqual([]);
    await third.registry.close();
    folder.remove();
    fresh.remove();
  });
});
