import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import type { Kommune } from '../../../../sync/src/domain/kommune.js';
import { percentileRanks } from '../../../../sync/src/scoring/kommune/percentile.js';
import { councilFigures } from '../../../../sync/src/scoring/kommune/politics.js';
import { confidenceOf, normaliseFactor, rankKommuner } from '../../../../sync/src/scoring/kommune/rank.js';
import type { FactorRaw } from '../../../../sync/src/scoring/kommune/types.js';

const raw = (value: number | null, components?: Record<string, number | null>): FactorRaw => ({
  value,
  year: value === null ? null : '2026',
  components: components ?? { value },
  ...(value === null ? { missing: 'confidential' } : {}),
});

/** House price: the level alone (the 5-year change unknown). */
const price = (value: number | null) => raw(value, { level: value, change: null });

const kommune = (nr: string, navn: string): Kommune => ({
  kommunenummer: nr,
  navn,
  fylkesnummer: nr.slice(0, 2),
  fylkesnavn: null,
});

describe('percentile ranks', () => {
  it('spreads 0–1 by rank, ties sharing their average, so an outlier does not squash the rest', () => {
    const ranks = percentileRanks(
      new Map([
        ['Oslo', 95_000],
        ['Bærum', 80_000],
        ['Ås', 45_000],
        ['Nesodden', 45_000],
        ['Utsira', 20_000],
      ]),
    );
    expect(Object.fromEntries(ranks)).toEqual({
      Utsira: 0,
      Ås: 0.375,
      Nesodden: 0.375,
      Bærum: 0.75,
      Oslo: 1,
    });
    expect(percentileRanks(new Map([['a', 3]]))).toEqual(new Map([['a', 0.5]]));
    expect(percentileRanks(new Map())).toEqual(new Map());
  });

  it('leaves out a value that is not a number, without moving the others', () => {
    const ranks = percentileRanks(
      new Map([
        ['Bærum', 80_000],
        ['Ås', Number.NaN],
        ['Oslo', 95_000],
        ['Utsira', 20_000],
      ]),
    );
    expect(Object.fromEntries(ranks)).toEqual({ Utsira: 0, Bærum: 0.5, Oslo: 1 });
  });

  it('ranks a component only among the kommuner with a number for it', () => {
    const raws = new Map<string, FactorRaw>([
      ['a', raw(1, { value: 10 })],
      ['b', raw(2, { value: Number.NaN })],
      ['c', raw(3, { value: 30 })],
      ['d', { value: null, year: null, components: {}, missing: 'confidential' }],
      ['e', raw(null, { value: null })],
    ]);
    expect(Object.fromEntries(normaliseFactor(raws, { value: 1 }))).toEqual({ a: 0, c: 1 });
  });

  it('averages a factor’s components by their weights, over the components present', () => {
    const raws = new Map([
      ['a', raw(1, { level: 10, change: 1 })],
      ['b', raw(2, { level: 20, change: 3 })],
      ['c', raw(3, { level: 30, change: null })],
    ]);
    const n = normaliseFactor(raws, { level: 0.75, change: 0.25 });
    // level ranks a 0, b 0.5, c 1; change ranks a 0, b 1
    expect(n.get('a')).toBe(0);
    expect(n.get('b')).toBeCloseTo(0.75 * 0.5 + 0.25 * 1);
    expect(n.get('c')).toBe(1);
  });
});

