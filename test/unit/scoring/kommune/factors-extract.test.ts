import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import { readJsonStat } from '../../../../sync/src/sources/ssb/jsonstat.js';
import { readSsbMetadata } from '../../../../sync/src/sources/ssb/metadata.js';
import {
  factorDefinition,
  tableFactor,
  type DerivedFactorDefinition,
} from '../../../../sync/src/scoring/kommune/factors.js';
import { planTable } from '../../../../sync/src/scoring/kommune/table-plan.js';
import { readTableValues } from '../../../../sync/src/scoring/kommune/table-values.js';
import type { FactorRaw, KommuneFactorKey } from '../../../../sync/src/scoring/kommune/types.js';
import { jsonStat, type Var } from './json-stat.js';

const years = (...ys: string[]) => ys.map((y) => [y, y] as [string, string]);

/** Plans the factor's table on `vars` and reads `value` (with SSB status symbols) as the ranking does. */
function tableValues(
  key: KommuneFactorKey,
  tableId: string,
  vars: Var[],
  value: Array<number | null>,
  status: Record<string, string> = {},
  rulesInput: Record<string, unknown> = {},
) {
  const rules = kommuneRulesSchema.parse(rulesInput);
  const kommuner = vars[0]!.values.map(([c]) => c);
  const plan = planTable(tableId, tableFactor(key).table(rules), readSsbMetadata(jsonStat(vars), tableId), {
    kommuner,
    changes: [],
  });
  const values = readTableValues(plan, [readJsonStat(jsonStat(vars, value, status))], {
    kommuner,
    changes: [],
  });
  return { rules, kommuner, plan, values };
}

describe('dwellings per 1,000 inhabitants (completions and starts)', () => {
  it('averages the known years of completions and divides by the population, marking suppressed years', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
          ['5056', 'Hitra'],
          ['4601', 'Bergen'],
        ],
      },
      { code: 'ContentsCode', values: [['Fullforte', 'Fullførte boliger']] },
      { code: 'Tid', values: years('2022', '2023', '2024') },
    ];
    // Region × Tid; Utsira all "..", Hitra ":" in 2023; Bergen has no population figure.
    const { rules, kommuner, plan, values } = tableValues(
      'boligbygging',
      '05940',
      vars,
      [...[180, 240, 90], ...[null, null, null], ...[30, null, 12], ...[2_100, 2_400, 1_800]],
      { '3': '..', '4': '..', '5': '..', '7': ':' },
    );
    expect(plan.measures).toEqual({ completed: 'Fullforte' });
    expect(plan.periods.slice().sort()).toEqual(['2022', '2023', '2024']);
    const population = new Map([
      ['3218', { value: 20_400, year: '2024' }],
      ['1151', { value: 219, year: '2024' }],
      ['5056', { value: 5_568, year: '2024' }],
      ['4601', { value: 0, year: '2024' }],
    ]);
    const raws = tableFactor('boligbygging').extract(values, { kommuner, rules, population });
    const asAverage = (180 + 240 + 90) / 3;
    expect(raws.get('3218')).toEqual({
      value: (asAverage / 20_400) * 1000,
      year: '2024',
      components: { value: (asAverage / 20_400) * 1000 },
      detail: { fullforteSnitt: asAverage, ar: 3 },
    });
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'not-available' });
    // Hitra: 2023 confidential, the average of the other two years
    expect(raws.get('5056')!.value).toBeCloseTo(((30 + 12) / 2 / 5_568) * 1000);
    expect(raws.get('5056')!.detail).toEqual({ fullforteSnitt: 21, ar: 2 });
    expect(raws.get('4601')).toMatchObject({ value: null, missing: 'population unavailable' });
  });

  it('starts: a kommune without a population figure, or all years confidential, is missing with SSB’s reason', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
          ['0301', 'Oslo'],
        ],
      },
      { code: 'ContentsCode', values: [['Igangsatte', 'Igangsatte boliger']] },
      { code: 'Tid', values: years('2022', '2023', '2024') },
    ];
    const { rules, kommuner, plan, values } = tableValues(
      'byggevilje',
      '05940',
      vars,
      [...[150, 120, 60], ...[null, null, null], ...[3_500, 2_900, 2_600]],
      { '3': ':', '4': ':', '5': ':' },
    );
    expect(plan.measures).toEqual({ started: 'Igangsatte' });
    const population = new Map([
      ['3218', { value: 20_400, year: '2024' }],
      ['1151', { value: 219, year: '2024' }],
    ]);
    const raws = tableFactor('byggevilje').extract(values, { kommuner, rules, population });
    expect(raws.get('3218')!.value).toBeCloseTo((110 / 20_400) * 1000);
    expect(raws.get('3218')!.detail).toEqual({ igangsatteSnitt: 110, ar: 3 });
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'confidential' });
    expect(raws.get('0301')).toMatchObject({ value: null, missing: 'population unavailable' });
    // without any population map at all
    const none = tableFactor('byggevilje').extract(values, { kommuner, rules });
    expect(none.get('3218')).toMatchObject({ value: null, missing: 'population unavailable' });
  });
});

