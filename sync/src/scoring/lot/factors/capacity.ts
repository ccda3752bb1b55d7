import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import type { CapacityEstimate } from '../../../domain/lot.js';
import { formatInteger } from '../../../util/norwegian-format.js';
import { saturating } from '../curves.js';
import type { FactorResult } from '../types.js';

/** Kapasitet: estimated homes, rising linearly to full score at `fullScoreHomes` (200). */
export function capacityFactor(capacity: CapacityEstimate, rules: LotScoreRules['kapasitet']): FactorResult {
  const value = saturating(capacity.homes, rules.fullScoreHomes);
  const homes = homesWords(capacity.homes);
  return {
    value,
    reason:
      capacity.basis === 'not-buildable'
        ? `Planen tillater ikke ny bebyggelse (${capacity.method}).`
        : capacity.homes === 0
          ? `Ingen boliger etter anslaget (${capacity.method}); full score fra ${formatInteger(rules.fullScoreHomes)} boliger.`
          : `Anslagsvis ${homes} (${capacity.method}); full score fra ${formatInteger(rules.fullScoreHomes)} boliger.`,
  };
}

/** "ingen boliger", "1 bolig", "61 boliger". */
export function homesWords(homes: number): string {
  if (homes === 0) return 'ingen boliger';
  return homes === 1 ? '1 bolig' : `${formatInteger(homes)} boliger`;
}
