import { colorForScore } from '@tomtejakt/sync/presentation';

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

/** A cluster takes the colour of its lots' mean score, so a green blob is worth zooming into. */
export function clusterColor(scoreSum: number, scored: number): string {
  return colorForScore(scored === 0 ? null : scoreSum / scored);
}

/** Cluster diameter in px: grows with the log of the count, from 28 to 56. */
export const clusterSize = (count: number): number =>
  Math.round(Math.min(56, 28 + 7 * Math.log10(Math.max(1, count))));

export function clusterLabel(count: number): string {
  return count < 1000 ? String(count) : `${(count / 1000).toFixed(1).replace('.', ',')}k`;
}
