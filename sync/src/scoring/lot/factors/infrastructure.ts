import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import { distanceDecay } from '../curves.js';
import type { FactorResult } from '../types.js';
import { capitalise, formatDistance } from '../wording.js';

export interface AccessDistance {
  label: string;
  distance: number;
}

/**
 * Infrastruktur: distance to the nearest regulated road or existing built zone, full score within
 * `fullScoreM`, none from `zeroScoreM`. When nothing is found and the road data is incomplete (no
 * reguleringsplan data for the kommune), the factor has no data and counts as 0 until it does.
 */
export function infrastructureFactor(
  nearest: AccessDistance | null,
  roadDataComplete: boolean,
  rules: LotScoreRules['infrastruktur'],
): FactorResult {
  if (!nearest) {
    if (!roadDataComplete)
      return {
        value: null,
        // What full data could at worst show: no road within reach. Missing data never lifts the score.
        assumed: 0,
        reason: `Ingen eksisterende bebyggelse innen ${formatDistance(rules.zeroScoreM)}, og regulerte veger er ukjente (reguleringsplandata mangler).`,
      };
    return {
      value: 0,
      reason: `Ingen regulert veg eller eksisterende bebyggelse innen ${formatDistance(rules.zeroScoreM)}.`,
    };
  }
  const value = distanceDecay(nearest.distance, rules.fullScoreM, rules.zeroScoreM);
  return {
    value,
    reason:
      // Stryker disable next-line EqualityOperator: at exactly 1 m "grenser til tomten" and "0 m unna" (distances show in 10 m steps) say the same
      nearest.distance < 1
        ? `${capitalise(nearest.label)} grenser til tomten.`
        : `${capitalise(nearest.label)} ${formatDistance(nearest.distance)} unna (full score innen ${formatDistance(rules.fullScoreM)}).`,
  };
}
