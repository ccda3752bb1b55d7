import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import {
  explanationContext,
  factorFigure,
  figuresSource,
  missingWords,
  planFigure,
} from '../../../../sync/src/scoring/kommune/explanation.js';
import { rankKommuner } from '../../../../sync/src/scoring/kommune/rank.js';
import type { FactorRaw, FactorResult } from '../../../../sync/src/scoring/kommune/types.js';

const factor = (overrides: Partial<FactorResult>): FactorResult => ({
  key: 'befolkningsvekst',
  label: 'Befolkningsvekst',
  weight: 20,
  raw: null,
  year: null,
  normalised: null,
  points: 0,
  detail: {},
  missing: null,
  ...overrides,
});

describe('missingWords: why a factor is missing, in Norwegian', () => {
  it.each([
    ['factor not fetched', 'ingen tall for noen kommune: tabellen mangler i tallgrunnlaget'],
    ['confidential', 'SSB publiserer ikke tallet (for få tilfeller)'],
    ['not-available', 'SSB har ikke tallet'],
    ['not-in-extract', 'SSB har ikke tallet'],
    ['not-applicable', 'tallet gjelder ikke kommunen'],
    ['population unavailable', 'folketallet mangler'],
    ['no party stances configured', 'ingen partistandpunkter er satt i regelfilen'],
    ['zero figure for 2021', 'tallet for 2021 er 0'],
    ['no figure for 2019 in table 06913', 'SSB har ikke tallet for 2019'],
    ['kommune split in 2024', 'kommunen ble delt; eldre tall gjelder ikke dagens grenser'],
    ['implausible change', 'implausible change'],
    ['', 'mangler'],
  ])('explains %j as %j', (missing, words) => {
    expect(missingWords(factor({ missing }))).toBe(words);
  });

  it('says "mangler" when no reason is recorded', () => {
    expect(missingWords(factor({ missing: null }))).toBe('mangler');
  });

  it('shows a flag before any other reason', () => {
    expect(
      missingWords(factor({ missing: 'confidential', detail: { flagg: '+27,0 % fra 2025 til 2026' } })),
    ).toBe('flagget: +27,0 % fra 2025 til 2026');
  });

  it('ignores a non-text flag', () => {
    expect(missingWords(factor({ missing: 'confidential', detail: { flagg: 3 } }))).toBe(
      'SSB publiserer ikke tallet (for få tilfeller)',
    );
  });

  it('only reads a year at the start of a zero/no-figure reason', () => {
    expect(missingWords(factor({ missing: 'table has zero figure for 2021' }))).toBe(
      'table has zero figure for 2021',
    );
    expect(missingWords(factor({ missing: 'table has no figure for 2021' }))).toBe(
      'table has no figure for 2021',
    );
  });
});

describe('figuresSource: where a refresh figures come from', () => {
  it('names the snapshot date for a snapshot refresh', () => {
    expect(
      figuresSource({ source: 'snapshot', figuresDate: '2026-03-01', finishedAt: '2026-12-06T17:00:00Z' }),
    ).toEqual({ kind: 'snapshot', date: '2026-03-01' });
  });

  it('names the day SSB figures were fetched', () => {
    expect(
      figuresSource({ source: 'ssb', figuresDate: '2026-03-01', finishedAt: '2026-12-06T17:00:00Z' }),
    ).toEqual({
      kind: 'ssb',
      date: '2026-12-06',
    });
  });

  it('has no date for an SSB refresh that has not finished', () => {
    expect(figuresSource({ source: 'ssb', figuresDate: null, finishedAt: null })).toEqual({
      kind: 'ssb',
      date: null,
    });
  });
});

describe('factorFigure: market size as a signed whole number', () => {
  it.each([
    [12_345, '+12 345 innbyggere til 2040'],
    [-1_234, '−1 234 innbyggere til 2040'],
    [0, '+0 innbyggere til 2040'],
  ])('shows %d as %j', (raw, text) => {
    expect(factorFigure(factor({ key: 'markedsstorrelse', raw, year: '2040' }))).toBe(text);
  });
});

describe('planFigure: byggevilje plan evidence', () => {
  const plan = { regulertBoligDaa: 42, reserveDaa: 310, planAr: 5 };
  it('describes regulated land and the reserve', () => {
    expect(planFigure(factor({ key: 'byggevilje', detail: plan }))).toBe(
      'regulerte 42 daa bolig siste 5 år, 310 daa igjen i kommuneplanens reserve',
    );
  });

  it.each(['regulertBoligDaa', 'reserveDaa', 'planAr'])('has no evidence when %s is missing', (field) => {
    expect(planFigure(factor({ key: 'byggevilje', detail: { ...plan, [field]: null } }))).toBeNull();
  });
});