describe('kommune score and rank', () => {
  const rules = kommuneRulesSchema.parse({
    weights: {
      befolkningsvekst: 60,
      framskrevetVekst: 0,
      markedsstorrelse: 0,
      boligpris: 40,
      boligbygging: 0,
      inntekt: 0,
      sysselsetting: 0,
      byggevilje: 0,
    },
    topN: 2,
    topMinWeightShare: 0.75,
  });
  const kommuner = [
    kommune('0301', 'Oslo'),
    kommune('3207', 'Nordre Follo'),
    kommune('3218', 'Ås'),
    kommune('1151', 'Utsira'),
  ];

  it('weights the 0–1 values into a 0–100 score; a missing factor’s weight goes to the others and confidence drops', () => {
    const ranking = rankKommuner(
      kommuner,
      {
        befolkningsvekst: new Map([
          ['0301', raw(4.1)],
          ['3207', raw(6.3)],
          ['3218', raw(9.0)],
          ['1151', raw(-3.2)],
        ]),
        boligpris: new Map([
          ['0301', price(95_000)],
          ['3207', price(62_000)],
          ['3218', price(48_000)],
          ['1151', price(null)],
        ]),
      },
      rules,
    );
    const by = Object.fromEntries(ranking.kommuner.map((k) => [k.kommune.kommunenummer, k]));
    // growth ranks: Utsira 0, Oslo 1/3, Nordre Follo 2/3, Ås 1; price ranks (3 present): Ås 0, NF 0.5, Oslo 1
    expect(by['0301']!.score).toBeCloseTo(0.6 * 100 * (1 / 3) + 0.4 * 100 * 1);
    expect(by['3207']!.score).toBeCloseTo(0.6 * 100 * (2 / 3) + 0.4 * 100 * 0.5);
    expect(by['3218']!.score).toBeCloseTo(60);
    // Utsira: only growth present (rank 0) → 0, weight share 0.6 → low confidence, not top
    expect(by['1151']!).toMatchObject({
      score: 0,
      confidence: 'low',
      weightShare: 0.6,
      missing: ['boligpris'],
      top: false,
    });
    expect(by['1151']!.factors.boligpris).toMatchObject({
      raw: null,
      normalised: null,
      points: 0,
      missing: 'confidential',
    });
    expect(ranking.kommuner.map((k) => [k.kommune.kommunenummer, k.rank, k.top])).toEqual([
      ['0301', 1, true],
      ['3207', 2, true],
      ['3218', 3, false],
      ['1151', 4, false],
    ]);
    for (const k of ranking.kommuner) {
      const points = Object.values(k.factors).reduce((sum, f) => sum + f.points, 0);
      expect(points).toBeCloseTo(k.score!);
    }
  });

  it('keeps the top flag for kommuner with enough of the weight present', () => {
    const ranking = rankKommuner(
      kommuner,
      {
        befolkningsvekst: new Map([
          ['0301', raw(1)],
          ['3207', raw(2)],
          ['3218', raw(3)],
          ['1151', raw(9)],
        ]),
        boligpris: new Map([
          ['0301', price(3)],
          ['3207', price(2)],
          ['3218', price(1)],
          ['1151', price(null)],
        ]),
      },
      rules,
    );
    const utsira = ranking.kommuner.find((k) => k.kommune.kommunenummer === '1151')!;
    expect(utsira.rank).toBe(1); // 100 on growth alone
    expect(utsira.top).toBe(false); // 60 % of the weight present < 75 %
    expect(ranking.kommuner.filter((k) => k.top)).toHaveLength(2);
  });

  it('flags a kommune with exactly the minimum share of the weight present', () => {
    const ranking = rankKommuner(
      kommuner,
      {
        befolkningsvekst: new Map([
          ['0301', raw(1)],
          ['3207', raw(2)],
          ['3218', raw(3)],
          ['1151', raw(9)],
        ]),
        boligpris: new Map([
          ['0301', price(3)],
          ['3207', price(2)],
          ['3218', price(1)],
          ['1151', price(null)],
        ]),
      },
      { ...rules, topMinWeightShare: 0.6 },
    );
    const utsira = ranking.kommuner.find((k) => k.kommune.kommunenummer === '1151')!;
    expect(utsira).toMatchObject({ rank: 1, weightShare: 0.6, top: true }); // growth alone: 60 % of 60 %
  });

  it('never flags a kommune under the minimum population: still ranked and shown, marked', () => {
    const people = (n: number) => ({ ...raw(1), detail: { folketall: n } });
    const growth = new Map([
      ['0301', { ...people(728_714), value: 1, components: { value: 1 } }],
      ['3207', { ...people(65_381), value: 2, components: { value: 2 } }],
      ['3218', { ...people(22_725), value: 3, components: { value: 3 } }],
      ['1151', { ...people(219), value: 9, components: { value: 9 } }],
    ]);
    const prices = new Map([
      ['0301', price(1)],
      ['3207', price(2)],
      ['3218', price(3)],
      ['1151', price(4)],
    ]);
    const ranking = rankKommuner(kommuner, { befolkningsvekst: growth, boligpris: prices }, rules);
    expect(
      ranking.kommuner.map((k) => [k.kommune.kommunenummer, k.rank, k.top, k.belowMinPopulation]),
    ).toEqual([
      ['1151', 1, false, true], // Utsira, 219 inhabitants: first on both figures, not flagged
      ['3218', 2, true, false],
      ['3207', 3, true, false],
      ['0301', 4, false, false],
    ]);
    expect(ranking.kommuner[0]!.population).toBe(219);
    const lower = rankKommuner(
      kommuner,
      { befolkningsvekst: growth, boligpris: prices },
      { ...rules, minPopulation: 0 },
    );
    expect(lower.kommuner.filter((k) => k.top).map((k) => k.kommune.kommunenummer)).toEqual(['1151', '3218']);
  });

  it('orders equal scores by the share of weight present, and ranks only the scored, 1 to n', () => {
    const list = [
      kommune('3207', 'Nordre Follo'),
      kommune('1151', 'Utsira'),
      kommune('3218', 'Ås'),
      kommune('0301', 'Oslo'),
    ];
    const raws = {
      befolkningsvekst: new Map([
        ['1151', raw(9)],
        ['0301', raw(1)],
      ]),
      boligpris: new Map([
        ['3207', price(5)],
        ['0301', price(1)],
      ]),
    };
    // Utsira tops growth alone (60 % of the weight), Nordre Follo the price alone (40 %): both 100.
    // Oslo is last on both (0); Ås has nothing and is not ranked. Same order whatever the input order.
    for (const order of [list, [...list].reverse()]) {
      const ranking = rankKommuner(order, raws, rules);
      expect(ranking.kommuner.map((k) => [k.kommune.kommunenummer, k.score, k.rank, k.weightShare])).toEqual([
        ['1151', 100, 1, 0.6],
        ['3207', 100, 2, 0.4],
        ['0301', 0, 3, 1],
        ['3218', null, null, 0],
      ]);
    }
  });

  it('says why a factor is missing: no figure for the kommune, or the factor not fetched at all', () => {
    const ranking = rankKommuner(
      [kommune('0301', 'Oslo'), kommune('3218', 'Ås')],
      { befolkningsvekst: new Map([['0301', raw(1)]]), boligpris: new Map([['3218', price(null)]]) },
      rules,
    );
    const [oslo, aas] = ['0301', '3218'].map((nr) =>
      ranking.kommuner.find((k) => k.kommune.kommunenummer === nr)!,
    );
    expect(oslo!.factors.boligpris.missing).toBe('not-available');
    expect(aas!.factors.boligpris.missing).toBe('confidential');
    expect(aas!.factors.befolkningsvekst.missing).toBe('not-available');
    expect(oslo!.factors.inntekt.missing).toBe('factor not fetched');
    expect(oslo!.factors.befolkningsvekst.missing).toBeNull();
    expect(oslo!.factors.befolkningsvekst).toMatchObject({ raw: 1, year: '2026', normalised: 0.5 });
  });

  it('scores no kommune on a factor of weight 0: figures alone for it give no score and no points', () => {
    const ranking = rankKommuner(
      [kommune('0301', 'Oslo'), kommune('3218', 'Ås')],
      {
        inntekt: new Map([
          ['0301', raw(600_000)],
          ['3218', raw(550_000)],
        ]),
      },
      rules,
    );
    for (const k of ranking.kommuner) {
      expect(k).toMatchObject({ score: null, rank: null, confidence: 'low', top: false });
      expect(k.factors.inntekt.points).toBe(0);
      expect(k.factors.inntekt.normalised).not.toBeNull();
    }
  });

  it('treats an unknown population as none where others are known, and a minimum of exactly the population as met', () => {
    const people = (value: number, folketall?: number): FactorRaw => ({
      ...raw(value),
      ...(folketall === undefined ? {} : { detail: { folketall } }),
    });
    const rank = (minPopulation: number) =>
      rankKommuner(
        kommuner,
        {
          befolkningsvekst: new Map([
            ['0301', people(1, 10_000)],
            ['3207', people(2, Number.NaN)],
            ['3218', people(3)],
            ['1151', people(4, 9_999)],
          ]),
          boligpris: new Map(kommuner.map((k, i) => [k.kommunenummer, price(i)])),
        },
        { ...rules, minPopulation, topN: 4 },
      ).kommuner;
    const marks = (list: ReturnType<typeof rank>) =>
      Object.fromEntries(
        list.map((k) => [k.kommune.kommunenummer, [k.population, k.belowMinPopulation, k.top]]),
      );
    expect(marks(rank(10_000))).toEqual({
      '0301': [10_000, false, true],
      '3207': [null, true, false],
      '3218': [null, true, false],
      '1151': [9_999, true, false],
    });
    // With no minimum nobody is held back, known population or not.
    expect(Object.values(marks(rank(0))).map(([, below, top]) => [below, top])).toEqual([
      [false, true],
      [false, true],
      [false, true],
      [false, true],
    ]);
  });

  it('gives no score to a kommune without any factor', () => {
    const ranking = rankKommuner(
      [kommune('0301', 'Oslo'), kommune('1151', 'Utsira')],
      { befolkningsvekst: new Map([['0301', raw(1)]]) },
      rules,
    );
    expect(ranking.kommuner.at(-1)).toMatchObject({ score: null, rank: null, confidence: 'low' });
    // Low even where the rule would call everything missing only medium.
    const lenient = rankKommuner(
      [kommune('0301', 'Oslo'), kommune('1151', 'Utsira')],
      { befolkningsvekst: new Map([['0301', raw(1)]]) },
      { ...rules, lowConfidenceMissingShare: 1 },
    );
    expect(lenient.kommuner.at(-1)).toMatchObject({ score: null, confidence: 'low' });
  });

  it('grades confidence by the share of weight missing', () => {
    const defaults = kommuneRulesSchema.parse({});
    expect(confidenceOf(0, defaults)).toBe('high');
    expect(confidenceOf(0.1, defaults)).toBe('medium');
    expect(confidenceOf(0.25, defaults)).toBe('medium');
    expect(confidenceOf(0.35, defaults)).toBe('low');
  });
});

