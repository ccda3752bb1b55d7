import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import { readSsbMetadata } from '../../../../sync/src/sources/ssb/metadata.js';
import { tableFactor } from '../../../../sync/src/scoring/kommune/factors.js';
import { planTable } from '../../../../sync/src/scoring/kommune/table-plan.js';
import type { KommuneFactorKey } from '../../../../sync/src/scoring/kommune/types.js';
import { jsonStat, type Var } from './json-stat.js';

const rules = kommuneRulesSchema.parse({});
const years = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i)).map((y) => [y, y] as [string, string]);

/** Plans the factor's table on a table for Ås with these ContentsCode categories (and other variables). */
function plan(
  key: KommuneFactorKey,
  contents: Array<[string, string]>,
  others: Var[] = [],
  tid = years(2022, 2024),
) {
  const vars: Var[] = [
    { code: 'Region', values: [['3218', 'Ås']] },
    ...others,
    { code: 'ContentsCode', values: contents },
    { code: 'Tid', values: tid },
  ];
  return planTable('t', tableFactor(key).table(rules), readSsbMetadata(jsonStat(vars), 't'), {
    kommuner: ['3218'],
    changes: [],
  });
}

describe('factor tables: measures found by code when SSB relabels them', () => {
  it.each([
    ['befolkningsvekst', 'population', [['Personer1', 'Befolkning 1. januar']]],
    ['befolkningsvekst', 'population', [['Personer', 'Befolkning 1. januar']]],
    ['boligbygging', 'completed', [['Fullforte', 'Ferdigstilte boliger']]],
    ['inntekt', 'income', [['InntSkatt', 'Disponibel inntekt (kr)']]],
    ['sysselsetting', 'employed', [['Sysselsatte', 'Personer i arbeid']]],
    ['sysselsetting', 'employed', [['SysselBosted', 'Personer i arbeid']]],
    ['byggevilje', 'started', [['Igangsatte', 'Påbegynte boliger']]],
    ['partistandpunkt', 'votes', [['Godkjente1', 'Stemmesedler']]],
    ['partistandpunkt', 'votes', [['Godkjente', 'Stemmesedler']]],
  ] as Array<[KommuneFactorKey, string, Array<[string, string]>]>)(
    '%s reads %s from ContentsCode %j',
    (key, measure, contents) => {
      expect(plan(key, contents).measures).toEqual({ [measure]: contents[0]![0] });
    },
  );

  it('house price reads KvPris by code though its label names no price per m²', () => {
    const p = plan('boligpris', [
      ['KvPris', 'Gjennomsnittspris (kr)'],
      ['Omsetninger', 'Omsetninger (antall)'],
    ]);
    expect(p.measures).toEqual({ price: 'KvPris', sales: 'Omsetninger' });
  });

  it('house price reads Omsetninger by code though its label names no sales', () => {
    const p = plan('boligpris', [
      ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
      ['Omsetninger', 'Salg'],
    ]);
    expect(p.measures).toEqual({ price: 'KvPris', sales: 'Omsetninger' });
  });
});

