import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../../sync/src/config/kommune-rules.js';
import {
  reserveShareRegulatedPerYear,
  withPlanEvidence,
  type KommunePlanEvidence,
} from '../../../../sync/src/scoring/kommune/plan-evidence.js';
import { rankKommuner } from '../../../../sync/src/scoring/kommune/rank.js';
import type { FactorRaw } from '../../../../sync/src/scoring/kommune/types.js';

/**
 * Byggevilje's plan component (issue 12, point 3): for the kommuner the nightly run scans, the
 * share of the kommuneplan's housing reserve regulated per year, percentile-ranked among them and
 * averaged with dwellings started per 1,000 (05940).
 */
const rules = kommuneRulesSchema.parse({
  weights: {
    befolkningsvekst: 0,
    framskrevetVekst: 0,
    markedsstorrelse: 0,
    boligpris: 0,
    boligbygging: 0,
    inntekt: 0,
    sysselsetting: 0,
    byggevilje: 10,
  },
});
const KOMMUNER = [
  ['0301', 'Oslo'],
  ['3207', 'Nordre Follo'],
  ['3212', 'Nesodden'],
  ['3214', 'Frogn'],
  ['3218', 'Ås'],
  ['4601', 'Bergen'],
] as const;
const kommuner = KOMMUNER.map(([kommunenummer, navn]) => ({
  kommunenummer,
  navn,
  fylkesnummer: kommunenummer.slice(0, 2),
  fylkesnavn: null,
}));
const numbers = KOMMUNER.map(([nr]) => nr);

/** Dwellings started per 1,000 inhabitants per year, 3-year average, as perThousandExtract gives it. */
const started = (value: number | null): FactorRaw =>
  value === null
    ? { value: null, year: null, components: {}, missing: 'confidential' }
    : { value, year: '2025', components: { value }, detail: { igangsatteSnitt: value * 20, ar: 3 } };
const STARTED = new Map<string, FactorRaw>([
  ['0301', started(5.8)],
  ['3207', started(4.1)],
  ['3212', started(4.1)],
  ['3214', started(3.2)],
  ['3218', started(4.6)],
  ['4601', started(3.9)],
]);

/** Ås: the sample kommune's figures from the engine (57.8 daa regulated since 2021, 3,787 daa left). */
const evidence = (nr: string, recentlyRegulatedM2: number, reserveM2: number): KommunePlanEvidence => ({
  kommunenummer: nr,
  runDate: '2026-03-10',
  years: 5,
  recentlyRegulatedM2,
  reserveM2,
});
const EVIDENCE = new Map([
  ['3207', evidence('3207', 120_000, 900_000)],
  ['3212', evidence('3212', 10_000, 1_500_000)],
  ['3218', evidence('3218', 57_765, 3_787_054)],
]);

const byggevilje = (evidenceMap: ReadonlyMap<string, KommunePlanEvidence>, r = rules, s = STARTED) => {
  const raws = withPlanEvidence(s, evidenceMap, numbers);
  const ranking = rankKommuner(kommuner, { byggevilje: raws }, r);
  return new Map(ranking.kommuner.map((k) => [k.kommune.kommunenummer, k.factors.byggevilje]));
};

describe('the share of the reserve regulated per year', () => {
  it('is recent regulation per year over the reserve as it stood then, and orders as recent ÷ reserve', () => {
    expect(reserveShareRegulatedPerYear(EVIDENCE.get('3207')!)).toBeCloseTo(120_000 / 5 / 1_020_000, 12);
    const shares = [...EVIDENCE.values()].map(reserveShareRegulatedPerYear);
    const ratios = [...EVIDENCE.values()].map((e) => e.recentlyRegulatedM2 / e.years / e.reserveM2);
    const order = (xs: Array<number | null>) => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    expect(order(shares)).toEqual(order(ratios));
    // A used-up reserve still has a share; no reserve then or now has none.
    expect(reserveShareRegulatedPerYear(evidence('1', 50_000, 0))).toBeCloseTo(0.2, 12);
    expect(reserveShareRegulatedPerYear(evidence('1', 0, 0))).toBeNull();
    // No window, no rate (never Infinity).
    expect(reserveShareRegulatedPerYear({ ...evidence('1', 50_000, 10_000), years: 0 })).toBeNull();
  });
});

