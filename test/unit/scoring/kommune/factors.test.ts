import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import { readJsonStat } from '../../../../sync/src/sources/ssb/jsonstat.js';
import { readSsbMetadata } from '../../../../sync/src/sources/ssb/metadata.js';
import {
  factorDefinition,
  tableFactor,
  type DerivedFactorDefinition,
} from '../../../../sync/src/scoring/kommune/factors.js';
import {
  kommSummerGroups,
  planTable,
  TablePlanError,
} from '../../../../sync/src/scoring/kommune/table-plan.js';
import { readTableValues } from '../../../../sync/src/scoring/kommune/table-values.js';
import type { FactorRaw } from '../../../../sync/src/scoring/kommune/types.js';
import { jsonStat, type Var } from './json-stat.js';

const rules = kommuneRulesSchema.parse({});

describe('table plans read from metadata', () => {
  const meta = readSsbMetadata(
    jsonStat([
      {
        code: 'Region',
        values: [
          ['0', 'Hele landet'],
          ['0301', 'Oslo'],
          ['3207', 'Nordre Follo'],
          ['0213', 'Ski (-2019)'],
          ['0217', 'Oppegård (-2019)'],
        ],
        elimination: true,
        codelists: [
          { id: 'agg_KommSummer', label: 'Kommuner 2024, sammenslåtte tidsserier' },
          { id: 'vs_Kommun', label: 'Kommuner' },
        ],
      },
      {
        code: 'Kjonn',
        values: [
          ['1', 'Menn'],
          ['2', 'Kvinner'],
        ],
        elimination: true,
      },
      {
        code: 'HusholdType',
        values: [
          ['0001', 'Aleneboende'],
          ['0000', 'Alle husholdninger'],
        ],
      },
      { code: 'ContentsCode', values: [['Personer1', 'Personer']] },
      {
        code: 'Tid',
        values: ['2015', '2016', '2020', '2021', '2024', '2025', '2026'].map(
          (y) => [y, y] as [string, string],
        ),
      },
    ]),
    '07459',
  );
  // Read inside each test: StrykerJS counts what runs while tests are collected as covered by none.
  const spec = () => tableFactor('befolkningsvekst').table(rules);

  it('uses agg_KommSummer with K- codes and outputValues=aggregated, leaves eliminable variables out, fixes totals', () => {
    const plan = planTable('07459', spec(), meta, {
      kommuner: ['0301', '3207'],
      kommSummerCodes: [{ code: 'K-0301' }, { code: 'K-3207' }, { code: 'K-9999' }],
    });
    expect(plan.regionMode).toBe('kommsummer');
    expect(plan.query.selection).toEqual([
      {
        variableCode: 'Region',
        codelist: 'agg_KommSummer',
        valueCodes: ['K-0301', 'K-3207'],
        outputValues: 'aggregated',
      },
      { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
      { variableCode: 'Tid', valueCodes: plan.periods },
      { variableCode: 'HusholdType', valueCodes: ['0000'] },
    ]);
    // every year of the last 8 (2 fallback + 5 + 1) the table has: growth checks each year
    expect(plan.periods.sort()).toEqual(['2015', '2016', '2020', '2021', '2024', '2025', '2026']);
    expect(plan.fixed).toEqual({ HusholdType: '0000' });
  });

  it('without the codelist, selects today’s codes and the old codes that lead to them', () => {
    const plan = planTable('07459', spec(), meta, {
      kommuner: ['0301', '3207'],
      changes: [
        { oldCode: '0213', newCode: '3207', changeOccurred: '2020-01-01' },
        { oldCode: '0217', newCode: '3207', changeOccurred: '2020-01-01' },
      ],
    });
    expect(plan.regionMode).toBe('harmonise');
    expect(plan.query.selection[0]).toEqual({
      variableCode: 'Region',
      valueCodes: ['0301', '3207', '0213', '0217'],
    });
  });

  it('stops with a TablePlanError when the table no longer offers the measure', () => {
    expect(() =>
      planTable('07459', tableFactor('inntekt').table(rules), meta, { kommuner: ['0301'] }),
    ).toThrow(TablePlanError);
  });
});

describe('table shapes discovered from the metadata', () => {
  it('reads agg_KommSummerS with "K." codes as agg_KommSummer, kommune by valueMap or prefix', () => {
    const kommuner = new Set(['0301', '3207', '1508']);
    expect(
      kommSummerGroups(
        [
          { code: 'K.0301', valueMap: ['0301'] },
          { code: 'K.3207', valueMap: ['0213', '0217', '3020', '3207'] },
          { code: 'K-1508' },
          { code: 'K.31', valueMap: ['3101', '3103'] }, // a county: not a kommune
          { code: 'K.9999' },
        ],
        kommuner,
      ),
    ).toEqual({ 'K.0301': '0301', 'K.3207': '3207', 'K-1508': '1508' });

    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['0301', 'Oslo'],
          ['3207', 'Nordre Follo'],
        ],
        elimination: true,
        codelists: [{ id: 'agg_KommSummerS', label: 'Kommuner 2024, sammenslåtte tidsserier' }],
      },
      {
        code: 'NACE2007',
        values: [
          ['00-99', 'Alle næringer'],
          ['10-33', 'Industri'],
        ],
      },
      { code: 'Alder', values: [['15-74', '15-74 år']] },
      { code: 'ContentsCode', values: [['SysselBosted', 'Sysselsatte personer etter bosted']] },
      {
        code: 'Tid',
        values: ['2019', '2020', '2021', '2022', '2023', '2024'].map((y) => [y, y] as [string, string]),
      },
    ];
    const meta = readSsbMetadata(jsonStat(vars), '08536');
    const plan = planTable('08536', tableFactor('sysselsetting').table(rules), meta, {
      kommuner: ['0301', '3207'],
      kommSummerCodes: [{ code: 'K.0301' }, { code: 'K.3207' }],
    });
    expect(plan.query.selection[0]).toMatchObject({
      codelist: 'agg_KommSummerS',
      valueCodes: ['K.0301', 'K.3207'],
    });
    expect(plan.measures).toEqual({ employed: 'SysselBosted' });
    expect(plan.fixed).toEqual({ NACE2007: '00-99', Alder: '15-74' });
    // Data come back on the group codes and are read onto the kommuner.
    const dataVars: Var[] = [
      {
        ...vars[0]!,
        values: [
          ['K.0301', 'Oslo'],
          ['K.3207', 'Nordre Follo'],
        ],
      },
      { code: 'NACE2007', values: [['00-99', 'Alle næringer']] },
      { code: 'Alder', values: [['15-74', '15-74 år']] },
      vars[3]!,
      { code: 'Tid', values: [['2024', '2024']] },
    ];
    const values = readTableValues(plan, [readJsonStat(jsonStat(dataVars, [380_000, 33_000]))], {
      kommuner: ['0301', '3207'],
    });
    expect(values.get('3207', { measure: 'employed', period: '2024' }).value).toBe(33_000);
  });

  it('finds the projection’s main alternative by label in its own variable, ContentsCode "Personer"', () => {
    const vars: Var[] = [
      { code: 'Region', values: [['0301', 'Oslo']] },
      {
        code: 'ProgAlt',
        values: [
          ['LLML', 'Lav nasjonal vekst (LLML)'],
          ['MMMM', 'Hovedalternativet (MMMM)'],
        ],
      },
      { code: 'ContentsCode', values: [['Personer', 'Personer']] },
      { code: 'Tid', values: ['2026', '2040', '2050'].map((y) => [y, y] as [string, string]) },
    ];
    const plan = planTable(
      '14746',
      tableFactor('framskrevetVekst').table(rules),
      readSsbMetadata(jsonStat(vars), '14746'),
      {
        kommuner: ['0301'],
        changes: [],
      },
    );
    expect(plan.measures).toEqual({ projection: 'Personer' });
    expect(plan.fixed).toEqual({ ProgAlt: 'MMMM' });
    expect(plan.periods).toEqual(['2026', '2040', '2050']);
  });

  it('fails the factor with a TablePlanError when the codelist names none of today’s kommuner', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [['0301', 'Oslo']],
        codelists: [{ id: 'agg_KommSummer', label: 'Kommuner 2024, sammenslåtte tidsserier' }],
      },
      { code: 'ContentsCode', values: [['Personer1', 'Personer']] },
      { code: 'Tid', values: [['2026', '2026']] },
    ];
    expect(() =>
      planTable(
        '07459',
        tableFactor('befolkningsvekst').table(rules),
        readSsbMetadata(jsonStat(vars), '07459'),
        {
          kommuner: ['0301'],
          kommSummerCodes: [{ code: 'F-03' }],
        },
      ),
    ).toThrow(/codelist agg_KommSummer names none of today's kommuner/);
  });
});

