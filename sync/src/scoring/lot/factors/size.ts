import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import { formatDaa } from '../../../util/norwegian-format.js';
import { saturating } from '../curves.js';
import type { FactorResult } from '../types.js';

/**
 * Størrelse: the lot's buildable area (outside severe constraints), rising linearly to full score
 * at `fullScoreM2` (20 daa).
 */
export function sizeFactor(
  arealM2: number,
  buildableM2: number,
  rules: LotScoreRules['storrelse'],
): FactorResult {
  const value = saturating(buildableM2, rules.fullScoreM2);
  const full = formatDaa(rules.fullScoreM2);
  const area =
    buildableM2 < 50
      ? `Tomten er på ${formatDaa(arealM2)}, men hele tomten ligger under alvorlige begrensninger`
      : buildableM2 < arealM2 - 0.5
        ? `Tomten er på ${formatDaa(arealM2)}, og ${formatDaa(buildableM2)} av den ligger utenfor alvorlige begrensninger`
        : `Tomten er på ${formatDaa(arealM2)}`;
  return { value, reason: `${area}; full score fra ${full}.` };
}
