import { describe, expect, it } from 'vitest';
import {
  memoryData,
  memoryMetadata,
  type MemoryTable,
} from '../../../../sync/src/sources/ssb/memory-table.js';
import { seriesGrowth, type SeriesContext } from '../../../../sync/src/scoring/kommune/series.js';
import { planTable } from '../../../../sync/src/scoring/kommune/table-plan.js';
import { readTableValues } from '../../../../sync/src/scoring/kommune/table-values.js';

const YEARS = ['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026'];

/** A population table of a few kommuner (plain 2024 codes), read as the ranking reads it. */
function values(series: Record<string, Array<number | null>>, years = YEARS, order = (p: string[]) => p) {
  const kommuner = Object.keys(series);
  const table: MemoryTable = {
    id: '07459',
    label: 'Befolkning',
    updated: '2026-02-25T07:00:00Z',
    variables: [
      {
        code: 'Region',
        label: 'region',
        elimination: true,
        values: kommuner.map((k) => ({ code: k, label: k })),
      },
      {
        code: 'ContentsCode',
        label: 'statistikkvariabel',
        elimination: false,
        values: [{ code: 'Personer1', label: 'Personer' }],
      },
      { code: 'Tid', label: 'år', elimination: false, values: years.map((y) => ({ code: y, label: y })) },
    ],
    cell: (c) => series[c.Region!]![years.indexOf(c.Tid!)] ?? { value: null, status: '..' },
  };
  const spec = {
    measures: { population: { codes: ['Personer1'], labels: [] } },
    periods: order,
    harmonise: 'sum' as const,
  };
  const plan = planTable('07459', spec, memoryMetadata(table), { kommuner });
  return readTableValues(plan, [memoryData(table, plan.query, new Map())], { kommuner });
}

const opts = { years: 5, fallback: 2, useOwnBoundary: true };
const ctx: SeriesContext = { maxYearlyChange: 0.25 };