describe('factor figures from small tables', () => {
  it('growth over 5 years, checked each year, falling back a year where the latest is missing, and a zero as missing', () => {
    const years = ['2020', '2021', '2022', '2023', '2024', '2025', '2026'];
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['0301', 'Oslo'],
          ['5056', 'Hitra'],
          ['1151', 'Utsira'],
        ],
      },
      { code: 'ContentsCode', values: [['Personer1', 'Personer']] },
      { code: 'Tid', values: years.map((y) => [y, y] as [string, string]) },
    ];
    const meta = readSsbMetadata(jsonStat(vars), '07459');
    const plan = planTable('07459', tableFactor('befolkningsvekst').table(rules), meta, {
      kommuner: ['0301', '5056', '1151'],
      changes: [],
    });
    // order Region × Tid (SSB 07459): Oslo 2020–2026; Hitra with a 0 in 2022; Utsira with 2026 "..".
    const oslo = [693_494, 697_010, 699_827, 709_037, 717_710, 724_290, 728_714];
    const hitra = [5_050, 5_140, 0, 5_281, 5_323, 5_414, 5_568];
    const utsira = [198, 192, 188, 208, 215, 217, null];
    const data = readJsonStat(jsonStat(vars, [...oslo, ...hitra, ...utsira], { '20': '..' }));
    const values = readTableValues(plan, [data], { kommuner: ['0301', '5056', '1151'], changes: [] });
    const raws = tableFactor('befolkningsvekst').extract(values, {
      kommuner: ['0301', '5056', '1151'],
      rules,
    });
    expect(raws.get('0301')!.value).toBeCloseTo((728_714 / 697_010 - 1) * 100);
    expect(raws.get('0301')!.year).toBe('2026');
    expect(raws.get('0301')!.detail).toEqual({
      folketall: 728_714,
      tilvekst: 728_714 - 697_010,
      fraAr: '2021',
    });
    // Hitra: a 0 inside the window is never a figure; the population is still known.
    expect(raws.get('5056')).toMatchObject({ value: null, missing: 'zero figure for 2022' });
    expect(raws.get('5056')!.detail).toMatchObject({ folketall: 5_568 });
    // Utsira: 2026 is "..", so 2025 against 2020
    expect(raws.get('1151')).toMatchObject({ year: '2025' });
    expect(raws.get('1151')!.value).toBeCloseTo((217 / 198 - 1) * 100);
  });

  it('house price: the sales-weighted mean over dwelling types when the table has no "all" category', () => {
    const vars: Var[] = [
      {
        code: 'Region',
        values: [
          ['3218', 'Ås'],
          ['1151', 'Utsira'],
        ],
      },
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
      {
        code: 'Tid',
        values: [
          ['2020', '2020'],
          ['2025', '2025'],
        ],
      },
    ];
    const meta = readSsbMetadata(jsonStat(vars), '06035');
    const plan = planTable('06035', tableFactor('boligpris').table(rules), meta, {
      kommuner: ['3218', '1151'],
      changes: [],
    });
    expect(plan.spread).toEqual({ Boligtype: ['01', '03'] });
    // order Region × Boligtype × ContentsCode × Tid
    const data = readJsonStat(
      jsonStat(
        vars,
        [
          // Ås eneboliger: price 2020, 2025; sales 2020, 2025
          40_000,
          50_000,
          100,
          120,
          // Ås blokk
          50_000,
          60_000,
          50,
          80,
          // Utsira eneboliger: confidential prices
          null,
          null,
          2,
          1,
          // Utsira blokk: none sold
          null,
          null,
          0,
          0,
        ],
        { '8': ':', '9': ':', '12': '..', '13': '..' },
      ),
    );
    const values = readTableValues(plan, [data], { kommuner: ['3218', '1151'], changes: [] });
    const raws = tableFactor('boligpris').extract(values, { kommuner: ['3218', '1151'], rules });
    const level2025 = (50_000 * 120 + 60_000 * 80) / 200; // 54 000
    const level2020 = (40_000 * 100 + 50_000 * 50) / 150; // 43 333
    expect(raws.get('3218')!.value).toBeCloseTo(level2025);
    expect(raws.get('3218')!.components.change).toBeCloseTo((level2025 / level2020 - 1) * 100);
    expect(raws.get('1151')).toMatchObject({ value: null, missing: 'confidential' });
  });

  it('market size: projected persons, persons added, sales and completions, each ranked', () => {
    const market = factorDefinition('markedsstorrelse') as DerivedFactorDefinition;
    const detail = (d: Record<string, number>): FactorRaw => ({
      value: 1,
      year: '2026',
      components: {},
      detail: d,
    });
    const raws = market.derive(
      {
        framskrevetVekst: new Map([
          ['0301', { ...detail({ framskrevetTilvekst: 76_514 }), year: '2040' }],
          ['1151', detail({ framskrevetTilvekst: 71 })],
        ]),
        befolkningsvekst: new Map<string, FactorRaw>([
          ['0301', detail({ folketall: 728_714, tilvekst: 31_704 })],
          [
            '1151',
            { value: null, year: null, components: {}, missing: 'implausible', detail: { folketall: 219 } },
          ],
        ]),
        boligpris: new Map([['0301', detail({ omsetninger: 9_880 })]]),
      },
      { kommuner: ['0301', '1151', '9999'], rules },
    );
    expect(raws.get('0301')).toMatchObject({
      value: 76_514,
      year: '2040',
      components: { projected: 76_514, added: 31_704, sales: 9_880, completed: null },
    });
    expect(raws.get('1151')!.components).toEqual({
      projected: 71,
      added: null,
      sales: null,
      completed: null,
    });
    expect(raws.get('9999')).toMatchObject({
      value: null,
      missing: 'no market figure (projection, population, sales)',
    });
  });
});
