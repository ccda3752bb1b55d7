import { describe, expect, it } from 'vitest';
import { LOT_FACTOR_KEYS, type LotFactorKey } from '../../../../sync/src/config/lot-score-rules.js';
import { combineFactors, distributeTenths } from '../../../../sync/src/scoring/lot/total.js';
import type { FactorResults } from '../../../../sync/src/scoring/lot/types.js';
import { defaultLotRules, lotRules } from './lot-fixtures.js';
import { cases } from '../../../helpers/test-effort.js';

const results = (values: Partial<Record<LotFactorKey, number | null>>, fill = 0.5): FactorResults =>
  Object.fromEntries(
    LOT_FACTOR_KEYS.map((key) => [key, { value: key in values ? values[key]! : fill, reason: `${key}.` }]),
  ) as FactorResults;

const weightSum = (rules: ReturnType<typeof defaultLotRules>) =>
  LOT_FACTOR_KEYS.reduce((s, k) => s + rules.weights[k], 0);

/** A small seeded generator, so the property checks below are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('combineFactors', () => {
  it('gives the customer model’s points: weight × value, summed and rounded', () => {
    const combined = combineFactors(
      results({
        storrelse: 1,
        kapasitet: 0.5,
        sentralitet: 0.8,
        infrastruktur: 1,
        konfliktfrihet: 0.5,
        kommunalVilje: 0.72,
        eierstruktur: 0.65,
      }),
      defaultLotRules(),
    );
    // 15 + 10 + 12 + 10 + 10 + 7.2 + 6.5 = 70.7
    expect(combined.total).toBe(71);
    expect(combined.factors.map((f) => [f.label, f.weight])).toEqual([
      ['Størrelse', 15],
      ['Kapasitet', 20],
      ['Sentralitet', 15],
      ['Infrastruktur', 10],
      ['Konfliktfrihet', 20],
      ['Kommunal vilje', 10],
      ['Eierstruktur', 10],
    ]);
    expect(combined.factors.reduce((s, f) => s + f.points, 0)).toBeCloseTo(71, 9);
    // The 0.3 rounded up goes to the factors whose own rounding lost the most, never above their weight.
    expect(combined.factors.find((f) => f.key === 'storrelse')!.points).toBe(15);
  });

  it('always sums its one-decimal points to the total, for any values and weights', () => {
    const next = random(6);
    let worst = 0;
    for (let run = 0; run < cases(500, 60); run++) {
      const weights = Object.fromEntries(LOT_FACTOR_KEYS.map((k) => [k, Math.round(next() * 30)]));
      if (Object.values(weights).every((w) => w === 0)) weights.kapasitet = 1;
      const rules = lotRules({ weights });
      const values = Object.fromEntries(
        LOT_FACTOR_KEYS.map((k) => [k, next() < 0.1 ? null : Math.round(next() * 10_000) / 10_000]),
      );
      const combined = combineFactors(results(values), rules);
      const tenths = combined.factors.map((f) => Math.round(f.points * 10));
      expect(tenths.reduce((a, b) => a + b, 0)).toBe(combined.total * 10);
      for (const f of combined.factors) {
        expect(
          Number.isInteger(Math.round(f.points * 10)) &&
            Math.abs(f.points * 10 - Math.round(f.points * 10)) < 1e-9,
        ).toBe(true);
        expect(f.points).toBeGreaterThanOrEqual(0);
        // A factor that earned nothing is never handed a rounding tenth.
        if (f.value === 0) expect(f.points).toBe(0);
        if (f.value !== null)
          worst = Math.max(
            worst,
            Math.abs(f.points - (rules.weights[f.key as LotFactorKey] / weightSum(rules)) * 100 * f.value),
          );
      }
      expect(combined.total).toBeGreaterThanOrEqual(0);
      expect(combined.total).toBeLessThanOrEqual(100);
    }
    // Each factor's shown points stay within a few tenths of its exact points.
    expect(worst).toBeLessThanOrEqual(0.15);
  });

  it('counts a missing factor as neutral, or as the mean of the others when that is lower', () => {
    const good = combineFactors(results({ kommunalVilje: null }, 0.9), defaultLotRules());
    const vilje = good.factors.find((f) => f.key === 'kommunalVilje')!;
    expect(vilje.value).toBeNull();
    expect(vilje.points).toBeCloseTo(5, 9); // neutral 0.5 (the others average 0.9)
    expect(vilje.reason).toBe('kommunalVilje. Regnet som 50 % (nøytral verdi).');
    expect(good.total).toBe(86); // 90 × 0.9 + 5

    const poor = combineFactors(results({ kommunalVilje: null }, 0.2), defaultLotRules());
    expect(poor.factors.find((f) => f.key === 'kommunalVilje')!.reason).toBe(
      'kommunalVilje. Regnet som 20 % (snittet av de andre faktorene).',
    );
    expect(poor.total).toBe(20); // the same as leaving the factor out
    expect(poor.missing).toEqual(['kommunalVilje']);
    expect(poor.missingShare).toBeCloseTo(0.1, 9);
  });

  it('never scores higher with a factor missing than with it present at the neutral value', () => {
    const next = random(11);
    for (let run = 0; run < cases(500, 60); run++) {
      const values = Object.fromEntries(LOT_FACTOR_KEYS.map((k) => [k, next()]));
      const key = LOT_FACTOR_KEYS[Math.floor(next() * LOT_FACTOR_KEYS.length)]!;
      const missing = combineFactors(results({ ...values, [key]: null }), defaultLotRules());
      const neutral = combineFactors(results({ ...values, [key]: 0.5 }), defaultLotRules());
      expect(missing.total).toBeLessThanOrEqual(neutral.total);
    }
  });

  it('scales weights that do not sum to 100, so the total stays 0–100', () => {
    const rules = lotRules({
      weights: {
        storrelse: 30,
        kapasitet: 0,
        sentralitet: 0,
        infrastruktur: 0,
        konfliktfrihet: 10,
        kommunalVilje: 0,
        eierstruktur: 0,
      },
    });
    const combined = combineFactors(results({ storrelse: 1, konfliktfrihet: 0 }), rules);
    expect(combined.total).toBe(75);
    expect(combined.factors.find((f) => f.key === 'storrelse')).toMatchObject({ weight: 75, points: 75 });
    expect(combined.factors.find((f) => f.key === 'kapasitet')).toMatchObject({ weight: 0, points: 0 });
  });
});

describe('distributeTenths', () => {
  it('hands the rounding difference to the largest remainders, within each cap', () => {
    expect(distributeTenths([33.3, 33.3, 33.4], [1000, 1000, 1000], 100)).toEqual([33, 33, 34]);
    expect(distributeTenths([10.4, 10.4, 10.4], [1000, 1000, 1000], 32)).toEqual([11, 11, 10]);
    expect(distributeTenths([150, 49.6], [150, 200], 200)).toEqual([150, 50]);
    expect(distributeTenths([150, 0.4], [150, 200], 151)).toEqual([150, 1]);
  });
});
