import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import {
  explainKommune,
  explanationContext,
  factorEffects,
  topReason,
} from '../../../../sync/src/scoring/kommune/explanation.js';
import { rankKommuner } from '../../../../sync/src/scoring/kommune/rank.js';
import type { FactorRaw } from '../../../../sync/src/scoring/kommune/types.js';

const rulesInput = {
  weights: {
    befolkningsvekst: 25,
    framskrevetVekst: 0,
    markedsstorrelse: 0,
    boligpris: 0,
    boligbygging: 25,
    inntekt: 25,
    sysselsetting: 25,
    byggevilje: 0,
  },
  topN: 2,
  minPopulation: 1_000,
};
const kommune = (nr: string, navn: string) => ({
  kommunenummer: nr,
  navn,
  fylkesnummer: nr.slice(0, 2),
  fylkesnavn: null,
});
const raw = (value: number | null, year = '2025', detail: FactorRaw['detail'] = {}): FactorRaw => ({
  value,
  year: value === null ? null : year,
  components: { value },
  detail,
  ...(value === null ? { missing: 'confidential' } : {}),
});

/** Five kommuner on four equally weighted factors; built per test (StrykerJS per-test coverage). */
function fiveKommuner(
  overrides: {
    populations?: Record<string, number | null>;
    unranked?: boolean;
    gaps?: boolean;
    plans?: boolean;
  } = {},
) {
  const rules = kommuneRulesSchema.parse(rulesInput);
  const nr = ['4601', '5001', '1103', '3901', '1822', ...(overrides.unranked ? ['5501'] : [])];
  const pop = {
    '4601': 291_000,
    '5001': 214_000,
    '1103': 149_000,
    '3901': 27_000,
    '1822': 600,
    '5501': 78_000,
    ...overrides.populations,
  };
  const series = (
    values: (number | null)[],
    year: string,
    extra: (i: number) => Record<string, string | number | null> = () => ({}),
  ) =>
    new Map(
      nr.map((n, i) => [
        n,
        raw(values[i] ?? null, year, { folketall: pop[n as keyof typeof pop], ...extra(i) }),
      ]),
    );
  const ranking = rankKommuner(
    [
      kommune('4601', 'Bergen'),
      kommune('5001', 'Trondheim'),
      kommune('1103', 'Stavanger'),
      kommune('3901', 'Horten'),
      kommune('1822', 'Leirfjord'),
      ...(overrides.unranked ? [kommune('5501', 'Tromsø')] : []),
    ],
    {
      befolkningsvekst: series([6.1, 5.2, 3.0, 1.0, -4.0], '2025', () => ({ fraAr: '2020' })),
      sysselsetting: series([2.0, 3.5, 1.0, -0.5, null], '2025', (i): Record<string, string> =>
        overrides.gaps && i === 4 ? { merknad: 'tallet er usikkert' } : {},
      ),
      inntekt: series([480_000, 470_000, 520_000, 430_000, 400_000], '2023', (i): Record<string, string> =>
        i === 1 ? { merknad: 'tall for 2023 er foreløpige' } : {},
      ),
      ...(overrides.plans
        ? {
            byggevilje: series([4.0, 3.0, 2.0, 1.0, 0.5], '2024', () => ({
              regulertBoligDaa: 42,
              reserveDaa: 310,
              planAr: 5,
            })),
          }
        : {}),
      boligbygging: series([5.5, 6.2, 3.1, overrides.gaps ? null : 2.0, null], '2024'),
    },
    rules,
  );
  const by = (n: string) => ranking.kommuner.find((k) => k.kommune.kommunenummer === n)!;
  return { rules, ranking, by };
}

const lift = (text: string, points: string) => `${text} (${points} poeng mot en middels kommune)`;

