import type { CapacityEstimate, ConstraintCoverage, FactorScore, LotScore } from '../domain/lot.js';

/**
 * What the "Scoredetaljer" field holds: the score's parts as JSON, so the map page and the
 * extension can show every factor's points without recomputing anything.
 */
export interface ScoreDetails {
  version: 1;
  factors: Array<Pick<FactorScore, 'key' | 'label' | 'weight' | 'value' | 'points' | 'reason'>>;
  constraints: Array<Pick<ConstraintCoverage, 'key' | 'label' | 'fraction' | 'severe'>>;
  capacity: CapacityEstimate;
  confidenceReasons: string[];
}

export function scoreDetailsOf(score: LotScore): ScoreDetails {
  return {
    version: 1,
    factors: score.factors.map(({ key, label, weight, value, points, reason }) => ({
      key,
      label,
      weight,
      value: value === null ? null : Math.round(value * 1000) / 1000,
      points: Math.round(points * 10) / 10,
      reason,
    })),
    constraints: score.constraints
      .filter((c) => c.fraction > 0)
      .map(({ key, label, fraction, severe }) => ({
        key,
        label,
        fraction: Math.round(fraction * 1000) / 1000,
        severe,
      })),
    capacity: score.capacity,
    confidenceReasons: score.confidenceReasons,
  };
}

/** Parses the field; a missing or damaged value gives null rather than an exception in a UI. */
export function parseScoreDetails(text: unknown): ScoreDetails | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  try {
    const value = JSON.parse(text) as Partial<ScoreDetails>;
    if (value.version !== 1 || !Array.isArray(value.factors) || !Array.isArray(value.constraints))
      return null;
    return value as ScoreDetails;
  } catch {
    return null;
  }
}
