import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import {
  explainKommune,
  explanationContext,
  factorEffects,
  topReason,
} from '../../../../sync/src/scoring/kommune/explanation.js';
import { withPlanEvidence } from '../../../../sync/src/scoring/kommune/plan-evidence.js';
import { rankKommuner } from '../../../../sync/src/scoring/kommune/rank.js';
import type { FactorRaw } from '../../../../sync/src/scoring/kommune/types.js';

const rules = kommuneRulesSchema.parse({
  weights: {
    befolkningsvekst: 50,
    framskrevetVekst: 0,
    markedsstorrelse: 0,
    boligpris: 50,
    boligbygging: 0,
    inntekt: 0,
    sysselsetting: 0,
    byggevilje: 0,
  },
  topN: 1,
});
const kommune = (nr: string, navn: string) => ({
  kommunenummer: nr,
  navn,
  fylkesnummer: nr.slice(0, 2),
  fylkesnavn: null,
});
const growth = (value: number | null, folketall: number, extra: Record<string, string> = {}): FactorRaw => ({
  value,
  year: value === null ? null : '2026',
  components: { value },
  detail: { folketall, ...(value === null ? {} : { fraAr: '2021' }), ...extra },
  ...(value === null
    ? { missing: 'implausible change', detail: { folketall, flagg: '+27,0 % fra 2025 til 2026' } }
    : {}),
});
const price = (value: number | null): FactorRaw => ({
  value,
  year: value === null ? null : '2024',
  components: { level: value, change: null },
  ...(value === null ? { missing: 'confidential' } : {}),
});

/**
 * Built inside each test, not at import: StrykerJS counts code run at import or in beforeAll as
 * covered by no test in particular, and would then not run these tests against its mutants.
 */
function fourKommuner() {
  const ranking = rankKommuner(
    [
      kommune('0301', 'Oslo'),
      kommune('1508', 'Ålesund'),
      kommune('3450', 'Etnedal'),
      kommune('1151', 'Utsira'),
    ],
    {
      befolkningsvekst: new Map([
        ['0301', growth(4.5, 728_714)],
        [
          '1508',
          growth(4.1, 59_663, { merknad: 'egne tall for dagens grenser 2021–2023 (kommunen ble delt 2024)' }),
        ],
        ['3450', growth(null, 1_593)],
        ['1151', growth(14.1, 219)],
      ]),
      boligpris: new Map([
        ['0301', price(97_979)],
        ['1508', price(39_498)],
        ['3450', price(null)],
        ['1151', price(null)],
      ]),
    },
    rules,
  );
  return {
    ranking,
    by: (nr: string) => ranking.kommuner.find((k) => k.kommune.kommunenummer === nr)!,
    ctx: explanationContext(ranking.kommuner, rules, { kind: 'snapshot', date: '2026-12-06' }),
  };
}

describe('a kommune’s explanation in Norwegian', () => {
  it('measures each factor against an average kommune, so the effects sum to the score minus 50', () => {
    const { ranking, by } = fourKommuner();
    for (const k of ranking.kommuner.filter((x) => x.score !== null)) {
      const effects = factorEffects(k);
      expect(effects.reduce((s, e) => s + e.effect, 0)).toBeCloseTo(k.score! - 50, 9);
    }
    // Oslo: growth 2nd of 3 (0.5), price 1st of 2 (1): +25 points from the price, 0 from growth.
    expect(factorEffects(by('0301')).map((e) => [e.key, e.effect])).toEqual([
      ['boligpris', 25],
      ['befolkningsvekst', 0],
    ]);
  });

  it('says the rank, why it is in, what lifts and pulls, notes, what is missing and the confidence', () => {
    const { by, ctx } = fourKommuner();
    expect(explainKommune(by('0301'), ctx)).toEqual([
      'Oslo (0301) er nr. 2 av 4 med score 75,0 av 100 – topp 1 (nr. 2): Boligpris 97 979 kr/m² i 2024.',
      'Folketall: 728 714.',
      'Løfter: Boligpris 97 979 kr/m² i 2024 (+25,0 poeng mot en middels kommune).',
      'Konfidens: Høy – alle faktorene har tall.',
      'Tallene er fra det innebygde SSB-øyeblikksbildet datert 2026-12-06; en oppdatering fra SSB erstatter dem.',
    ]);
    const alesund = explainKommune(by('1508'), ctx);
    expect(alesund[0]).toBe('Ålesund (1508) er nr. 3 av 4 med score 0,0 av 100 – utenfor topp 1.');
    expect(alesund).toContain(
      'Trekker ned: Boligpris 39 498 kr/m² i 2024 (−25,0 poeng mot en middels kommune) og Befolkningsvekst +4,1 % 2021–2026 (−25,0 poeng mot en middels kommune).',
    );
    expect(alesund).toContain(
      'Befolkningsvekst: egne tall for dagens grenser 2021–2023 (kommunen ble delt 2024).',
    );
  });

  it('names a flagged figure and the minimum population, and grades confidence by what is missing', () => {
    const { by, ctx } = fourKommuner();
    const etnedal = explainKommune(by('3450'), ctx);
    expect(etnedal[0]).toMatch(/^Etnedal \(3450\) er ikke rangert/);
    expect(etnedal.join('\n')).toMatch(/Befolkningsvekst \(flagget: \+27,0 % fra 2025 til 2026\)/);
    const utsira = by('1151');
    expect(utsira.rank).toBe(1); // first on growth alone, but 219 inhabitants
    expect(topReason(utsira, ctx)).toBe('ikke topp 1: under minstegrensen på 10 000 innbyggere (219)');
    expect(explainKommune(utsira, ctx)).toContain(
      'Konfidens: Lav – 50 % av vekten mangler (Boligpris); vekten er fordelt på de andre faktorene, og mer enn 25 % mangler.',
    );
  });
});

