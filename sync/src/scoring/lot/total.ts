import { LOT_FACTOR_KEYS, type LotFactorKey, type LotScoreRules } from '../../config/lot-score-rules.js';
import type { FactorScore } from '../../domain/lot.js';
import { formatPercent } from '../../util/norwegian-format.js';
import type { FactorResults } from './types.js';

export const FACTOR_LABELS: Record<LotFactorKey, string> = {
  storrelse: 'Størrelse',
  kapasitet: 'Kapasitet',
  sentralitet: 'Sentralitet',
  infrastruktur: 'Infrastruktur',
  konfliktfrihet: 'Konfliktfrihet',
  kommunalVilje: 'Kommunal vilje',
  eierstruktur: 'Eierstruktur',
};

export interface CombinedScore {
  /** 0–100, the rounded weighted sum. */
  total: number;
  /** In LOT_FACTOR_KEYS order; their points (one decimal) add up to `total` exactly. */
  factors: FactorScore[];
  missing: LotFactorKey[];
  /** Share of the total weight whose factors have no data, 0–1. */
  missingShare: number;
}

/**
 * Weighted sum of the factors, × 100, rounded. Weights are scaled to sum to 100, so a factor's
 * weight is its maximum points. A factor without data counts as `missingFactorValue` or as the
 * weighted mean of the present factors, whichever is lower: the score is never above what either
 * the neutral value or leaving the factor out would give. A factor may name its own, lower
 * assumption (Infrastruktur without road data assumes none: a zero we would otherwise have given).
 *
 * Rounding: each factor's points are rounded to tenths; the total is the rounded exact sum; the
 * few tenths between them go, one at a time, to the factors whose own rounding lost the most (or
 * come from those that gained the most), never below 0 or above the factor's weight. So the shown
 * points always add up to the total, and each is within a few tenths of its exact value.
 */
export function combineFactors(
  results: FactorResults,
  rules: Pick<LotScoreRules, 'weights' | 'missingFactorValue'>,
): CombinedScore {
  const weightSum = LOT_FACTOR_KEYS.reduce((sum, key) => sum + rules.weights[key], 0);
  const maxPoints = (key: LotFactorKey) => (rules.weights[key] / weightSum) * 100;
  const missing = LOT_FACTOR_KEYS.filter((key) => results[key].value === null);
  const presentWeight = LOT_FACTOR_KEYS.filter((k) => results[k].value !== null).reduce(
    (sum, key) => sum + rules.weights[key],
    0,
  );
  const presentMean =
    presentWeight > 0
      ? LOT_FACTOR_KEYS.reduce((sum, key) => sum + rules.weights[key] * (results[key].value ?? 0), 0) /
        presentWeight
      : rules.missingFactorValue;
  const assumed = Math.min(rules.missingFactorValue, presentMean);

  const valueOf = (key: LotFactorKey) => results[key].value ?? results[key].assumed ?? assumed;
  const exact = LOT_FACTOR_KEYS.map((key) => maxPoints(key) * valueOf(key));
  const total = Math.round(cleanSum(exact));
  const tenths = distributeTenths(
    exact.map((p) => p * 10),
    LOT_FACTOR_KEYS.map((key) => Math.round(maxPoints(key) * 10)),
    total * 10,
  );

  const factors: FactorScore[] = LOT_FACTOR_KEYS.map((key, i) => {
    const result = results[key];
    return {
      key,
      label: FACTOR_LABELS[key],
      weight: Math.round(maxPoints(key) * 10) / 10,
      value: result.value,
      points: tenths[i]! / 10,
      reason:
        result.value === null
          ? `${result.reason} ${assumption(result.assumed, assumed, rules.missingFactorValue)}`
          : result.reason,
    };
  });
  return {
    total,
    factors,
    missing,
    missingShare: missing.reduce((sum, key) => sum + rules.weights[key], 0) / weightSum,
  };
}

function assumption(own: number | undefined, assumed: number, neutral: number): string {
  if (own !== undefined) return `Regnet som ${formatPercent(own)} til data finnes.`;
  return `Regnet som ${formatPercent(assumed)} (${assumed < neutral ? 'snittet av de andre faktorene' : 'nøytral verdi'}).`;
}

/** A sum freed of floating-point noise (72.49999999999 → 72.5), so rounding is what a reader expects. */
function cleanSum(values: readonly number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

/**
 * Integers near `exact` (each within [0, cap]) that sum to `target`: largest-remainder rounding.
 * Moves go first to factors that earned points, and only as a last resort to one that earned none.
 */
export function distributeTenths(
  exact: readonly number[],
  caps: readonly number[],
  target: number,
): number[] {
  // NaN never equals the target: the moves below would not end.
  if (![...exact, ...caps, target].every(Number.isFinite))
    throw new RangeError(`points to distribute must be finite numbers: ${exact.join(', ')} → ${target}`);
  const clean = exact.map((x) => Math.round(x * 1e6) / 1e6);
  const result = clean.map((x, i) => Math.min(caps[i]!, Math.max(0, Math.round(x))));
  let diff = target - result.reduce((a, b) => a + b, 0);
  // Stryker disable next-line EqualityOperator: with diff 0 nothing moves, whichever way the step points
  const step = diff > 0 ? 1 : -1;
  // Lost by rounding so far (exact − current): the most-lost gets the next tenth, the most-gained
  // gives one. Only a factor still between the whole numbers around its exact value is ever ahead
  // of one outside them, so no move takes a factor past them while another could take it.
  // Array sort is stable (ES2019): ties keep factor order.
  const order = () => {
    const lost = clean.map((x, i) => ({ i, lost: x - result[i]! }));
    // Stryker disable next-line EqualityOperator: step is 1 or −1, never 0
    lost.sort((a, b) => (step > 0 ? b.lost - a.lost : a.lost - b.lost));
    return lost.map((o) => o.i);
  };
  for (const allowed of [(i: number) => clean[i]! > 0, () => true]) {
    let moved = true;
    while (moved) {
      moved = false;
      for (const i of order()) {
        if (diff === 0) break;
        const next = result[i]! + step;
        if (next < 0 || next > caps[i]! || !allowed(i)) continue;
        result[i] = next;
        diff -= step;
        moved = true;
      }
    }
  }
  // Only when weights that do not sum to 100 round their caps short: the first factor in line takes it.
  result[order()[0]!]! += diff;
  return result;
}