describe('projected population change', () => {
  it('compares the projection year with the first year, SSB’s reason where a year is missing', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
          ['5056', 'Hitra'],
          ['4601', 'Bergen'],
        ],
      },
      { code: 'ContentsCode', values: [['Personer', 'Personer']] },
      { code: 'Tid', values: years('2026', '2040', '2050') },
    ];
    // Region × Tid; Utsira's 2026 ":", Hitra's 2040 ":", Bergen's base 0
    const { rules, kommuner, plan, values } = tableValues(
      'framskrevetVekst',
      '14288',
      vars,
      [...[20_400, 24_480, 25_000], ...[null, 230, 240], ...[5_568, null, 5_900], ...[0, 300_000, 310_000]],
      { '3': ':', '7': ':' },
    );
    expect(plan.periods).toEqual(['2026', '2040', '2050']);
    const raws = tableFactor('framskrevetVekst').extract(values, { kommuner, rules });
    expect(raws.get('3218')).toEqual({
      value: (24_480 / 20_400 - 1) * 100,
      year: '2040',
      components: { value: (24_480 / 20_400 - 1) * 100 },
      detail: { fraAr: '2026', framskrevet: 24_480, framskrevetTilvekst: 4_080 },
    });
    expect(raws.get('3218')!.value).toBeCloseTo(20);
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'confidential' });
    expect(raws.get('5056')).toMatchObject({ value: null, missing: 'confidential' });
    expect(raws.get('4601')).toMatchObject({ value: null, missing: 'not-available' });
  });

  it('uses the last year when the projection year is not in the table', () => {
    const vars: Var[] = [
      { code: 'Region', values: [['3218', 'Ås']] },
      { code: 'ContentsCode', values: [['Personer', 'Personer']] },
      { code: 'Tid', values: years('2026', '2035', '2045') },
    ];
    const { rules, kommuner, values } = tableValues(
      'framskrevetVekst',
      '14288',
      vars,
      [20_000, 22_000, 23_000],
    );
    const raws = tableFactor('framskrevetVekst').extract(values, { kommuner, rules });
    expect(raws.get('3218')).toMatchObject({ year: '2045' });
    expect(raws.get('3218')!.value).toBeCloseTo(15);
  });
});

describe('median household income', () => {
  it('takes the latest year with a figure within the fallback, SSB’s reason otherwise', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
          ['5056', 'Hitra'],
        ],
      },
      { code: 'HusholdType', values: [['0000', 'Alle husholdninger']] },
      { code: 'ContentsCode', values: [['InntSkatt', 'Inntekt etter skatt, median (kr)']] },
      { code: 'Tid', values: years('2020', '2021', '2022', '2023') },
    ];
    // Region × Tid; Utsira: only 2020 (outside the 2-year fallback), later ":"; Hitra: 2023 ".."
    const { rules, kommuner, plan, values } = tableValues(
      'inntekt',
      '06944',
      vars,
      [
        ...[640_000, 660_000, 690_000, 720_000],
        ...[500_000, null, null, null],
        ...[560_000, 580_000, 600_000, null],
      ],
      { '5': ':', '6': ':', '7': ':', '11': '..' },
    );
    expect(plan.measures).toEqual({ income: 'InntSkatt' });
    expect(plan.periods.slice().sort()).toEqual(['2021', '2022', '2023']);
    const raws = tableFactor('inntekt').extract(values, { kommuner, rules });
    expect(raws.get('3218')).toEqual({ value: 720_000, year: '2023', components: { value: 720_000 } });
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'confidential' });
    expect(raws.get('5056')).toMatchObject({ value: 600_000, year: '2022' });
  });
});

