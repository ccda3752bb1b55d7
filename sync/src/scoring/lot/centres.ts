import type { LotScoreRules } from '../../config/lot-score-rules.js';
import { INTERNAL_EPSG, type PointGeometry, type Position } from '../../domain/geometry.js';
import type { CentreData } from '../../domain/tettsted.js';
import { transformFor } from '../../geo/crs.js';

export interface Centre {
  name: string;
  position: Position;
}

export interface Centres {
  points: Centre[];
  /** True when neither a configured centre nor a tettsted is known and the representative point stands in. */
  fallback: boolean;
  /** Why the representative point stands in (said in the explanation); null when it does not or not known. */
  fallbackWhy: string | null;
}

/**
 * The points Sentralitet measures from: the kommune's configured centres (tettsted centres,
 * stations; EPSG:25833 or lat/lon), else the middle of its largest tettsted (SSB), else
 * kommuneinfo's `punktIOmrade` with the reason, else none.
 */
export function centresFor(
  kommunenummer: string,
  rules: LotScoreRules['sentralitet'],
  representativePoint: PointGeometry | null,
  tettsted?: CentreData,
): Centres {
  const configured = rules.centres[kommunenummer];
  if (configured?.length) {
    const fromLonLat = transformFor(4326, INTERNAL_EPSG);
    return {
      fallback: false,
      fallbackWhy: null,
      points: configured.map((c) => ({
        name: c.name,
        position: 'east' in c ? [c.east, c.north] : fromLonLat([c.lon, c.lat]),
      })),
    };
  }
  if (tettsted?.centre)
    return {
      fallback: false,
      fallbackWhy: null,
      points: [
        { name: `${tettsted.centre.name} (kommunens største tettsted)`, position: tettsted.centre.position },
      ],
    };
  if (representativePoint)
    return {
      fallback: true,
      fallbackWhy: fallbackWhy(tettsted),
      points: [{ name: 'kommunens representasjonspunkt', position: representativePoint.coordinates }],
    };
  return { fallback: false, fallbackWhy: null, points: [] };
}

function fallbackWhy(tettsted: CentreData | undefined): string | null {
  if (!tettsted) return null;
  return tettsted.status === 'unavailable' ? 'tettstedsdata mangler' : 'SSB har ikke noe tettsted i kommunen';
}
