import { describe, expect, it } from 'vitest';
import {
  memoryMetadata,
  type MemoryTable,
  type MemoryVariable,
} from '../../../../sync/src/sources/ssb/memory-table.js';
import {
  kommSummerCodelist,
  kommSummerGroups,
  periodYearsBefore,
  planTable,
  TablePlanError,
  totalCategory,
  type TableSpec,
} from '../../../../sync/src/scoring/kommune/table-plan.js';

/** A small SSB table's metadata: Region, ContentsCode, Tid and the given extra variables. */
function metadata(
  opts: { region?: Partial<MemoryVariable> | null; extra?: MemoryVariable[]; years?: string[] } = {},
) {
  const years = opts.years ?? ['2022', '2023', '2024'];
  const variables: MemoryVariable[] = [];
  if (opts.region !== null)
    variables.push({
      code: 'Region',
      label: 'region',
      elimination: true,
      values: ['0301', '1103', '1507', '9999'].map((k) => ({ code: k, label: k })),
      ...opts.region,
    });
  variables.push(
    ...(opts.extra ?? []),
    {
      code: 'ContentsCode',
      label: 'statistikkvariabel',
      elimination: false,
      values: [
        { code: 'Personer1', label: 'Personer' },
        { code: 'Andel', label: 'Andel' },
      ],
    },
    { code: 'Tid', label: 'år', elimination: false, values: years.map((y) => ({ code: y, label: y })) },
  );
  const table: MemoryTable = {
    id: '07459',
    label: 'Befolkning',
    updated: '2026-02-25T07:00:00Z',
    variables,
    cell: () => 1,
  };
  return memoryMetadata(table);
}

function spec(over: Partial<TableSpec> = {}): TableSpec {
  return {
    measures: { population: { codes: ['Personer1'], labels: [] } },
    periods: (p) => p,
    harmonise: 'sum',
    ...over,
  };
}

function selectionOf(plan: ReturnType<typeof planTable>, code: string) {
  return plan.query.selection.find((s) => s.variableCode === code);
}

describe('planning an SSB query from table metadata', () => {
  it('fails with a TablePlanError naming the table when there is no region variable', () => {
    const md = metadata({ region: null });
    expect(() => planTable('07459', spec(), md, { kommuner: ['0301'] })).toThrow(
      /table 07459: has no region variable/,
    );
    try {
      planTable('07459', spec(), md, { kommuner: ['0301'] });
    } catch (e) {
      expect(e).toBeInstanceOf(TablePlanError);
      expect((e as Error).name).toBe('TablePlanError');
    }
  });

  it('names the contents codes the table has when a measure is missing', () => {
    const md = metadata();
    const s = spec({ measures: { jobs: { codes: ['Sysselsatte'], labels: [] } } });
    expect(() => planTable('07459', s, md, { kommuner: ['0301'] })).toThrow(
      'table 07459: no ContentsCode for "jobs" (have Personer1, Andel)',
    );
  });

  it('fails when none of the periods needed are in the table', () => {
    const md = metadata();
    const s = spec({ periods: () => ['2030'] });
    expect(() => planTable('07459', s, md, { kommuner: ['0301'] })).toThrow(
      /table 07459: none of the periods needed are in the table/,
    );
  });

  it('hands the periods to the spec in ascending order and fetches each once', () => {
    const md = metadata({ years: ['2024', '2022', '2023'] });
    const seen: string[][] = [];
    const s = spec({
      periods: (p) => {
        seen.push(p);
        return [p.at(-1)!, p[0]!, p.at(-1)!];
      },
    });
    const plan = planTable('07459', s, md, { kommuner: ['0301'] });
    expect(seen).toEqual([['2022', '2023', '2024']]);
    expect(plan.periods).toEqual(['2024', '2022']);
  });

  it('without agg_KommSummer selects today’s kommuner and old codes with a successor, not 4-digit others', () => {
    const md = metadata({
      region: {
        values: ['0301', '1103', '1102', '1507', '9999', '03011', 'K-0301', '0'].map((k) => ({
          code: k,
          label: k,
        })),
      },
    });
    const plan = planTable('07459', spec(), md, {
      kommuner: ['0301', '1103', '03011'],
      changes: [{ oldCode: '1102', newCode: '1103', changeOccurred: '2020-01-01' } as never],
    });
    expect(plan.regionMode).toBe('harmonise');
    expect(selectionOf(plan, 'Region')!.valueCodes).toEqual(['0301', '1103', '1102']);
  });

  it('without changes, an old code is not selected', () => {
    const md = metadata({ region: { values: ['0301', '1102'].map((k) => ({ code: k, label: k })) } });
    const plan = planTable('07459', spec(), md, { kommuner: ['0301'] });
    expect(selectionOf(plan, 'Region')!.valueCodes).toEqual(['0301']);
  });

  it('selects every non-total category of a selectAll variable (by code or by label)', () => {
    const parties: MemoryVariable = {
      code: 'PolitParti',
      label: 'parti',
      elimination: true,
      values: [
        { code: '00', label: 'Alle partier' },
        { code: 'A', label: 'Arbeiderpartiet' },
        { code: 'H', label: 'Høyre' },
      ],
    };
    const byCode = planTable('01182', spec({ selectAll: /^PolitParti$/ }), metadata({ extra: [parties] }), {
      kommuner: ['0301'],
    });
    expect(byCode.all).toEqual({ PolitParti: ['A', 'H'] });
    expect(selectionOf(byCode, 'PolitParti')).toEqual({ variableCode: 'PolitParti', valueCodes: ['A', 'H'] });
    const byLabel = planTable('01182', spec({ selectAll: /^parti$/ }), metadata({ extra: [parties] }), {
      kommuner: ['0301'],
    });
    expect(byLabel.all).toEqual({ PolitParti: ['A', 'H'] });
    const none = planTable('01182', spec({ selectAll: /^kjønn$/ }), metadata({ extra: [parties] }), {
      kommuner: ['0301'],
    });
    expect(none.all).toEqual({});
    expect(selectionOf(none, 'PolitParti')).toBeUndefined();
  });

  it('a preferred category wins only when it is the one asked for', () => {
    const sex: MemoryVariable = {
      code: 'Kjonn',
      label: 'kjønn',
      elimination: false,
      values: [
        { code: '0', label: 'Begge kjønn' },
        { code: 'Stryker was here', label: 'x' },
        { code: '2', label: 'Kvinner' },
      ],
    };
    const plan = planTable('07459', spec({ prefer: [/^Kvinner$/] }), metadata({ extra: [sex] }), {
      kommuner: ['0301'],
    });
    expect(plan.fixed).toEqual({ Kjonn: '2' });
  });
});