describe('explainKommune on a five-kommune ranking', () => {
  it('shows a top kommune with its two largest lifts, and no "Trekker ned" when nothing pulls', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ctx = explanationContext(ranking.kommuner, rules, { kind: 'ssb', date: '2026-12-06' });
    expect(explainKommune(by('4601'), ctx)).toEqual([
      'Bergen (4601) er nr. 2 av 5 med score 77,1 av 100 – topp 2 (nr. 2): Befolkningsvekst +6,1 % 2020–2025; Inntekt median 480 000 kr etter skatt i 2023.',
      'Folketall: 291 000.',
      `Løfter: ${lift('Befolkningsvekst +6,1 % 2020–2025', '+12,5')} og ${lift('Inntekt median 480 000 kr etter skatt i 2023', '+6,3')}.`,
      'Konfidens: Høy – alle faktorene har tall.',
      'Tallene er fra SSB, hentet 2026-12-06.',
    ]);
  });

  it('shows a note on a factor that has a figure', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ctx = explanationContext(ranking.kommuner, rules);
    expect(explainKommune(by('5001'), ctx)).toContain('Inntekt: tall for 2023 er foreløpige.');
    expect(explainKommune(by('4601'), ctx).join('\n')).not.toContain('foreløpige');
  });

  it('lists what lifts and what pulls, largest pull first, and leaves out a factor at the average', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ctx = explanationContext(ranking.kommuner, rules);
    expect(explainKommune(by('1103'), ctx)).toEqual([
      'Stavanger (1103) er nr. 3 av 5 med score 54,2 av 100 – utenfor topp 2.',
      'Folketall: 149 000.',
      `Løfter: ${lift('Inntekt median 520 000 kr etter skatt i 2023', '+12,5')}.`,
      `Trekker ned: ${lift('Sysselsettingsvekst +1,0 % siste 5 år', '−4,2')} og ${lift('Boligbygging 3,10 fullførte boliger per 1 000 innb. per år', '−4,2')}.`,
      'Konfidens: Høy – alle faktorene har tall.',
    ]);
    expect(explainKommune(by('3901'), ctx)).toEqual([
      'Horten (3901) er nr. 4 av 5 med score 12,5 av 100 – utenfor topp 2.',
      'Folketall: 27 000.',
      `Trekker ned: ${lift('Sysselsettingsvekst −0,5 % siste 5 år', '−12,5')} og ${lift('Boligbygging 2,00 fullførte boliger per 1 000 innb. per år', '−12,5')}.`,
      'Konfidens: Høy – alle faktorene har tall.',
    ]);
  });

  it('explains a small kommune with missing figures and low confidence, from the snapshot', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ctx = explanationContext(ranking.kommuner, rules, { kind: 'snapshot', date: '2026-03-01' });
    expect(explainKommune(by('1822'), ctx)).toEqual([
      'Leirfjord (1822) er nr. 5 av 5 med score 0,0 av 100 – ikke topp 2: under minstegrensen på 1 000 innbyggere (600).',
      'Folketall: 600.',
      `Trekker ned: ${lift('Inntekt median 400 000 kr etter skatt i 2023', '−25,0')} og ${lift('Befolkningsvekst −4,0 % 2020–2025', '−25,0')}.`,
      'Mangler: Boligbygging (SSB publiserer ikke tallet (for få tilfeller)) og Sysselsettingsvekst (SSB publiserer ikke tallet (for få tilfeller)).',
      'Konfidens: Lav – 50 % av vekten mangler (Boligbygging og Sysselsettingsvekst); vekten er fordelt på de andre faktorene, og mer enn 25 % mangler.',
      'Tallene er fra det innebygde SSB-øyeblikksbildet datert 2026-03-01; en oppdatering fra SSB erstatter dem.',
    ]);
  });

  it('says "?" for a source without a date', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ssb = explanationContext(ranking.kommuner, rules, { kind: 'ssb', date: null });
    const snapshot = explanationContext(ranking.kommuner, rules, { kind: 'snapshot', date: null });
    expect(explainKommune(by('3901'), ssb).at(-1)).toBe('Tallene er fra SSB, hentet ?.');
    expect(explainKommune(by('3901'), snapshot).at(-1)).toBe(
      'Tallene er fra det innebygde SSB-øyeblikksbildet datert ?; en oppdatering fra SSB erstatter dem.',
    );
  });

  it('says the population is unknown and leaves out the population line', () => {
    const { rules, ranking, by } = fiveKommuner({ populations: { '1822': null } });
    const ctx = explanationContext(ranking.kommuner, rules);
    const leirfjord = by('1822');
    expect(topReason(leirfjord, ctx)).toBe('ikke topp 2: folketallet er ukjent');
    expect(explainKommune(leirfjord, ctx).some((line) => line.startsWith('Folketall'))).toBe(false);
  });

  it('explains a kommune without any figures as unranked, with what is missing', () => {
    const { rules, ranking, by } = fiveKommuner({ unranked: true });
    const ctx = explanationContext(ranking.kommuner, rules);
    const tromso = by('5501');
    expect(topReason(tromso, ctx)).toBe('ikke rangert: ingen faktorer med tall');
    expect(explainKommune(tromso, ctx)).toEqual([
      'Tromsø (5501) er ikke rangert: ingen av faktorene har tall for kommunen.',
      'Mangler: Befolkningsvekst (SSB publiserer ikke tallet (for få tilfeller)), Boligbygging (SSB publiserer ikke tallet (for få tilfeller)), Inntekt (SSB publiserer ikke tallet (for få tilfeller)) og Sysselsettingsvekst (SSB publiserer ikke tallet (for få tilfeller)).',
    ]);
  });

  it('says a kommune ranked above the last top kommune lacks figures, and one below is just outside', () => {
    const { rules, ranking, by } = fiveKommuner();
    const ctx = { ...explanationContext(ranking.kommuner, rules), lastTopRank: 4 };
    expect(topReason(by('1103'), ctx)).toBe('ikke topp 2: for stor del av vekten mangler tall');
    expect(topReason(by('3901'), ctx)).toBe('utenfor topp 2');
    expect(topReason(by('1103'), explanationContext(ranking.kommuner, rules))).toBe('utenfor topp 2');
  });

  it('grades one missing factor of four as medium confidence, and shows no note for a factor without a figure', () => {
    const { rules, ranking, by } = fiveKommuner({ gaps: true });
    const ctx = explanationContext(ranking.kommuner, rules);
    expect(by('3901').confidence).toBe('medium');
    expect(explainKommune(by('3901'), ctx).at(-1)).toBe(
      'Konfidens: Middels – 25 % av vekten mangler (Boligbygging); vekten er fordelt på de andre faktorene.',
    );
    expect(explainKommune(by('1822'), ctx).join('\n')).not.toContain('usikkert');
  });

  it('says nothing of a factor, or its plans, that has no weight', () => {
    const { rules, ranking, by } = fiveKommuner({ plans: true });
    const ctx = explanationContext(ranking.kommuner, rules);
    const bergen = explainKommune(by('4601'), ctx).join('\n');
    expect(bergen).not.toContain('Byggevilje');
    expect(bergen).not.toContain('igangsatte');
    expect(factorEffects(by('4601')).map((e) => e.key)).toEqual([
      'befolkningsvekst',
      'inntekt',
      'boligbygging',
      'sysselsetting',
    ]);
  });
});

