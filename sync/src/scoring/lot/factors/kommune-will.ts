import { formatInteger } from '../../../util/norwegian-format.js';
import { clamp01, isFiniteNumber } from '../curves.js';
import type { FactorResult } from '../types.js';

/** Kommunal vilje: the kommune's 0–100 ranking score (issue 5) as 0–1. */
export function kommuneWillFactor(kommuneScore: number | null): FactorResult {
  if (!isFiniteNumber(kommuneScore))
    return { value: null, reason: 'Kommunen har ingen score i kommunerangeringen ennå.' };
  return {
    value: clamp01(kommuneScore / 100),
    reason: `Kommunen har score ${formatInteger(kommuneScore)} av 100 i kommunerangeringen.`,
  };
}
