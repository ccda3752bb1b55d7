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
function values(series: Record<string, number[]>) {
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
      { code: 'Tid', label: 'år', elimination: false, values: YEARS.map((y) => ({ code: y, label: y })) },
    ],
    cell: (c) => series[c.Region!]![YEARS.indexOf(c.Tid!)] ?? { value: null, status: '..' },
  };
  const spec = {
    measures: { population: { codes: ['Personer1'], labels: [] } },
    periods: (p: string[]) => p,
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
});