describe('explainKommune: edges of the lifts, the plan line and the figures', () => {
  const five = [
    kommune('4601', 'Bergen'),
    kommune('5001', 'Trondheim'),
    kommune('1103', 'Stavanger'),
    kommune('3901', 'Horten'),
    kommune('1822', 'Leirfjord'),
  ];
  const nrs = five.map((k) => k.kommunenummer);
  const growth = () =>
    new Map(
      [6.1, 5.2, 3.0, 1.0, -4.0].map((v, i) => [
        nrs[i]!,
        raw(v, '2025', { folketall: 50_000, fraAr: '2020' }),
      ]),
    );
  const weighted = (weights: Record<string, number>) =>
    kommuneRulesSchema.parse({
      ...rulesInput,
      weights: {
        befolkningsvekst: 0,
        framskrevetVekst: 0,
        markedsstorrelse: 0,
        boligpris: 0,
        boligbygging: 0,
        inntekt: 0,
        sysselsetting: 0,
        byggevilje: 0,
        ...weights,
      },
    });

  it('names no lifts for a top kommune that only made it because the ones above are too small', () => {
    const rules = weighted({ befolkningsvekst: 25 });
    const pops = [600, 700, 800, 27_000, 1_200];
    const ranking = rankKommuner(
      five,
      {
        befolkningsvekst: new Map(
          [6.1, 5.2, 3.0, 1.0, -4.0].map((v, i) => [
            nrs[i]!,
            raw(v, '2025', { folketall: pops[i]!, fraAr: '2020' }),
          ]),
        ),
      },
      rules,
    );
    const horten = ranking.kommuner.find((k) => k.kommune.kommunenummer === '3901')!;
    expect(topReason(horten, explanationContext(ranking.kommuner, rules))).toBe('topp 2 (nr. 4)');
  });

  it('counts an effect of exactly half a point as a lift or a pull', () => {
    // Inntekt weighs 1 of 50: Bergen's 0.75 and Horten's 0.25 are exactly +0.5 and −0.5 points.
    const rules = weighted({ befolkningsvekst: 49, inntekt: 1 });
    const ranking = rankKommuner(
      five,
      {
        befolkningsvekst: growth(),
        inntekt: new Map(
          [480_000, 470_000, 520_000, 430_000, 400_000].map((v, i) => [nrs[i]!, raw(v, '2023')]),
        ),
      },
      rules,
    );
    const by = (n: string) => ranking.kommuner.find((k) => k.kommune.kommunenummer === n)!;
    const ctx = explanationContext(ranking.kommuner, rules);
    expect(explainKommune(by('4601'), ctx)).toContain(
      `Løfter: ${lift('Befolkningsvekst +6,1 % 2020–2025', '+49,0')} og ${lift('Inntekt median 480 000 kr etter skatt i 2023', '+0,5')}.`,
    );
    expect(explainKommune(by('3901'), ctx)).toContain(
      `Trekker ned: ${lift('Befolkningsvekst +1,0 % 2020–2025', '−24,5')} og ${lift('Inntekt median 430 000 kr etter skatt i 2023', '−0,5')}.`,
    );
  });

  it('shows the plan figures with only the notes that were stored, and none for a missing Byggevilje', () => {
    const rules = weighted({ befolkningsvekst: 25, byggevilje: 25 });
    const plans = { regulertBoligDaa: 42, reserveDaa: 310, planAr: 5 };
    const notes: Record<string, Record<string, string | number>> = {
      '4601': {},
      '1103': { reserveAndelPerAr: 0.025 },
      '3901': { planDato: '2026-03-10' },
    };
    const ranking = rankKommuner(
      five,
      {
        befolkningsvekst: growth(),
        // Trondheim's starts are suppressed: the factor is missing, its plan figures unused.
        byggevilje: new Map(
          [4.0, null, 2.0, 1.0, 0.5].map((v, i) => [
            nrs[i]!,
            raw(v, '2024', { ...plans, ...notes[nrs[i]!] }),
          ]),
        ),
      },
      rules,
    );
    const by = (n: string) => ranking.kommuner.find((k) => k.kommune.kommunenummer === n)!;
    const ctx = explanationContext(ranking.kommuner, rules);
    const planLine = (n: string) =>
      explainKommune(by(n), ctx).find((line) => line.startsWith('Byggevilje fra kommunens planer'));
    const figure = 'regulerte 42 daa bolig siste 5 år, 310 daa igjen i kommuneplanens reserve';
    expect(planLine('4601')).toBe(`Byggevilje fra kommunens planer: ${figure}.`);
    expect(planLine('1103')).toBe(
      `Byggevilje fra kommunens planer: ${figure} (2,5 % av reserven regulert per år).`,
    );
    expect(planLine('3901')).toBe(`Byggevilje fra kommunens planer: ${figure} (planene lest 2026-03-10).`);
    expect(by('5001').missing).toEqual(['byggevilje']);
    expect(planLine('5001')).toBeUndefined();
  });

  it('gives a market size scored on sales and completions alone no figure', () => {
    const rules = weighted({ befolkningsvekst: 25, markedsstorrelse: 25 });
    const market = (sales: number, completed: number): FactorRaw => ({
      value: null,
      year: null,
      components: { projected: null, added: null, sales, completed },
      detail: { omsetningerPerAr: sales, fullfortePerAr: completed },
    });
    const ranking = rankKommuner(
      five,
      {
        befolkningsvekst: growth(),
        markedsstorrelse: new Map(
          [
            market(4_100, 1_900),
            market(3_300, 1_500),
            market(2_000, 900),
            market(350, 90),
            market(10, 2),
          ].map((m, i) => [nrs[i]!, m]),
        ),
      },
      rules,
    );
    const bergen = ranking.kommuner.find((k) => k.kommune.kommunenummer === '4601')!;
    expect(factorEffects(bergen).find((e) => e.key === 'markedsstorrelse')).toMatchObject({
      figure: '',
      effect: 25,
    });
  });
});