describe('the total category of a variable', () => {
  it('is found by its label before its code, labels trimmed', () => {
    expect(
      totalCategory({
        code: 'Kjonn',
        label: 'kjønn',
        elimination: false,
        codelists: [],
        values: [
          { code: '0', label: 'Menn' },
          { code: 'x', label: '  I alt' },
        ],
      } as never),
    ).toBe('x');
  });

  it('falls back to a known total code, case-insensitively', () => {
    expect(
      totalCategory({
        code: 'Alder',
        label: 'alder',
        elimination: false,
        codelists: [],
        values: [
          { code: '15-74', label: '15-74 år' },
          { code: 'TOT', label: 'Samlet' },
        ],
      } as never),
    ).toBe('TOT');
  });
});

function region(codelists: Array<{ id: string; label: string }>) {
  return { code: 'Region', label: 'region', elimination: true, values: [], codelists } as never;
}

describe('the agg_KommSummer codelist of a region variable', () => {
  it('is none without a region', () => {
    expect(kommSummerCodelist(undefined)).toBeUndefined();
  });

  it('prefers the known ids in order', () => {
    const lists = [
      { id: 'agg_Fylker', label: 'Fylker' },
      { id: 'agg_KommSummerS', label: 'Kommuner S' },
      { id: 'agg_KommSummer', label: 'Kommuner' },
    ];
    expect(kommSummerCodelist(region(lists))?.id).toBe('agg_KommSummer');
    expect(kommSummerCodelist(region(lists.slice(0, 2)))?.id).toBe('agg_KommSummerS');
  });

  it('accepts another agg_ id labelled as merged kommune series, and nothing else', () => {
    const other = { id: 'agg_Komm2', label: 'Kommuner 2024, sammenslåtte tidsserier' };
    expect(kommSummerCodelist(region([{ id: 'agg_KommunerV1', label: 'Kommuner 2024-' }, other]))?.id).toBe(
      'agg_Komm2',
    );
    expect(kommSummerCodelist(region([{ id: 'vs_Komm2', label: other.label }]))).toBeUndefined();
    expect(kommSummerCodelist(region([{ id: 'x_agg_', label: other.label }]))).toBeUndefined();
    expect(kommSummerCodelist(region([{ id: 'agg_KommunerV1', label: 'Kommuner 2024-' }]))).toBeUndefined();
    expect(
      kommSummerCodelist(region([{ id: 'agg_K', label: 'Kommuner (2020), sammenslatte tidsserier' }]))?.id,
    ).toBe('agg_K');
  });
});

describe('agg_KommSummer groups as today’s kommuner', () => {
  it('reads the kommune from the valueMap, else from the code without its prefix', () => {
    const kommuner = new Set(['0301', '1103', '1508']);
    expect(
      kommSummerGroups(
        [
          { code: 'K-0301', valueMap: ['0301', '0301'] },
          { code: 'K-1103', valueMap: ['1102', '1103', '1141'] },
          { code: 'K.1508' },
          { code: 'K-1507', valueMap: ['1508'] },
          { code: 'K-03' },
          { code: 'K-9999', valueMap: [] },
        ],
        kommuner,
      ),
    ).toEqual({ 'K-0301': '0301', 'K-1103': '1103', 'K.1508': '1508' });
  });

  it('takes the kommune the valueMap names even when the group code is another number', () => {
    expect(kommSummerGroups([{ code: 'K-1601', valueMap: ['5001'] }], new Set(['5001']))).toEqual({
      'K-1601': '5001',
    });
  });

  it('ignores codes in the valueMap that are no current kommune', () => {
    expect(kommSummerGroups([{ code: 'K-9', valueMap: ['5001', '1601'] }], new Set(['5001']))).toEqual({
      'K-9': '5001',
    });
  });

  it('takes the code when the valueMap names two current kommuner', () => {
    expect(
      kommSummerGroups([{ code: 'K-0301', valueMap: ['0301', '1103'] }], new Set(['0301', '1103'])),
    ).toEqual({ 'K-0301': '0301' });
  });
});

describe('periods years apart', () => {
  it('keeps the sub-period of a quarterly period', () => {
    expect(periodYearsBefore('2024K4', 5, ['2019K3', '2019K4'])).toBe('2019K4');
    expect(periodYearsBefore('2024K4', 5, ['2019K3'])).toBeUndefined();
  });
});