describe('growth from a yearly series, checked year by year', () => {
  it('is the % change over the window from the latest year', () => {
    const g = seriesGrowth(
      values({ '0301': [90, 100, 101, 102, 103, 104, 105, 110] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(g).toMatchObject({
      ok: true,
      startYear: 2021,
      endYear: 2026,
      startValue: 101,
      endValue: 110,
      note: null,
    });
    expect(g.ok && g.growth).toBeCloseTo((110 / 101 - 1) * 100, 9);
  });

  it('flags a jump over 25 % in a year without a boundary change, keeping the latest figure', () => {
    const series = { '3450': [1300, 1300, 1280, 1260, 1239, 1366, 1254, 1593] }; // Etnedal
    const g = seriesGrowth(values(series), '3450', 'population', opts, ctx);
    expect(g).toMatchObject({ ok: false, endValue: 1593, end: '2026' });
    expect(!g.ok && g.missing).toMatch(/implausible change 27\.0 % 2025→2026 \(1254 → 1593\)/);
    expect(!g.ok && g.flag).toBe(
      '+27,0 % fra 2025 til 2026 (1 254 → 1 593) uten grenseendring: usikkert tall, faktoren er holdt utenfor',
    );
    // The same jump in a year the kommune's boundary changed is explained.
    const changed = {
      ...ctx,
      boundaries: { splitSince: new Map(), changeYears: new Map([['3450', new Set([2026])]]) },
    };
    expect(seriesGrowth(values(series), '3450', 'population', opts, changed).ok).toBe(true);
  });

  it('never grows from a zero, and never across a gap', () => {
    const zero = seriesGrowth(
      values({ '1580': [9383, 0, 0, 0, 0, 9357, 9409, 9460] }),
      '1580',
      'population',
      opts,
      ctx,
    );
    expect(zero).toMatchObject({ ok: false, missing: 'zero figure for 2021', endValue: 9460 });
    const gap = values({ '0301': [1, 1, 100, 101, null as unknown as number, 103, 104, 105] });
    expect(seriesGrowth(gap, '0301', 'population', opts, ctx)).toMatchObject({
      ok: false,
      missing: 'no figure for 2023 (not-available)',
    });
  });

  it('uses own-boundary figures before a split, else shortens the window to the split and scales it', () => {
    const agg = { '1580': [9383, 0, 0, 0, 0, 9357, 9409, 9460] }; // Haram as agg_KommSummer has it
    const boundaries = {
      splitSince: new Map([['1580', 2024]]),
      changeYears: new Map([['1580', new Set([2024])]]),
    };
    const own = new Map([
      [
        '1580',
        new Map([
          [2021, 9362],
          [2022, 9424],
          [2023, 9481],
        ]),
      ],
    ]);
    const withOwn = seriesGrowth(values(agg), '1580', 'population', opts, {
      ...ctx,
      boundaries,
      ownBoundary: own,
    });
    expect(withOwn).toMatchObject({ ok: true, startYear: 2021, startValue: 9362 });
    expect(withOwn.ok && withOwn.growth).toBeCloseTo((9460 / 9362 - 1) * 100, 9);
    expect(withOwn.ok && withOwn.note).toBe(
      'egne tall for dagens grenser 2021–2023 (kommunen ble delt 2024)',
    );

    const shortened = seriesGrowth(values(agg), '1580', 'population', opts, { ...ctx, boundaries });
    expect(shortened).toMatchObject({ ok: true, startYear: 2024, startValue: 9357 });
    expect(shortened.ok && shortened.growth).toBeCloseTo(((9460 / 9357) ** (5 / 2) - 1) * 100, 9);
    expect(shortened.ok && shortened.note).toMatch(/^kortere vindu 2024–2026: kommunen ble delt 2024/);
  });

  it('reads the periods in year order whatever order the plan lists them in, leaving the plan as it was', () => {
    const table = values({ '0301': [90, 100, 101, 102, 103, 104, 105, 110] }, YEARS, (p) =>
      p.slice().reverse(),
    );
    const g = seriesGrowth(table, '0301', 'population', opts, ctx);
    expect(g).toMatchObject({ ok: true, startYear: 2021, endYear: 2026, end: '2026' });
    expect(table.plan.periods).toEqual(YEARS.slice().reverse());
  });

  it('falls back to an earlier end year up to the fallback, no further', () => {
    const two = seriesGrowth(
      values({ '0301': [100, 100, 101, 102, 103, 104, null, null] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(two).toMatchObject({ ok: true, startYear: 2019, endYear: 2024, end: '2024', endValue: 104 });
    const three = seriesGrowth(
      values({ '0301': [100, 100, 101, 102, 103, null, null, null] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(three).toEqual({ ok: false, missing: 'not-available', flag: null, endValue: null, end: null });
  });

  it('reports a start year the table does not have as not in the extract', () => {
    const g = seriesGrowth(
      values({ '0301': [100, 101, 102] }, ['2024', '2025', '2026']),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(g).toMatchObject({
      ok: false,
      missing: 'no figure for 2021 (not-in-extract)',
      endValue: 102,
      end: '2026',
    });
  });

  it('never grows across a missing start year even without a split', () => {
    const g = seriesGrowth(
      values({ '0301': [100, 100, null, 102, 103, 104, 105, 106] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(g).toMatchObject({ ok: false, missing: 'no figure for 2021 (not-available)' });
  });

  it('flags a zero figure and a fall as well as a rise, and accepts exactly the maximum change', () => {
    const zero = seriesGrowth(values({ '1580': [1, 1, 5, 0, 5, 5, 5, 5] }), '1580', 'population', opts, ctx);
    expect(!zero.ok && zero.flag).toBe('tallet for 2022 er 0: trolig ikke på dagens grenser');
    const fall = seriesGrowth(
      values({ '0301': [1, 1, 1000, 1000, 1000, 1000, 1000, 700] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(!fall.ok && fall.flag).toBe(
      '−30,0 % fra 2025 til 2026 (1 000 → 700) uten grenseendring: usikkert tall, faktoren er holdt utenfor',
    );
    const edge = seriesGrowth(
      values({ '0301': [1, 1, 100, 100, 100, 100, 100, 125] }),
      '0301',
      'population',
      opts,
      ctx,
    );
    expect(edge).toMatchObject({ ok: true, endValue: 125 });
  });

  it('after a split: no growth from less than a year, a one-year window scaled, notes in full', () => {
    const series = { '1580': [9000, 9000, 9000, 9000, 9000, 9000, 9100, 9200] };
    const split = (year: number) => ({
      ...ctx,
      boundaries: {
        splitSince: new Map([['1580', year]]),
        changeYears: new Map([['1580', new Set([year])]]),
      },
    });
    // Figures before the split are missing in the extract, as agg_KommSummer has them for a split kommune.
    const agg = { '1580': [null, null, null, null, null, null, 9100, 9200] };
    expect(seriesGrowth(values(agg), '1580', 'population', opts, split(2026))).toEqual({
      ok: false,
      missing: 'only 0 years since the split in 2026',
      flag: null,
      endValue: 9200,
      end: '2026',
    });
    const oneYear = seriesGrowth(values(agg), '1580', 'population', opts, split(2025));
    expect(oneYear).toMatchObject({ ok: true, startYear: 2025, endYear: 2026 });
    expect(oneYear.ok && oneYear.growth).toBeCloseTo(((9200 / 9100) ** 5 - 1) * 100, 9);
    expect(oneYear.ok && oneYear.note).toBe(
      'kortere vindu 2025–2026: kommunen ble delt 2025, eldre tall gjelder ikke dagens grenser; veksten er regnet om til 5 år',
    );
    // A split after the latest year: every figure is before it.
    expect(seriesGrowth(values(series), '1580', 'population', opts, split(2027))).toMatchObject({
      ok: false,
      missing: 'before the split',
    });
  });

  it('names a single own-boundary year, and a gap in own figures before the split', () => {
    const agg = { '1580': [null, null, null, null, null, 9357, 9409, 9460] };
    const ctxWith = (own: Map<number, number>) => ({
      ...ctx,
      boundaries: {
        splitSince: new Map([['1580', 2024]]),
        changeYears: new Map([['1580', new Set([2024])]]),
      },
      ownBoundary: new Map([['1580', own]]),
    });
    const single = seriesGrowth(
      values(agg),
      '1580',
      'population',
      { ...opts, years: 3 },
      ctxWith(new Map([[2023, 9300]])),
    );
    expect(single.ok && single.note).toBe('egne tall for dagens grenser 2023 (kommunen ble delt 2024)');
    const gap = seriesGrowth(
      values(agg),
      '1580',
      'population',
      opts,
      ctxWith(
        new Map([
          [2021, 9300],
          [2023, 9300],
        ]),
      ),
    );
    expect(gap).toMatchObject({ ok: false, missing: 'no figure for 2022 (before the split)' });
  });
});