describe('council composition (optional)', () => {
  it('weights the configured party stances by vote share; nothing without stances, never fragmentation', () => {
    const votes = new Map([
      ['01', 500],
      ['03', 300],
      ['05', 200],
      ['08', 0],
    ]);
    const figures = councilFigures(votes, { '03': 1, '08': -1, '01': 0.5 })!;
    expect(figures.stance).toBeCloseTo(0.3 * 1 + 0.5 * 0.5);
    expect(figures).toMatchObject({
      largestParty: '01',
      largestShare: 0.5,
      totalVotes: 1000,
      coveredShare: 0.8,
    });
    expect(councilFigures(votes, {})).toBeNull();
    expect(councilFigures(new Map([['01', 0]]), { '01': 1 })).toBeNull();
    // Only local lists (Utsira 2023): no stance configured for 91, so 0, not the best score.
    expect(councilFigures(new Map([['91', 120]]), { '03': 1 })!.stance).toBe(0);
    // Equal largest lists: the first in SSB's order is named. A list SSB has no count for is left out.
    const tied = councilFigures(
      new Map([
        ['02', 400],
        ['01', 400],
        ['03', Number.NaN],
        ['05', 200],
      ]),
      { '03': 1, '05': 1 },
    )!;
    expect(tied).toMatchObject({
      largestParty: '02',
      largestShare: 0.4,
      totalVotes: 1000,
      coveredShare: 0.2,
    });
    expect(tied.stance).toBeCloseTo(0.2);
  });
});
