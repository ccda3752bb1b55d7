import type { LotScoreRules } from '../../config/lot-score-rules.js';
import { INTERNAL_EPSG, type PointGeometry, type Position } from '../../domain/geometry.js';
import { transformFor } from '../../geo/crs.js';

export interface Centre {
  name: string;
  position: Position;
}

export interface Centres {
  points: Centre[];
  /** True when no centre is configured and the kommune's representative point stands in. */
  fallback: boolean;
}

/**
 * The points Sentralitet measures from: the kommune's configured centres (tettsted centres,
 * stations; EPSG:25833 or lat/lon), else kommuneinfo's `punktIOmrade`, else none.
 */
export function centresFor(
  kommunenummer: string,
  rules: LotScoreRules['sentralitet'],
  representativePoint: PointGeometry | null,
): Centres {
  const configured = rules.centres[kommunenummer];
  if (configured?.length) {
    const fromLonLat = transformFor(4326, INTERNAL_EPSG);
    return {
      fallback: false,
      points: configured.map((c) => ({
        name: c.name,
        position: 'east' in c ? [c.east, c.north] : fromLonLat([c.lon, c.lat]),
      })),
    };
  }
  if (representativePoint)
    return {
      fallback: true,
      points: [{ name: 'kommunens representasjonspunkt', position: representativePoint.coordinates }],
    };
  return { fallback: false, points: [] };
}
