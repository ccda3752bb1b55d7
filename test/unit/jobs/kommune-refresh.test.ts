import { afterEach, describe, expect, it } from 'vitest';
import { runKommuneRefresh, type KommuneRefreshDeps } from '../../../sync/src/jobs/kommune-refresh.js';
import { maxInAnyWindow } from '../../../sync/src/sources/ssb/pacer.js';
import { createKommuneCentralityStore } from '../../../sync/src/store/kommune-centrality.js';
import { population, votes2023AllLists } from '../../doubles/ssb/fixtures.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';

let h: SsbHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAY = 86_400_000;
const deps = (x: SsbHarness, extra: Partial<KommuneRefreshDeps> = {}): KommuneRefreshDeps => ({
  ssb: x.ssb,
  klass: x.klass,
  store: x.store,
  rules: x.rules,
  refreshDays: 7,
  clock: x.clock,
  ...extra,
});

describe('the lot score’s figures from the refresh (issue 16)', () => {
  it('stores SSB’s centrality classes and gives a lot Byggevilje, the price per m² and the class', async () => {
    h = await startSsbHarness();
    const centrality = createKommuneCentralityStore(h.db);
    const report = await runKommuneRefresh(deps(h, { centrality }));
    expect(report.warnings).toEqual([]);
    const oslo = h.store.kommuneFigures('0301');
    expect(oslo.centralityClass).toBe(1);
    expect(h.store.kommuneFigures('3218').centralityClass).toBe(2 + (3218 % 5));
    // Byggevilje is the factor's percentile, not the kommune score; the price is the ranking's 06035 level.
    const ranked = h.store.latestRanking()!.kommuner.find((k) => k.kommune.kommunenummer === '0301')!;
    expect(oslo.byggevilje).toEqual({
      value: ranked.factors.byggevilje.normalised,
      raw: ranked.factors.byggevilje.raw,
      year: ranked.factors.byggevilje.year,
    });
    expect(oslo.byggevilje!.value).not.toBe(ranked.score! / 100);
    expect(oslo.pricePerM2).toEqual({
      value: ranked.factors.boligpris.raw,
      year: ranked.factors.boligpris.year,
    });
  });

  it('keeps the classes it had and warns when KLASS cannot give them; the ranking goes on', async () => {
    h = await startSsbHarness();
    const centrality = createKommuneCentralityStore(h.db);
    await runKommuneRefresh(deps(h, { centrality }));
    h.clock.advance(8 * DAY);
    const failing = { ...h.klass, centralityAt: () => Promise.reject(new Error('KLASS answered 503')) };
    const report = await runKommuneRefresh(deps(h, { centrality, klass: failing }));
    expect(report.outcome).toBe('refreshed');
    expect(report.warnings).toContain('centrality classes (KLASS 128) not refreshed: KLASS answered 503');
    expect(h.store.kommuneFigures('0301').centralityClass).toBe(1);
  });
});

