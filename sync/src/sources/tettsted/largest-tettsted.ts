import type { AreaGeometry, PolygonCoordinates } from '../../domain/geometry.js';
import type { Tettsted, TettstedCentre } from '../../domain/tettsted.js';
import type { Geos } from '../../geo/geos.js';
import { planarArea } from '../../geo/measure.js';
import { labelPoint } from '../../geo/point-inside.js';

/** Grid for GEOS's fallback overlay when an exact one fails (near-coincident edges), metres. */
const FALLBACK_GRID_M = 0.01;

/**
 * The kommune's largest tettsted: most residents inside the kommune, counting a tettsted that
 * crosses the border by the share of its area inside (SSB gives no kommune number, and Oslo's
 * tettsted reaches into Bærum); ties go to the lower tettstedsnummer. Its centre is a point inside
 * the largest polygon of its part in the kommune (the centre of mass when that lies inside). Null
 * when no tettsted overlaps the kommune.
 */
export function largestTettsted(
  geos: Geos,
  tettsteder: readonly Tettsted[],
  boundary: AreaGeometry,
): TettstedCentre | null {
  const kommune = geos.fromGeometry(boundary);
  let best: { tettsted: Tettsted; residents: number; part: PolygonCoordinates } | null = null;
  try {
    for (const tettsted of tettsteder) {
      const whole = geos.fromGeometry(tettsted.area);
      const inside = geos.intersection(whole, kommune, FALLBACK_GRID_M);
      try {
        const parts = geos.polygonsOf(inside);
        const share = geos.area(inside) / geos.area(whole);
        const residents = tettsted.population * share;
        if (!parts.length || !(share > 0)) continue;
        if (
          !best ||
          residents > best.residents ||
          (residents === best.residents && tettsted.nr < best.tettsted.nr)
        )
          best = { tettsted, residents, part: largestPolygon(parts) };
      } finally {
        geos.destroy(whole, inside);
      }
    }
  } finally {
    geos.destroy(kommune);
  }
  if (!best) return null;
  const { tettsted, residents, part } = best;
  return {
    nr: tettsted.nr,
    name: tettsted.name,
    population: tettsted.population,
    residentsInKommune: Math.round(residents),
    position: labelPoint({ type: 'Polygon', coordinates: part }),
  };
}

function largestPolygon(parts: PolygonCoordinates[]): PolygonCoordinates {
  const areas = parts.map((p) => planarArea({ type: 'Polygon', coordinates: p }));
  return parts[areas.indexOf(Math.max(...areas))]!;
}
