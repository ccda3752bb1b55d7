import { tierOf, type Tier } from '../domain/lot.js';

/** One colour per tier, from green (A, contact now) to red (D, archive); colour-blind-safe order. */
export const TIER_COLORS: Record<Tier, string> = {
  A: '#1a9850',
  B: '#91cf60',
  C: '#fdae61',
  D: '#d73027',
};

export const MISSING_SCORE_COLOR = '#9e9e9e';

export const TIER_LABELS: Record<Tier, string> = {
  A: 'A (80–100): kontakt nå',
  B: 'B (60–79): aktuell',
  C: 'C (40–59): følg med',
  D: 'D (under 40): arkiv',
};

export function colorForScore(score: number | null | undefined): string {
  return score === null || score === undefined || Number.isNaN(score)
    ? MISSING_SCORE_COLOR
    : TIER_COLORS[tierOf(score)];
}

/** The outline of a lot kept below the Airtable policy ("Under terskel"): dashed, faintly filled. */
export const UNDER_TERSKEL_DASH = '4 3';

/** Map styling of a lot polygon, shared by the map page and the extension. */
export function lotPolygonStyle(score: number | null | undefined, selected = false, underTerskel = false) {
  const color = colorForScore(score);
  return {
    color: selected ? '#1f3a93' : color,
    weight: selected ? 3 : 1,
    fillColor: color,
    fillOpacity: selected ? 0.7 : underTerskel ? 0.15 : 0.5,
    ...(underTerskel ? { dashArray: UNDER_TERSKEL_DASH } : {}),
  };
}
