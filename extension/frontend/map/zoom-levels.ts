import { MISSING_SCORE_COLOR, TIER_COLORS, tierOf } from '@tomtejakt/sync/presentation';

/**
 * From this zoom the lots are drawn as their polygons: at 14 a pixel is about 5 m in southern
 * Norway, so a 1 daa lot is some 7 px across and can be seen and clicked. Below it each lot is a
 * score-coloured point, and points close together merge into clusters up to CLUSTER_MAX_ZOOM.
 */
export const POLYGON_MIN_ZOOM = 14;
export const CLUSTER_MAX_ZOOM = 11;

export type MapMode = 'clusters' | 'points' | 'polygons';

export function modeForZoom(zoom: number): MapMode {
  if (zoom >= POLYGON_MIN_ZOOM) return 'polygons';
  return zoom > CLUSTER_MAX_ZOOM ? 'points' : 'clusters';
}

/** How many lots of each tier a cluster holds ('-' for lots without a score). */
export type TierCounts = Record<'A' | 'B' | 'C' | 'D' | '-', number>;

export const tierCountsOf = (score: number | null): TierCounts => {
  const counts: TierCounts = { A: 0, B: 0, C: 0, D: 0, '-': 0 };
  counts[score === null ? '-' : tierOf(score)] = 1;
  return counts;
};

/**
 * A cluster is a ring split by tier (A green first, clockwise), so a cluster with a few A lots
 * among many D lots still shows its green slice: the mean would hide what the sales team seeks.
 */
export function clusterBackground(counts: TierCounts): string {
  const total = counts.A + counts.B + counts.C + counts.D + counts['-'];
  const colors: Array<[keyof TierCounts, string]> = [
    ['A', TIER_COLORS.A],
    ['B', TIER_COLORS.B],
    ['C', TIER_COLORS.C],
    ['D', TIER_COLORS.D],
    ['-', MISSING_SCORE_COLOR],
  ];
  let at = 0;
  const stops: string[] = [];
  for (const [tier, color] of colors) {
    if (!counts[tier]) continue;
    const end = at + (counts[tier] / total) * 100;
    stops.push(`${color} ${at.toFixed(1)}% ${end.toFixed(1)}%`);
    at = end;
  }
  return stops.length === 1 ? stops[0]!.split(' ')[0]! : `conic-gradient(${stops.join(', ')})`;
}

/** Cluster diameter in px: grows with the log of the count, from 28 to 56. */
export const clusterSize = (count: number): number =>
  Math.round(Math.min(56, 28 + 7 * Math.log10(Math.max(1, count))));

export function clusterLabel(count: number): string {
  return count < 1000 ? String(count) : `${(count / 1000).toFixed(1).replace('.', ',')}k`;
}
