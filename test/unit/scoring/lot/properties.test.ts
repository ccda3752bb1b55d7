import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOT_FACTOR_KEYS, type LotFactorKey } from '../../../../sync/src/config/lot-score-rules.js';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { combineFactors } from '../../../../sync/src/scoring/lot/total.js';
import type { FactorResults } from '../../../../sync/src/scoring/lot/types.js';
import { cases } from '../../../helpers/test-effort.js';

/** Any mix of factor values (some without data) and any positive weights a rule file may set. */
const factorValues = fc.tuple(
  ...LOT_FACTOR_KEYS.map(() => fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null })),
);
const weights = fc.tuple(...LOT_FACTOR_KEYS.map(() => fc.integer({ min: 1, max: 40 })));

const resultsOf = (values: Array<number | null>): FactorResults =>
  Object.fromEntries(
    LOT_FACTOR_KEYS.map((key, i) => [key, { value: values[i] ?? null, reason: 'test' }]),
  ) as FactorResults;

describe('lot score properties', () => {
  it('the factors’ points always add up to the total, each within 0 and its weight', () => {
    fc.assert(
      fc.property(factorValues, weights, (values, w) => {
        const rules = {
          ...defaultRules().lotScore,
          weights: Object.fromEntries(LOT_FACTOR_KEYS.map((k, i) => [k, w[i]!])) as Record<
            LotFactorKey,
            number
          >,
        };
        const score = combineFactors(resultsOf(values), rules);
        const points = score.factors.reduce((sum, f) => sum + f.points * 10, 0);
        expect(Math.round(points)).toBe(score.total * 10);
        expect(score.total).toBeGreaterThanOrEqual(0);
        expect(score.total).toBeLessThanOrEqual(100);
        for (const factor of score.factors) {
          expect(factor.points).toBeGreaterThanOrEqual(0);
          expect(factor.points).toBeLessThanOrEqual(factor.weight + 1e-9);
        }
      }),
      { numRuns: cases(2000, 200) },
    );
  });

  it('a factor without data never raises the score above leaving it at the neutral value', () => {
    fc.assert(
      fc.property(
        factorValues,
        fc.integer({ min: 0, max: LOT_FACTOR_KEYS.length - 1 }),
        (values, missing) => {
          const rules = defaultRules().lotScore;
          const withNeutral = [...values];
          withNeutral[missing] = rules.missingFactorValue;
          const withMissing = [...values];
          withMissing[missing] = null;
          expect(combineFactors(resultsOf(withMissing), rules).total).toBeLessThanOrEqual(
            combineFactors(resultsOf(withNeutral), rules).total,
          );
        },
      ),
      { numRuns: cases(1000, 100) },
    );
  });
});