describe('factor tables: measures found by label when SSB renames the code', () => {
  it.each([
    ['befolkningsvekst', 'population', 'Personer2', 'Personer'],
    ['boligbygging', 'completed', 'Fullforte2', 'Fullførte boliger'],
    ['inntekt', 'income', 'InntSkatt2', 'Inntekt etter skatt, median (kr)'],
    ['inntekt', 'income', 'InntSkatt2', 'Median inntekt etter skatt (kr)'],
    ['sysselsetting', 'employed', 'Sysselsatte2', 'Sysselsatte personer'],
    ['byggevilje', 'started', 'Igangsatte2', 'Igangsatte boliger'],
    ['partistandpunkt', 'votes', 'Godkjente2', 'Godkjente stemmesedler'],
  ] as Array<[KommuneFactorKey, string, string, string]>)(
    '%s reads %s from code %s labelled %j',
    (key, measure, code, label) => {
      expect(plan(key, [[code, label]]).measures).toEqual({ [measure]: code });
    },
  );

  it('house price reads price and sales by their labels', () => {
    const p = plan('boligpris', [
      ['KvmPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
      ['AntOms', 'Omsetninger (antall)'],
    ]);
    expect(p.measures).toEqual({ price: 'KvmPris', sales: 'AntOms' });
  });

  it('projection: ContentsCode labelled exactly "Personer", not another count of persons', () => {
    const before = plan('framskrevetVekst', [
      ['Innflyttede', 'Innflyttede personer'],
      ['Personer', 'Personer'],
    ]);
    expect(before.measures).toEqual({ projection: 'Personer' });
    const after = plan('framskrevetVekst', [
      ['Personer1564', 'Personer 15-64 år'],
      ['Personer', 'Personer'],
    ]);
    expect(after.measures).toEqual({ projection: 'Personer' });
  });
});

describe('factor tables: how kommune mergers are handled', () => {
  it.each([
    ['befolkningsvekst', 'sum', [['Personer1', 'Personer']]],
    ['framskrevetVekst', 'sum', [['Personer', 'Personer']]],
    ['boligbygging', 'sum', [['Fullforte', 'Fullførte boliger']]],
    ['sysselsetting', 'sum', [['Sysselsatte', 'Sysselsatte personer']]],
    ['byggevilje', 'sum', [['Igangsatte', 'Igangsatte boliger']]],
    ['partistandpunkt', 'sum', [['Godkjente1', 'Godkjente stemmesedler']]],
    ['inntekt', 'renumber-only', [['InntSkatt', 'Inntekt etter skatt, median (kr)']]],
    [
      'boligpris',
      'renumber-only',
      [
        ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
        ['Omsetninger', 'Omsetninger (antall)'],
      ],
    ],
  ] as Array<[KommuneFactorKey, string, Array<[string, string]>]>)(
    '%s: merged kommuner’s figures are %s',
    (key, mode, contents) => {
      expect(plan(key, contents).harmonise).toBe(mode);
    },
  );
});

describe('factor tables: the years fetched', () => {
  it.each([
    ['befolkningsvekst', [['Personer1', 'Personer']]],
    ['sysselsetting', [['Sysselsatte', 'Sysselsatte personer']]],
    [
      'boligpris',
      [
        ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
        ['Omsetninger', 'Omsetninger (antall)'],
      ],
    ],
  ] as Array<[KommuneFactorKey, Array<[string, string]>]>)(
    '%s fetches the growth years, the fallback years and the start year, no older ones',
    (key, contents) => {
      // growthYears 5 + levelFallbackYears 2 + 1 = the last 8 years
      expect(plan(key, contents, [], years(2010, 2026)).periods).toEqual(years(2019, 2026).map(([y]) => y));
    },
  );
});

describe('factor tables: categories chosen in other variables', () => {
  it('house price fixes the "all dwellings" type even where SSB lets the type be left out', () => {
    const boligtype: Var = {
      code: 'Boligtype',
      values: [
        ['00', 'Boliger i alt'],
        ['01', 'Eneboliger'],
        ['02', 'Småhus'],
        ['03', 'Blokkleiligheter'],
      ],
      elimination: true,
    };
    const p = plan(
      'boligpris',
      [
        ['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'],
        ['Omsetninger', 'Omsetninger (antall)'],
      ],
      [boligtype],
    );
    expect(p.fixed).toEqual({ Boligtype: '00' });
  });

  it('income fixes "all households" even where SSB lets the household type be left out', () => {
    const husholdType: Var = {
      code: 'HusholdType',
      values: [
        ['0000', 'Alle husholdninger'],
        ['0001', 'Aleneboende'],
      ],
      elimination: true,
    };
    const p = plan('inntekt', [['InntSkatt', 'Inntekt etter skatt, median (kr)']], [husholdType]);
    expect(p.fixed).toEqual({ HusholdType: '0000' });
  });
});
