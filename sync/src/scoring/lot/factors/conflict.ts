import type { ConstraintCoverage } from '../../../domain/lot.js';
import { formatPercent } from '../../../util/norwegian-format.js';
import { clamp01 } from '../curves.js';
import type { FactorResult } from '../types.js';
import { joinNorwegian } from '../wording.js';

/**
 * Konfliktfrihet: 1 minus the weighted share of the lot under constraints (Σ weight × fraction,
 * floored at 0). Overlapping types both count: a flood zone under a noise zone is two problems.
 */
export function conflictFactor(constraints: readonly ConstraintCoverage[]): FactorResult {
  const present = constraints.filter((c) => c.fraction > 0);
  const value = clamp01(1 - present.reduce((sum, c) => sum + c.weight * c.fraction, 0));
  if (present.length === 0)
    return {
      value,
      reason: 'Ingen hensynssoner, båndlegginger eller andre begrensninger berører tomten i dataene vi har.',
    };
  const ordered = [...present].sort(
    (a, b) =>
      Number(b.severe) - Number(a.severe) ||
      b.weight * b.fraction - a.weight * a.fraction ||
      // Stryker disable next-line EqualityOperator: constraint keys are unique, so a tie on the key is never compared
      (a.key < b.key ? -1 : 1),
  );
  const parts = ordered.map(
    (c) =>
      `${c.label.toLowerCase()} på ${formatPercent(c.fraction)} av tomten${c.severe ? ' (alvorlig)' : ''}`,
  );
  return { value, reason: `Begrensninger: ${joinNorwegian(parts)}.` };
}
