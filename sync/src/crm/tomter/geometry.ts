import { area } from '@turf/area';
import { simplify } from '@turf/simplify';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry } from '../../domain/geometry.js';
import { mapPositions, toLonLat } from '../../geo/crs.js';
import { lonLatGeometry } from '../../geo/lon-lat.js';

/** Airtable text cells hold at most 100,000 characters (support: "Using rich text"); keep a margin. */
export const MAX_GEOMETRY_CHARACTERS = 99_000;
/** Simplification may change the area by at most this share. */
export const MAX_AREA_CHANGE = 0.01;
/** Douglas–Peucker tolerances tried, in metres (EPSG:25833), smallest first. */
const TOLERANCES_M = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16];

export interface AirtableGeometry {
  /** GeoJSON geometry in lon/lat (EPSG:4326), or null when it could not be made to fit. */
  geojson: string | null;
  /** Douglas–Peucker tolerance used (m); 0 when the geometry fitted as it was. */
  toleranceM: number;
  /** Relative area change caused by simplification. */
  areaChange: number;
}

const asFeature = (geometry: AreaGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry: geometry as Polygon | MultiPolygon,
});

const geoJsonText = (lonLat: AreaGeometry) =>
  JSON.stringify({ type: lonLat.type, coordinates: lonLat.coordinates });

/**
 * A lot's geometry as Airtable's Geometri field holds it: lon/lat GeoJSON under the cell limit.
 * Lots that are too detailed are simplified in metres with growing tolerance; a tolerance that
 * would change the area by more than 1 % is never used.
 */
export function airtableGeometry(geometry: AreaGeometry): AirtableGeometry {
  const originalArea = area(asFeature(mapPositions(geometry, toLonLat)));
  const change = (lonLat: AreaGeometry) =>
    originalArea > 0 ? Math.abs(area(asFeature(lonLat)) - originalArea) / originalArea : 0;
  const whole = lonLatGeometry(geometry);
  const text = geoJsonText(whole);
  if (text.length <= MAX_GEOMETRY_CHARACTERS)
    return { geojson: text, toleranceM: 0, areaChange: change(whole) };
  for (const tolerance of TOLERANCES_M) {
    const simplified = simplify(asFeature(geometry), { tolerance, highQuality: true, mutate: false })
      .geometry as AreaGeometry;
    const candidate = lonLatGeometry(simplified);
    const areaChange = change(candidate);
    if (areaChange > MAX_AREA_CHANGE) break;
    const candidateText = geoJsonText(candidate);
    if (candidateText.length <= MAX_GEOMETRY_CHARACTERS)
      return { geojson: candidateText, toleranceM: tolerance, areaChange };
  }
  return { geojson: null, toleranceM: Number.NaN, areaChange: Number.NaN };
}
