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

  it('says what a missing factor was counted as; a present factor keeps its own reason', () => {
    const input = results({ sentralitet: 0.8, kapasitet: null });
    input.infrastruktur = { value: null, assumed: 0, reason: 'Ingen vegdata.' };
    const combined = combineFactors(input, defaultLotRules());
    const reason = (key: LotFactorKey) => combined.factors.find((f) => f.key === key)!.reason;
    expect(reason('sentralitet')).toBe('sentralitet.');
    expect(reason('kapasitet')).toBe('kapasitet. Regnet som 50 % (nøytral verdi).');
    expect(reason('infrastruktur')).toBe('Ingen vegdata. Regnet som 0 % til data finnes.');
    expect(combined.factors.find((f) => f.key === 'infrastruktur')!.points).toBe(0);
  });

  it('scores a lot with no factor data at the neutral value', () => {
    const none = Object.fromEntries(
      LOT_FACTOR_KEYS.map((key) => [key, { value: null, reason: `${key} mangler.` }]),
    ) as FactorResults;
    const combined = combineFactors(none, defaultLotRules());
    expect(combined.total).toBe(50);
    expect(combined.missingShare).toBe(1);
    expect(combined.factors.reduce((sum, f) => sum + f.points, 0)).toBeCloseTo(50, 6);
    expect(combined.factors[0]!.reason).toBe('storrelse mangler. Regnet som 50 % (nøytral verdi).');
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
    // The remainder decides (0.4 over 0.3), not the size of the points.
    expect(distributeTenths([0.4, 5.3], [1000, 1000], 6)).toEqual([1, 5]);
  });

  it('fills a factor up to its cap exactly, and never past it', () => {
    expect(distributeTenths([149.4, 10.4], [150, 200], 160)).toEqual([150, 10]);
    expect(distributeTenths([149.6, 10.4], [150, 200], 161)).toEqual([150, 11]);
  });

  it('takes a surplus tenth from the factor that gained most by rounding, not the one that gained least', () => {
    // 1.6, 1.6 and 1.8 all round up (6 for 5): the first 1.6 gained most (0.4, tie by factor order).
    expect(distributeTenths([1.6, 1.8, 1.6], [1000, 1000, 1000], 5)).toEqual([1, 2, 2]);
    expect(distributeTenths([1.8, 1.6], [1000, 1000], 3)).toEqual([2, 1]);
  });

  it('takes tenths from factors that gained most, down to 0 and never below', () => {
    // 0.5 and 10.5 both round up; the tie goes by factor order, and the first may reach 0.
    expect(distributeTenths([0.5, 10.5], [1000, 1000], 11)).toEqual([0, 11]);
    expect(distributeTenths([0.3, 5.6], [1000, 1000], 4)).toEqual([0, 4]);
  });

  it('gives a tenth to a factor that earned none only when every other one is full', () => {
    expect(distributeTenths([0, 10.6, 10.6], [1000, 1000, 1000], 23)).toEqual([0, 12, 11]);
    expect(distributeTenths([0, 10, 10], [1000, 10, 10], 21)).toEqual([1, 10, 10]);
  });

  it('refuses points that are not numbers instead of looping for ever', () => {
    expect(() => distributeTenths([NaN, 10], [100, 100], 10)).toThrow(/must be finite numbers: NaN, 10 → 10/);
    expect(() => distributeTenths([5, 5], [100, Infinity], 10)).toThrow(RangeError);
    expect(() => distributeTenths([5, 5], [100, 100], NaN)).toThrow(RangeError);
  });

  it('lets the first factor in line take what caps rounded short cannot hold', () => {
    // Three equal weights: caps of 33.3 points each hold 99.9 of a 100-point total.
    const third = 1000 / 3;
    expect(distributeTenths([third, third, third], [333, 333, 333], 1000)).toEqual([334, 333, 333]);
  });
});