describe('Byggevilje with plan evidence', () => {
  it('ranks a kommune higher that regulated more of its reserve, at the same building starts', () => {
    const factors = byggevilje(EVIDENCE);
    // Nordre Follo and Nesodden start 4.1 per 1,000 both; Nordre Follo regulated 2.4 % of its
    // reserve a year, Nesodden 0.1 %.
    expect(factors.get('3207')!.normalised!).toBeGreaterThan(factors.get('3212')!.normalised!);
    // Starts rank 0.5 for both (tied 3rd–4th of 6); the plan component 1 and 0 among the three with plans.
    expect(factors.get('3207')!.normalised).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(factors.get('3212')!.normalised).toBeCloseTo((0.5 + 0) / 2, 12);
    expect(factors.get('3207')!.detail).toMatchObject({
      igangsatteSnitt: 82,
      regulertBoligDaa: 120,
      reserveDaa: 900,
      planAr: 5,
      planDato: '2026-03-10',
    });
    expect(factors.get('3207')!.raw).toBe(4.1);
  });

  it('does not penalise kommuner without plan data: they keep their building-starts value', () => {
    const withPlans = byggevilje(EVIDENCE);
    const without = byggevilje(new Map());
    for (const nr of ['0301', '3214', '4601']) {
      expect(withPlans.get(nr)!.normalised, nr).toBe(without.get(nr)!.normalised);
      expect(withPlans.get(nr)!.detail.regulertBoligDaa, nr).toBeUndefined();
    }
    expect(without.get('3207')!.normalised).toBeCloseTo(0.5, 12);
  });

  it('weighs the components by the rule, and scores on the plans alone where SSB has no starts', () => {
    const planOff = kommuneRulesSchema.parse({ ...rules, byggeviljeComponents: { plan: 0 } });
    const factors = byggevilje(EVIDENCE, planOff);
    expect(factors.get('3207')!.normalised).toBe(factors.get('3212')!.normalised);
    const planHeavy = kommuneRulesSchema.parse({ ...rules, byggeviljeComponents: { started: 1, plan: 3 } });
    expect(byggevilje(EVIDENCE, planHeavy).get('3207')!.normalised).toBeCloseTo((0.5 + 3) / 4, 12);

    const noStarts = new Map(STARTED).set('3218', started(null));
    const plansOnly = byggevilje(EVIDENCE, rules, noStarts).get('3218')!;
    expect(plansOnly).toMatchObject({ raw: null, missing: null, normalised: 0.5 });
    expect(byggevilje(new Map(), rules, noStarts).get('3218')!.missing).toBe('confidential');
  });

  it('leaves the starts figure as it was where the plans give no share, and keeps its year and reason', () => {
    const withEmptyPlan = new Map(EVIDENCE).set('0301', evidence('0301', 0, 0));
    const raws = withPlanEvidence(STARTED, withEmptyPlan, numbers)!;
    expect(raws.get('0301')).toEqual(STARTED.get('0301'));
    expect(raws.get('3207')).toMatchObject({ value: 4.1, year: '2025' });
    const confidential = new Map(STARTED).set('3218', started(null));
    expect(withPlanEvidence(confidential, EVIDENCE, numbers)!.get('3218')).toMatchObject({
      value: null,
      missing: 'confidential',
    });
    expect(withPlanEvidence(STARTED, EVIDENCE, numbers)!.get('3218')).not.toHaveProperty('missing');
  });

  it('keeps the reason of a table missing for all where only the scanned kommuner have plans', () => {
    const raws = withPlanEvidence(undefined, EVIDENCE, numbers);
    const ranked = rankKommuner(kommuner, { byggevilje: raws }, rules).kommuner;
    const factors = new Map(ranked.map((k) => [k.kommune.kommunenummer, k.factors.byggevilje]));
    expect(factors.get('3207')!.normalised).toBe(1);
    expect(factors.get('0301')).toMatchObject({ normalised: null, missing: 'factor not fetched' });
    expect(withPlanEvidence(undefined, new Map(), numbers)).toBeUndefined();
  });
});