describe('explanationContext', () => {
  const rules = kommuneRulesSchema.parse({
    weights: {
      befolkningsvekst: 100,
      framskrevetVekst: 0,
      markedsstorrelse: 0,
      boligpris: 0,
      boligbygging: 0,
      inntekt: 0,
      sysselsetting: 0,
      byggevilje: 0,
    },
    topN: 2,
  });
  const kommune = (nr: string, navn: string) => ({
    kommunenummer: nr,
    navn,
    fylkesnummer: nr.slice(0, 2),
    fylkesnavn: null,
  });
  const growth = (value: number | null): FactorRaw => ({
    value,
    year: value === null ? null : '2026',
    components: { value },
    detail: { folketall: 50_000, ...(value === null ? {} : { fraAr: '2021' }) },
    ...(value === null ? { missing: 'confidential' } : {}),
  });

  it('counts all kommuner and finds the rank of the last top kommune', () => {
    const ranking = rankKommuner(
      [
        kommune('0301', 'Oslo'),
        kommune('1508', 'Ålesund'),
        kommune('3450', 'Etnedal'),
        kommune('1151', 'Utsira'),
      ],
      {
        befolkningsvekst: new Map([
          ['0301', growth(4.5)],
          ['1508', growth(4.1)],
          ['3450', growth(1.0)],
          ['1151', growth(null)],
        ]),
      },
      rules,
    );
    const source = { kind: 'ssb' as const, date: '2026-12-06' };
    const ctx = explanationContext(ranking.kommuner, rules, source);
    expect(ctx.total).toBe(4);
    expect(ctx.lastTopRank).toBe(2);
    expect(ctx.source).toEqual(source);
    expect(ctx.rules).toBe(rules);
  });

  it('has no last top rank or source when nothing is top', () => {
    const ranking = rankKommuner(
      [kommune('0301', 'Oslo'), kommune('1151', 'Utsira')],
      {
        befolkningsvekst: new Map([
          ['0301', growth(null)],
          ['1151', growth(null)],
        ]),
      },
      rules,
    );
    const ctx = explanationContext(ranking.kommuner, rules);
    expect(ctx).not.toHaveProperty('lastTopRank');
    expect(ctx).not.toHaveProperty('source');
  });
});

describe('factorFigure: each factor figure as the sales team reads it', () => {
  const plan = { regulertBoligDaa: 42, reserveDaa: 310, planAr: 5 };
  it.each<[string, Partial<FactorResult>, string | null]>([
    [
      'growth with its start year',
      { key: 'befolkningsvekst', raw: 4.5, year: '2026', detail: { fraAr: '2021' } },
      '+4,5 % 2021–2026',
    ],
    [
      'employment without a start year',
      { key: 'sysselsetting', raw: -1.2, year: '2025', detail: { fraAr: 2020 } },
      '−1,2 % siste 5 år',
    ],
    [
      'no growth',
      { key: 'befolkningsvekst', raw: 0, year: '2026', detail: { fraAr: '2021' } },
      '+0,0 % 2021–2026',
    ],
    ['projected growth', { key: 'framskrevetVekst', raw: 8.04, year: '2050' }, '+8,0 % til 2050'],
    [
      'market size without a year',
      { key: 'markedsstorrelse', raw: 2_500, year: null },
      '+2 500 innbyggere til 2040',
    ],
    ['house price', { key: 'boligpris', raw: 39_498, year: '2024' }, '39 498 kr/m² i 2024'],
    [
      'completed dwellings',
      { key: 'boligbygging', raw: 4.567 },
      '4,57 fullførte boliger per 1 000 innb. per år',
    ],
    ['started dwellings', { key: 'byggevilje', raw: 6.1 }, '6,10 igangsatte boliger per 1 000 innb. per år'],
    [
      'started dwellings and plans',
      { key: 'byggevilje', raw: 6.1, detail: plan },
      '6,10 igangsatte boliger per 1 000 innb. per år; regulerte 42 daa bolig siste 5 år, 310 daa igjen i kommuneplanens reserve',
    ],
    [
      'plans alone',
      { key: 'byggevilje', raw: null, detail: plan },
      'regulerte 42 daa bolig siste 5 år, 310 daa igjen i kommuneplanens reserve',
    ],
    ['no byggevilje figures', { key: 'byggevilje', raw: null }, null],
    [
      'a missing growth figure, plan details or not',
      { key: 'befolkningsvekst', raw: null, detail: plan },
      null,
    ],
    ['income', { key: 'inntekt', raw: 512_345, year: '2023' }, 'median 512 345 kr etter skatt i 2023'],
    ['a positive party stance', { key: 'partistandpunkt', raw: 0.25 }, 'standpunkt +0,25 (−1 til 1)'],
    ['a negative party stance', { key: 'partistandpunkt', raw: -0.5 }, 'standpunkt −0,50 (−1 til 1)'],
  ])('%s', (_name, overrides, text) => {
    expect(factorFigure(factor(overrides))).toBe(text);
  });

  it('shows small plan areas with one decimal and 10 daa or more as whole numbers', () => {
    const figure = (recent: number, reserve: number) =>
      planFigure(
        factor({ key: 'byggevilje', detail: { regulertBoligDaa: recent, reserveDaa: reserve, planAr: 4 } }),
      );
    expect(figure(2.5, 10)).toBe('regulerte 2,5 daa bolig siste 4 år, 10 daa igjen i kommuneplanens reserve');
    expect(figure(9.9, 1_234.6)).toBe(
      'regulerte 9,9 daa bolig siste 4 år, 1 235 daa igjen i kommuneplanens reserve',
    );
  });
});