describe('median household income, fallback window', () => {
  it('accepts a figure exactly the fallback years old, not one older where the table skips a year', () => {
    const vars = (ys: string[]): Var[] => [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
        ],
      },
      { code: 'HusholdType', values: [['0000', 'Alle husholdninger']] },
      { code: 'ContentsCode', values: [['InntSkatt', 'Inntekt etter skatt, median (kr)']] },
      { code: 'Tid', values: years(...ys) },
    ];
    // Utsira published only the oldest year; the later ones are confidential.
    const exact = tableValues(
      'inntekt',
      '06944',
      vars(['2021', '2022', '2023']),
      [...[660_000, 690_000, 720_000], ...[500_000, null, null]],
      { '4': ':', '5': ':' },
    );
    const twoYears = tableFactor('inntekt').extract(exact.values, exact);
    expect(twoYears.get('1151')).toMatchObject({ value: 500_000, year: '2021' });

    // 2021 not published: 2020 is three years before 2023, beyond the 2-year fallback.
    const gap = tableValues(
      'inntekt',
      '06944',
      vars(['2020', '2022', '2023']),
      [...[640_000, 690_000, 720_000], ...[500_000, null, null]],
      { '4': ':', '5': ':' },
    );
    expect(gap.plan.periods.slice().sort()).toEqual(['2020', '2022', '2023']);
    const threeYears = tableFactor('inntekt').extract(gap.values, gap);
    expect(threeYears.get('1151')).toMatchObject({ value: null, missing: 'confidential' });
    expect(threeYears.get('3218')).toMatchObject({ value: 720_000, year: '2023' });
  });
});

describe('house price level and change without dwelling types', () => {
  it('falls back up to two years for the level and shortens the change span where the start is missing or zero', () => {
    const ys = ['2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025'];
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
          ['5056', 'Hitra'],
          ['1144', 'Kvitsøy'],
          ['1145', 'Bokn'],
          ['1160', 'Vindafjord'],
        ],
      },
      {
        code: 'ContentsCode',
        values: [
          ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
          ['Omsetninger', 'Omsetninger (antall)'],
        ],
      },
      { code: 'Tid', values: years(...ys) },
    ];
    const c = null;
    // Region × ContentsCode × Tid: eight prices, then eight sales counts per kommune.
    const value = [
      ...[36_000, 38_000, 40_000, 44_000, 47_000, 50_000, 52_000, 54_000],
      ...[210, 230, 250, 260, 240, 220, 230, 245],
      // Utsira: a price only in 2023, two years before the latest
      ...[c, c, c, c, c, 25_000, c, c],
      ...[1, 0, 2, 1, 0, 3, 1, 2],
      // Hitra: 2020 price confidential, so the change runs from 2021 and is scaled to 5 years
      ...[c, c, c, 30_000, 31_000, 33_000, 34_000, 36_000],
      ...[40, 45, 2, 50, 48, 47, 52, 55],
      // Kvitsøy: no sales in 2020 gives a zero price
      ...[c, c, 0, 30_000, c, c, c, 33_000],
      ...[1, 0, 0, 2, 0, 0, 0, 3],
      // Bokn: the change can run over three years at the shortest
      ...[c, c, c, c, 28_000, c, c, 32_000],
      ...[0, 0, 0, 0, 2, 0, 0, 2],
      // Vindafjord: two years is too short for a change; the 2025 sales count is confidential
      ...[c, c, c, c, c, 29_000, c, 33_000],
      ...[0, 0, 0, 0, 0, 4, 0, c],
    ];
    const status: Record<string, string> = {};
    value.forEach((v, i) => {
      if (v === null) status[String(i)] = ':';
    });
    const { rules, kommuner, values } = tableValues('boligpris', '06035', vars, value, status);
    const raws = tableFactor('boligpris').extract(values, { kommuner, rules });
    expect(raws.get('3218')).toEqual({
      value: 54_000,
      year: '2025',
      components: { level: 54_000, change: (54_000 / 40_000 - 1) * 100 },
      detail: { endring5ar: (54_000 / 40_000 - 1) * 100, endringFraAr: '2020', omsetninger: 245 },
    });
    expect(raws.get('1151')).toEqual({
      value: 25_000,
      year: '2023',
      components: { level: 25_000, change: null },
      detail: { endring5ar: null, endringFraAr: null, omsetninger: 3 },
    });
    const hitra = ((36_000 / 30_000) ** (5 / 4) - 1) * 100;
    expect(raws.get('5056')!.components.change).toBeCloseTo(hitra);
    expect(raws.get('5056')!.detail).toMatchObject({ endringFraAr: '2021', omsetninger: 55 });
    expect(raws.get('1144')!.detail).toMatchObject({ endringFraAr: '2021' });
    expect(raws.get('1144')!.components.change).toBeCloseTo(((33_000 / 30_000) ** (5 / 4) - 1) * 100);
    expect(raws.get('1145')!.components.change).toBeCloseTo(((32_000 / 28_000) ** (5 / 3) - 1) * 100);
    expect(raws.get('1145')!.detail).toMatchObject({ endringFraAr: '2022' });
    expect(raws.get('1160')).toMatchObject({
      value: 33_000,
      components: { change: null },
      detail: { endring5ar: null, endringFraAr: null, omsetninger: null },
    });
  });
});

