import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import { distanceDecay } from '../curves.js';
import type { FactorResult } from '../types.js';
import { formatDistance } from '../wording.js';

export interface CentreDistance {
  name: string;
  distance: number;
}

/**
 * Sentralitet: distance from the lot to the nearest centre, full score within `fullScoreM`,
 * none from `zeroScoreM`. Without any centre point the factor has no data.
 */
export function centralityFactor(
  nearest: CentreDistance | null,
  fallback: boolean,
  rules: LotScoreRules['sentralitet'],
): FactorResult {
  if (!nearest) return { value: null, reason: 'Ingen sentrumspunkt er kjent for kommunen.' };
  const value = distanceDecay(nearest.distance, rules.fullScoreM, rules.zeroScoreM);
  const where = fallback ? `${nearest.name} (ikke et konfigurert sentrum)` : nearest.name;
  const scale = `full score innen ${formatDistance(rules.fullScoreM)}, ingen fra ${formatDistance(rules.zeroScoreM)}`;
  return {
    value,
    reason:
      nearest.distance === 0
        ? `Tomten omfatter ${where}.`
        : `${formatDistance(nearest.distance)} til ${where} (${scale}).`,
  };
}