describe('Byggevilje’s plan evidence in the explanation', () => {
  const withStarts = kommuneRulesSchema.parse({ ...rules, weights: { ...rules.weights, byggevilje: 50 } });
  const starts = (value: number | null): FactorRaw =>
    value === null
      ? { value: null, year: null, components: {}, missing: 'confidential' }
      : { value, year: '2025', components: { value }, detail: { igangsatteSnitt: value * 20, ar: 3 } };
  // Ås: the sample kommune's figures from the engine; Nordre Follo regulated more of less.
  const evidence = new Map([
    [
      '3218',
      {
        kommunenummer: '3218',
        runDate: '2026-03-10',
        years: 5,
        recentlyRegulatedM2: 57_765,
        reserveM2: 3_787_054,
      },
    ],
    [
      '3207',
      {
        kommunenummer: '3207',
        runDate: '2026-03-10',
        years: 5,
        recentlyRegulatedM2: 9_600,
        reserveM2: 7_000,
      },
    ],
  ]);
  function planKommuner() {
    const planRanking = rankKommuner(
      [kommune('3218', 'Ås'), kommune('3207', 'Nordre Follo'), kommune('0301', 'Oslo')],
      {
        befolkningsvekst: new Map([
          ['3218', growth(6.3, 22_194)],
          ['3207', growth(7.9, 62_800)],
          ['0301', growth(4.5, 728_714)],
        ]),
        byggevilje: withPlanEvidence(
          new Map([
            ['3218', starts(4.6)],
            ['3207', starts(null)],
            ['0301', starts(5.8)],
          ]),
          evidence,
          ['3218', '3207', '0301'],
        ),
      },
      withStarts,
    );
    return {
      k: (nr: string) => planRanking.kommuner.find((x) => x.kommune.kommunenummer === nr)!,
      planCtx: explanationContext(planRanking.kommuner, withStarts),
    };
  }

  it('says how much housing land the kommune regulated and how much reserve is left, where it was used', () => {
    const { k, planCtx } = planKommuner();
    expect(explainKommune(k('3218'), planCtx)).toContain(
      'Byggevilje fra kommunens planer: regulerte 58 daa bolig siste 5 år, 3 787 daa igjen i kommuneplanens reserve (0,3 % av reserven regulert per år; planene lest 2026-03-10).',
    );
    expect(factorEffects(k('3218')).find((e) => e.key === 'byggevilje')!.figure).toBe(
      '4,60 igangsatte boliger per 1 000 innb. per år; regulerte 58 daa bolig siste 5 år, 3 787 daa igjen i kommuneplanens reserve',
    );
    // Without a starts figure the plan figures are the factor's figure; under 10 daa with a decimal.
    expect(factorEffects(k('3207')).find((e) => e.key === 'byggevilje')!.figure).toBe(
      'regulerte 9,6 daa bolig siste 5 år, 7,0 daa igjen i kommuneplanens reserve',
    );
  });

  it('says nothing of plans for a kommune without plan evidence', () => {
    const { k, planCtx } = planKommuner();
    const oslo = explainKommune(k('0301'), planCtx);
    expect(oslo.join('\n')).not.toMatch(/kommunens planer|reserve/);
    expect(factorEffects(k('0301')).find((e) => e.key === 'byggevilje')!.figure).toBe(
      '5,80 igangsatte boliger per 1 000 innb. per år',
    );
  });
});