describe('party stance of the kommunestyre', () => {
  it('weighs the configured stances by votes and names the largest party', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
        ],
      },
      {
        code: 'PolitParti',
        values: [
          ['01', 'Arbeiderpartiet'],
          ['02', 'Høyre'],
          ['03', 'Miljøpartiet De Grønne'],
        ],
      },
      { code: 'ContentsCode', values: [['Godkjente1', 'Godkjente stemmesedler']] },
      { code: 'Tid', values: years('2019', '2023') },
    ];
    // Region × parti × Tid; Utsira has no approved votes ("..")
    const { rules, kommuner, plan, values } = tableValues(
      'partistandpunkt',
      '01182',
      vars,
      [...[2_000, 3_000], ...[1_500, 4_000], ...[900, 1_000], ...Array<null>(6).fill(null)],
      { '6': '..', '7': '..', '8': '..', '9': '..', '10': '..', '11': '..' },
      { partyStances: { '01': 0.5, '02': 1, '03': -1 } },
    );
    expect(plan.measures).toEqual({ votes: 'Godkjente1' });
    expect(plan.periods).toEqual(['2023']);
    const raws = tableFactor('partistandpunkt').extract(values, { kommuner, rules });
    const total = 3_000 + 4_000 + 1_000;
    const stance = (0.5 * 3_000 + 4_000 - 1_000) / total;
    expect(raws.get('3218')).toEqual({
      value: stance,
      year: '2023',
      components: { value: stance },
      detail: { storstePartiKode: '02', storstePartiAndel: 4_000 / total, dekketAndel: 1 },
    });
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'no votes recorded' });

    const unset = tableFactor('partistandpunkt').extract(values, {
      kommuner,
      rules: kommuneRulesSchema.parse({}),
    });
    expect(unset.get('3218')).toMatchObject({ value: null, missing: 'no party stances configured' });
  });
});

describe('factor lookup', () => {
  it('refuses to read the derived market size from a table, naming the factor', () => {
    expect(() => tableFactor('markedsstorrelse')).toThrow(
      /factor markedsstorrelse is derived from other factors/,
    );
    expect(tableFactor('inntekt').key).toBe('inntekt');
  });
});

