import type { Confidence, Tier } from '../domain/lot.js';

/** How sure a score is, as the sales team reads it. */
export const ConfidenceLabel: Record<Confidence, string> = { high: 'Høy', medium: 'Middels', low: 'Lav' };

export const TIERS: readonly Tier[] = ['A', 'B', 'C', 'D'];