describe('weekly kommune refresh on the SSB double', () => {
  it('ranks all 357 kommuner offline from the real population figures and the generated others', async () => {
    h = await startSsbHarness();
    const report = await runKommuneRefresh(deps(h));
    expect(report).toMatchObject({
      outcome: 'refreshed',
      kommuner: 357,
      kommuneSource: 'klass',
      rateLimited: 0,
      warnings: [],
    });
    expect(report.requests).toBeLessThanOrEqual(30);
    expect(report.tables.map((t) => t.tableId)).toEqual([
      '07459',
      '14746',
      '06035',
      '05940',
      '06944',
      '07984',
      '05940',
    ]);
    expect(report.tables.map((t) => t.factor)).toEqual([
      'befolkningsvekst',
      'framskrevetVekst',
      'boligpris',
      'boligbygging',
      'inntekt',
      'sysselsetting',
      'byggevilje',
    ]);

    const ranking = h.store.latestRanking()!;
    expect(ranking.kommuner).toHaveLength(357);
    expect(ranking.kommuner.map((k) => k.rank)).toEqual(Array.from({ length: 357 }, (_, i) => i + 1));
    expect(ranking.kommuner.filter((k) => k.top)).toHaveLength(50);
    expect(ranking.kommuner.every((k) => k.score !== null && k.score >= 0 && k.score <= 100)).toBe(true);

    // Real figures pass through unchanged: Oslo's growth 2021→2026 from 07459 …
    const pop = population().get('0301')!;
    const oslo = ranking.kommuner.find((k) => k.kommune.kommunenummer === '0301')!;
    expect(oslo.factors.befolkningsvekst.raw).toBeCloseTo((pop.get(2026)! / pop.get(2021)! - 1) * 100, 6);
    expect(oslo.factors.befolkningsvekst.year).toBe('2026');
    // Will to build: dwellings started (05940 Igangsatte) per 1,000 inhabitants; the council
    // signal is off by default (weight 0, no party stances): not fetched, missing for everyone.
    expect(oslo.factors.byggevilje.raw).toBeGreaterThan(0);
    expect(oslo.factors.byggevilje.detail.igangsatteSnitt).toBeGreaterThan(0);
    expect(ranking.kommuner.every((k) => k.factors.partistandpunkt.missing === 'factor not fetched')).toBe(
      true,
    );
    expect(ranking.kommuner.every((k) => !k.missing.includes('partistandpunkt'))).toBe(true);

    // Utsira (219 inhabitants): ranked, marked under the minimum population, never top 50.
    const utsira = ranking.kommuner.find((k) => k.kommune.kommunenummer === '1151')!;
    expect(utsira).toMatchObject({ belowMinPopulation: true, top: false, population: 219 });
    expect(Object.values(utsira.factors).reduce((s, f) => s + f.points, 0)).toBeCloseTo(utsira.score!, 6);

    // Employment from 07984 on agg_KommSummerS ("K." codes), all industries, age 15-74.
    expect(
      ranking.kommuner.find((k) => k.kommune.kommunenummer === '3207')!.factors.sysselsetting.raw,
    ).not.toBeNull();
    const employment = h.double.dataRequests().find((r) => r.path.includes('/07984/'))!.selection!;
    expect(employment.region!.codelist).toBe('agg_KommSummerS');
    expect(employment.region!.codes).toContain('K.3207');
    expect(employment).toMatchObject({ nace2007: { codes: ['00-99'] }, alder: { codes: ['15-74'] } });
    // The projection's main alternative found by label in its own variable (ContentsCode "Personer").
    const projection = h.double.dataRequests().find((r) => r.path.includes('/14746/'))!.selection!;
    expect(projection).toMatchObject({
      alternativ: { codes: ['MMMM'] },
      contentscode: { codes: ['Personer'] },
    });
  });

  it('reads council composition only as an optional signal, by the party stances configured', async () => {
    h = await startSsbHarness();
    const stances = { '02': 1, '03': 1, '06': -1, '08': -1 };
    const rules = { ...h.rules, weights: { ...h.rules.weights, partistandpunkt: 10 }, partyStances: stances };
    const report = await runKommuneRefresh(deps(h, { rules }));
    expect(report.tables.map((t) => t.tableId)).toContain('01180');
    const ranking = h.store.latestRanking()!;
    const oslo = ranking.kommuner.find((k) => k.kommune.kommunenummer === '0301')!;
    const votes = votes2023AllLists().get('0301')!;
    const total = [...votes.values()].reduce((a, b) => a + b, 0);
    const expected = Object.entries(stances).reduce((s, [p, w]) => s + (w * (votes.get(p) ?? 0)) / total, 0);
    expect(oslo.factors.partistandpunkt.raw).toBeCloseTo(expected, 9);
    // The 2023 election is on the 2024 codes: Haram (1580) has its own figure.
    const haram = ranking.kommuner.find((k) => k.kommune.kommunenummer === '1580')!;
    expect(haram.factors.partistandpunkt.raw).not.toBeNull();
    // Utsira had only local lists in 2023 (list 91, no stance set): 0, not the best score.
    const utsira = ranking.kommuner.find((k) => k.kommune.kommunenummer === '1151')!;
    expect(utsira.factors.partistandpunkt.raw).toBe(0);
  });

  it('keeps to ≤ 30 requests a minute when splitting over the cell limit makes a long refresh, and finishes', async () => {
    h = await startSsbHarness({ double: { cellLimit: 400 }, client: { maxCells: 400 } });
    const started = h.clock.now();
    const report = await runKommuneRefresh(deps(h));
    expect(report.outcome).toBe('refreshed');
    const times = h.double.requests.map((r) => r.at);
    expect(times.length).toBeGreaterThan(60);
    expect(maxInAnyWindow(times, 60_000)).toBeLessThanOrEqual(30);
    expect(report.maxRequestsPerMinute).toBeLessThanOrEqual(30);
    expect(h.double.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(((times.length - 30) / 30) * 60_000);
  });

  it('makes no request at all on a second run within SSB_REFRESH_DAYS, and refreshes after', async () => {
    h = await startSsbHarness();
    await runKommuneRefresh(deps(h));
    const sent = h.double.requests.length;
    h.clock.advance(6 * DAY);
    const second = await runKommuneRefresh(deps(h));
    expect(second).toMatchObject({ outcome: 'fresh', requests: 0, previousKept: true });
    expect(h.double.requests).toHaveLength(sent);
    h.clock.advance(2 * DAY);
    const third = await runKommuneRefresh(deps(h));
    expect(third.outcome).toBe('refreshed');
    expect(h.store.history('0301')).toHaveLength(2);
    expect(h.store.latestRanking()!.kommuner[0]!.previousRank).not.toBeNull();
  });

  it('keeps the previous ranking through a 503 window and reports it', async () => {
    h = await startSsbHarness();
    await runKommuneRefresh(deps(h));
    const before = h.store.latestRanking()!;
    const scoreBefore = h.store.kommuneScore('0301');
    h.clock.advance(8 * DAY);
    h.double.setUnavailable(true);
    const report = await runKommuneRefresh(deps(h));
    expect(report).toMatchObject({
      outcome: 'failed',
      previousKept: true,
      lastRefreshAt: before.refresh.finishedAt,
    });
    expect(report.nextDueAt).toBeUndefined();
    expect(report.error).toMatch(/503|maintenance/);
    expect(h.store.latestRanking()!.refresh.id).toBe(before.refresh.id);
    expect(h.store.kommuneScore('0301')).toBe(scoreBefore);
    expect(h.store.refreshes()[0]).toMatchObject({ status: 'failed' });
    // The next run (the window over) refreshes.
    h.double.setUnavailable(false);
    expect((await runKommuneRefresh(deps(h))).outcome).toBe('refreshed');
  });

  it('keeps the previous ranking when 429s do not clear, and when a request fails midway', async () => {
    h = await startSsbHarness({ client: { maxRateLimitWaits: 2 } });
    await runKommuneRefresh(deps(h));
    const first = h.store.lastSuccessful()!.id;
    h.clock.advance(8 * DAY);
    h.double.failNext(429, 10);
    const limited = await runKommuneRefresh(deps(h));
    expect(limited).toMatchObject({ outcome: 'failed', previousKept: true, rateLimited: 3 });
    h.clock.advance(DAY);
    // A 500 on a data request after three tables went well.
    let seen = 0;
    const double = h.double;
    const original = h.ssb.data.bind(h.ssb);
    h.ssb.data = async (...args) => {
      seen += 1;
      if (seen === 4) double.failNext(500, 5);
      return original(...args);
    };
    const midway = await runKommuneRefresh(deps(h));
    expect(midway.outcome).toBe('failed');
    expect(h.store.lastSuccessful()!.id).toBe(first);
  });

  it('sends nothing in SSB’s 05:00–08:15 update and says when', async () => {
    h = await startSsbHarness({ start: '2026-03-10T06:00:00Z' }); // 07:00 in Oslo
    const report = await runKommuneRefresh(deps(h));
    expect(report).toMatchObject({ outcome: 'quiet-hours', requests: 0, previousKept: false });
    expect(h.double.requests).toHaveLength(0);
  });

  it('uses the next configured table when one is discontinued, and drops a factor whose table is gone', async () => {
    h = await startSsbHarness();
    h.double.setDiscontinued('06035', true);
    h.double.alias('14545', '06035');
    h.double.removeTable('14746');
    const report = await runKommuneRefresh(deps(h));
    expect(report.outcome).toBe('refreshed');
    expect(report.tables.find((t) => t.factor === 'boligpris')).toMatchObject({
      tableId: '14545',
      problem: '06035 is discontinued',
    });
    expect(report.warnings).toEqual([
      'table-missing: framskrevetVekst: no usable table: 14746 does not exist; 14288 does not exist; the factor is left out',
    ]);
    const ranking = h.store.latestRanking()!;
    expect(ranking.kommuner.every((k) => k.missing.includes('framskrevetVekst'))).toBe(true);
    expect(ranking.kommuner.filter((k) => k.factors.boligpris.raw !== null).length).toBeGreaterThan(300);
  });

  it('leaves out a factor whose table no longer offers its measure, counting it missing everywhere', async () => {
    h = await startSsbHarness();
    // 07984 replaced by a table of another shape (population, no employment measure).
    const rules = { ...h.rules, tables: { ...h.rules.tables, sysselsetting: ['07459'] } };
    const report = await runKommuneRefresh(deps(h, { rules }));
    expect(report.outcome).toBe('refreshed');
    expect(report.warnings).toEqual([
      expect.stringMatching(/^shape-changed: sysselsetting: table 07459: .+; the factor is left out$/),
    ]);
    expect(report.tables.find((t) => t.factor === 'sysselsetting')).toMatchObject({
      tableId: '07459',
      problem: expect.any(String),
      warning: 'shape-changed',
    });
    expect(report.missingByFactor).toMatchObject({ sysselsetting: 357 });
    expect(h.store.latestRanking()!.kommuner.every((k) => k.missing.includes('sysselsetting'))).toBe(true);
  });

  it('fetches population for dwellings per 1,000 even when population growth itself has no weight', async () => {
    h = await startSsbHarness();
    const rules = { ...h.rules, weights: { ...h.rules.weights, befolkningsvekst: 0 } };
    const report = await runKommuneRefresh(deps(h, { rules }));
    expect(report.outcome).toBe('refreshed');
    expect(report.tables.map((t) => t.tableId)).toContain('07459');
    expect(report.missingByFactor).not.toHaveProperty('befolkningsvekst');
    const ranking = h.store.latestRanking()!;
    expect(ranking.kommuner.filter((k) => k.factors.boligbygging.raw !== null).length).toBeGreaterThan(300);
  });

  it('keeps and publishes the previous ranking when the weekly run falls in SSB’s update', async () => {
    h = await startSsbHarness();
    const first = await runKommuneRefresh(deps(h));
    h.clock.set(Date.parse('2026-03-18T07:00:00Z')); // eight days on, 08:00 in Oslo
    const sent = h.double.requests.length;
    const published: number[] = [];
    const report = await runKommuneRefresh(
      deps(h, { publish: async (r) => void published.push(r.refresh.id) }),
    );
    expect(report).toMatchObject({
      outcome: 'quiet-hours',
      previousKept: true,
      published: true,
      lastRefreshAt: first.lastRefreshAt,
    });
    expect(h.double.requests).toHaveLength(sent);
    expect(published).toEqual([first.refreshId]);
  });

  it('falls back to the bundled kommune list and number mapping when KLASS is down', async () => {
    h = await startSsbHarness();
    h.double.setKlassAvailable(false);
    const report = await runKommuneRefresh(deps(h));
    expect(report).toMatchObject({ outcome: 'refreshed', kommuner: 357, kommuneSource: 'bundled' });
    expect(report.warnings.join('\n')).toMatch(/bundled 2024 file/);
  });

  it('publishes the ranking after a refresh and when fresh; a publishing failure is reported, not fatal', async () => {
    h = await startSsbHarness();
    const published: number[] = [];
    const publish = async (r: { kommuner: unknown[] }) => {
      published.push(r.kommuner.length);
    };
    expect((await runKommuneRefresh(deps(h, { publish }))).published).toBe(true);
    const failing = await runKommuneRefresh(
      deps(h, {
        publish: async () => {
          throw new Error('Airtable 503');
        },
      }),
    );
    expect(failing).toMatchObject({ outcome: 'fresh', published: false });
    expect(failing.warnings).toEqual(['publishing failed: Airtable 503']);
    expect(published).toEqual([357]);
  });
});