describe('market size from other factors', () => {
  it('takes the year from population growth without a projection, and ignores persons added by a flagged growth', () => {
    const market = factorDefinition('markedsstorrelse') as DerivedFactorDefinition;
    const raws = market.derive(
      {
        befolkningsvekst: new Map<string, FactorRaw>([
          [
            '3218',
            {
              value: 6.2,
              year: '2026',
              components: {},
              detail: { folketall: 20_400, tilvekst: 1_190 },
            },
          ],
          [
            '5056',
            {
              value: null,
              year: null,
              components: {},
              missing: 'implausible',
              detail: { folketall: 5_568, tilvekst: 900, flagg: 'jump' },
            },
          ],
        ]),
        boligpris: new Map<string, FactorRaw>([
          ['5056', { value: 36_000, year: '2025', components: {}, detail: { omsetninger: Number.NaN } }],
          ['1151', { value: 25_000, year: '2025', components: {}, detail: { omsetninger: 3 } }],
        ]),
      },
      { kommuner: ['3218', '5056', '1151'], rules: kommuneRulesSchema.parse({}) },
    );
    expect(raws.get('3218')).toMatchObject({
      value: 1_190,
      year: '2026',
      detail: { framskrevetTilvekst: null, tilvekst5ar: 1_190, omsetningerPerAr: null, fullfortePerAr: null },
    });
    expect(raws.get('5056')).toMatchObject({
      value: null,
      missing: 'no market figure (projection, population, sales)',
    });
    // Sales only: no growth figure for the year.
    expect(raws.get('1151')).toMatchObject({ value: null, year: null, components: { sales: 3 } });
  });
});

describe('house price by dwelling type without sales counts', () => {
  it('gives no price where every type has a price but SSB suppresses all sales counts', () => {
    const vars: Var[] = [
      { code: 'Region', values: [['1151', 'Utsira']] },
      {
        code: 'Boligtype',
        values: [
          ['01', 'Eneboliger'],
          ['03', 'Blokkleiligheter'],
        ],
      },
      {
        code: 'ContentsCode',
        values: [
          ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
          ['Omsetninger', 'Omsetninger (antall)'],
        ],
      },
      { code: 'Tid', values: years('2024', '2025') },
    ];
    // Region × Boligtype × ContentsCode × Tid: prices published, counts ":"
    const { rules, kommuner, values } = tableValues(
      'boligpris',
      '06035',
      vars,
      [...[24_000, 25_000], ...[null, null], ...[30_000, 31_000], ...[null, null]],
      { '2': ':', '3': ':', '6': ':', '7': ':' },
    );
    const raws = tableFactor('boligpris').extract(values, { kommuner, rules });
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'not-available' });
  });
});

describe('market size without some of its input factors', () => {
  const market = () => factorDefinition('markedsstorrelse') as DerivedFactorDefinition;
  const ctx = { kommuner: ['1151'], rules: kommuneRulesSchema.parse({}) };

  it('counts sales alone when neither population factor was computed', () => {
    const raws = market().derive(
      {
        boligpris: new Map<string, FactorRaw>([
          ['1151', { value: 25_000, year: '2025', components: {}, detail: { omsetninger: 3 } }],
        ]),
      },
      ctx,
    );
    expect(raws.get('1151')).toMatchObject({
      value: null,
      year: null,
      components: { projected: null, added: null, sales: 3, completed: null },
    });
  });

  it('takes the year from population growth for a kommune the projection does not list', () => {
    const raws = market().derive(
      {
        framskrevetVekst: new Map<string, FactorRaw>([
          ['3218', { value: 20, year: '2040', components: {}, detail: { framskrevetTilvekst: 4_080 } }],
        ]),
        befolkningsvekst: new Map<string, FactorRaw>([
          ['1151', { value: 3.3, year: '2026', components: {}, detail: { folketall: 219, tilvekst: 7 } }],
        ]),
      },
      ctx,
    );
    expect(raws.get('1151')).toMatchObject({ value: 7, year: '2026' });
  });
});

describe('party stance from a votes table without parties', () => {
  it('records no votes where the table gives only the approved votes in total', () => {
    const vars: Var[] = [
      { code: 'Region', values: [['3218', 'Ås']] },
      { code: 'ContentsCode', values: [['Godkjente1', 'Godkjente stemmesedler']] },
      { code: 'Tid', values: years('2023') },
    ];
    const { rules, kommuner, values } = tableValues(
      'partistandpunkt',
      '01182',
      vars,
      [8_000],
      {},
      {
        partyStances: { '01': 0.5, '02': 1 },
      },
    );
    const raws = tableFactor('partistandpunkt').extract(values, { kommuner, rules });
    expect(raws.get('3218')).toMatchObject({ value: null, missing: 'no votes recorded' });
  });
});
