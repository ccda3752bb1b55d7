import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../../sync/src/sources/ssb/clock.js';
import {
  createSsbClient,
  SsbQuietHoursError,
  type SsbClient,
} from '../../../../sync/src/sources/ssb/client.js';
import { createKlassClient } from '../../../../sync/src/sources/ssb/klass.js';
import { loadKommuneList } from '../../../../sync/src/sources/ssb/kommune-list.js';
import { maxInAnyWindow } from '../../../../sync/src/sources/ssb/pacer.js';
import type { SsbQuery } from '../../../../sync/src/sources/ssb/query.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { OSLO_NOON } from '../../../doubles/ssb/harness.js';
import { startSsbDouble, type SsbDouble, type SsbDoubleOptions } from '../../../doubles/ssb/server.js';

let double: SsbDouble | undefined;
let client: SsbClient | undefined;
afterEach(async () => {
  await client?.close();
  await double?.close();
  client = double = undefined;
});

async function setup(
  doubleOptions: Partial<SsbDoubleOptions> = {},
  clientOptions: Record<string, unknown> = {},
) {
  const clock = createManualClock(OSLO_NOON);
  double = await startSsbDouble({ clock, ...doubleOptions });
  client = createSsbClient({ baseUrl: double.ssbBaseUrl, clock, minRetryDelayMs: 5, ...clientOptions });
  return { clock, double, client };
}

const allKommuner = (d: SsbDouble) => d.world.kommuner.map((k) => `K-${k.nr}`);
const population = (codes: string[], years = ['2021', '2026']): SsbQuery => ({
  selection: [
    { variableCode: 'Region', codelist: 'agg_KommSummer', outputValues: 'aggregated', valueCodes: codes },
    { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
    { variableCode: 'Tid', valueCodes: years },
  ],
});

describe('SSB PxWebApi v2 client on the double', () => {
  it('confirms tables from /tables/{id} and reads metadata with codelists and elimination', async () => {
    const { client } = await setup();
    expect(await client.tableInfo('07459')).toMatchObject({
      id: '07459',
      lastPeriod: '2026',
      discontinued: false,
    });
    expect(await client.tableInfo('99999')).toBeNull();
    const meta = await client.metadata('07459');
    expect(meta.region!.codelists.map((c) => c.id)).toContain('agg_KommSummer');
    expect(meta.variable('Kjonn')!.elimination).toBe(true);
    expect(meta.contents.elimination).toBe(false);
  });

  it('sends short queries by GET and long ones by POST, with the same figures', async () => {
    const { client, double } = await setup();
    const short = await client.data('07459', population(['K-0301', 'K-4601']));
    expect(double.dataRequests().map((r) => r.method)).toEqual(['GET']);
    const long = await client.data('07459', population(allKommuner(double)));
    expect(double.dataRequests().map((r) => r.method)).toEqual(['GET', 'POST']);
    const oslo = { Region: 'K-0301', ContentsCode: 'Personer1', Tid: '2026' };
    expect(long[0]!.cell(oslo)!.value).toBe(short[0]!.cell(oslo)!.value);
    expect(long[0]!.cell(oslo)!.value).toBe(double.world.population.get('0301')!.get(2026));
  });

  it('falls back to POST when a GET URL the server finds too long answers 404', async () => {
    const { client, double } = await setup({ maxUrlLength: 1_500 }, { maxGetUrlLength: 10_000 });
    const codes = allKommuner(double).slice(0, 250);
    const data = await client.data('07459', population(codes));
    expect(double.dataRequests().map((r) => [r.method, r.status])).toEqual([
      ['GET', 404],
      ['POST', 200],
    ]);
    expect(data[0]!.size[0]).toBe(250);
  });

  it('removes duplicate codes (the server would answer 500) and brackets comma expressions', async () => {
    const { client, double } = await setup();
    await client.data('07459', population(['K-0301', 'K-0301', 'K-4601'], ['range(2024,2026)']));
    const [request] = double.dataRequests();
    expect(request!.status).toBe(200);
    const data = await client.data('07459', population(['K-0301'], ['range(2024,2026)']));
    expect(data[0]!.dimensions.Tid!.categories.map((c) => c.code)).toEqual(['2024', '2025', '2026']);
  });

  it('refuses a query without ContentsCode or Tid before sending it', async () => {
    const { client, double } = await setup();
    await expect(
      client.data('07459', {
        selection: [
          { variableCode: 'Region', valueCodes: ['0301'] },
          { variableCode: 'Tid', valueCodes: ['2026'] },
        ],
      }),
    ).rejects.toThrow(/must select ContentsCode/);
    expect(double.requests).toHaveLength(0);
  });

  it('splits a query over the cell limit before sending, and the parts hold every kommune', async () => {
    const { client, double } = await setup({}, { maxCells: 2_000 });
    const years = [
      '2014',
      '2015',
      '2016',
      '2017',
      '2018',
      '2019',
      '2020',
      '2021',
      '2022',
      '2023',
      '2024',
      '2025',
      '2026',
    ];
    const parts = await client.data('07459', population(allKommuner(double), years));
    expect(parts.length).toBe(Math.ceil(357 / Math.floor(2_000 / 13)));
    expect(double.dataRequests().every((r) => r.cells! <= 2_000)).toBe(true);
    const regions = parts.flatMap((p) => p.dimensions.Region!.categories.map((c) => c.code));
    expect(new Set(regions).size).toBe(357);
  });

  it.each([400, 403] as const)(
    'halves a query the server rejects with %i "Too many cells selected"',
    async (status) => {
      const { client, double } = await setup({ cellLimit: 300, tooManyCellsStatus: status });
      const parts = await client.data('07459', population(allKommuner(double)));
      const statuses = double.dataRequests().map((r) => r.status);
      expect(statuses.filter((s) => s === status).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 200)).toHaveLength(parts.length);
      expect(parts.reduce((n, p) => n + p.size[0]!, 0)).toBe(357);
      expect(client.stats().splits).toBeGreaterThan(0);
    },
  );

  it('waits out a 429 (up to 60 s) and goes on, reading x-ratelimit-remaining', async () => {
    const { client, double, clock } = await setup({ rateLimit: 3 });
    const t0 = clock.now();
    for (let i = 0; i < 7; i += 1) await client.tableInfo('07459');
    const stats = client.stats();
    // The double allows 3 a minute and says so: the client paces to it and never needs a 429.
    expect(stats.rateLimited).toBe(0);
    expect(
      maxInAnyWindow(
        double.requests.map((r) => r.at),
        60_000,
      ),
    ).toBeLessThanOrEqual(3);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(120_000);
    double.failNext(429, 2);
    const before = clock.now();
    expect(await client.tableInfo('07459')).not.toBeNull();
    expect(client.stats().rateLimited).toBe(2);
    expect(clock.now() - before).toBeGreaterThanOrEqual(120_000);
  });

  it('gives up after repeated 429s with a rate-limited SourceError', async () => {
    const { client, double } = await setup({}, { maxRateLimitWaits: 2 });
    double.failNext(429, 5);
    const error = await client.tableInfo('07459').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('rate-limited');
    expect(double.requests).toHaveLength(3);
  });

  it('reports a 503 maintenance window as a SourceError with the status', async () => {
    const { client, double } = await setup();
    double.setUnavailable(true);
    const error = (await client.metadata('07459').catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.context).toMatchObject({ source: 'ssb', status: 503 });
    expect(double.requests).toHaveLength(1);
  });

  it('sends nothing during SSB’s 05:00–08:15 update', async () => {
    const clock = createManualClock('2026-03-10T05:30:00Z'); // 06:30 in Oslo
    double = await startSsbDouble({ clock });
    client = createSsbClient({ baseUrl: double.ssbBaseUrl, clock });
    await expect(client.tableInfo('07459')).rejects.toBeInstanceOf(SsbQuietHoursError);
    expect(double.requests).toHaveLength(0);
  });
});

describe('KLASS 131 kommune list', () => {
  it('lists today’s kommuner without 9999, and falls back to the bundled 2024 list', async () => {
    const clock = createManualClock(OSLO_NOON);
    double = await startSsbDouble({ clock });
    const klass = createKlassClient({ baseUrl: double.klassBaseUrl, maxRetries: 0 });
    const fromKlass = await loadKommuneList(klass, '2026-03-10');
    expect(fromKlass.source).toBe('klass');
    expect(fromKlass.kommuner).toHaveLength(357);
    expect(fromKlass.kommuner.find((k) => k.kommunenummer === '9999')).toBeUndefined();
    expect(fromKlass.kommuner.find((k) => k.kommunenummer === '0301')).toEqual({
      kommunenummer: '0301',
      navn: 'Oslo - Oslove',
      fylkesnummer: '03',
      fylkesnavn: 'Oslo',
    });
    double.setKlassAvailable(false);
    const fallback = await loadKommuneList(klass, '2026-03-10');
    expect(fallback.source).toBe('bundled');
    expect(fallback.warning).toMatch(/KLASS failed/);
    expect(fallback.kommuner.map((k) => k.kommunenummer)).toEqual(
      fromKlass.kommuner.map((k) => k.kommunenummer).sort(),
    );
    await klass.close();
  });
});
