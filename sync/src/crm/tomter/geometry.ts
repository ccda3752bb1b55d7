import { area, booleanPointInPolygon, centerOfMass, pointOnFeature, simplify } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry, Position } from '../../domain/geometry.js';
import { mapPositions, toLonLat } from '../../geo/crs.js';

/** Airtable text cells hold at most 100,000 characters (support: "Using rich text"); keep a margin. */
export const MAX_GEOMETRY_CHARACTERS = 99_000;
/** Simplification may change the area by at most this share. */
export const MAX_AREA_CHANGE = 0.01;
/** 7 decimals of a degree: about 1 cm, so rounding never changes a lot’s area noticeably. */
const DECIMALS = 7;
/** Douglas–Peucker tolerances tried, in metres (EPSG:25833), smallest first. */
const TOLERANCES_M = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16];

export interface AirtableGeometry {
  /** GeoJSON geometry in lon/lat (EPSG:4326), or null when it could not be made to fit. */
  geojson: string | null;
  /** Douglas–Peucker tolerance used (m); 0 when the geometry fitted as it was. */
  toleranceM: number;
  /** Relative area change caused by simplification. */
  areaChange: number;
  /** A point inside the lot: the centre of mass, or a point on the surface for odd shapes. */
  centre: { lat: number; lon: number; east: number; north: number };
}

const round = (value: number) => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;
const lonLat = (p: Position): Position => {
  const [lon, lat] = toLonLat(p);
  return [round(lon), round(lat)];
};

const asFeature = (geometry: AreaGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry: geometry as Polygon | MultiPolygon,
});

/**
 * A lot's geometry as Airtable's Geometri field holds it: lon/lat GeoJSON under the cell limit.
 * Lots that are too detailed are simplified in metres with growing tolerance; a tolerance that
 * would change the area by more than 1 % is never used.
 */
export function airtableGeometry(geometry: AreaGeometry): AirtableGeometry {
  const centre = centreOf(geometry);
  const originalArea = area(asFeature(mapPositions(geometry, toLonLat)));
  const fitted = (candidate: AreaGeometry) => {
    const projected = mapPositions(candidate, lonLat);
    return { text: JSON.stringify({ type: projected.type, coordinates: projected.coordinates }), projected };
  };
  const first = fitted(geometry);
  if (first.text.length <= MAX_GEOMETRY_CHARACTERS)
    return { geojson: first.text, toleranceM: 0, areaChange: change(originalArea, first.projected), centre };
  for (const tolerance of TOLERANCES_M) {
    const simplified = simplify(asFeature(geometry), { tolerance, highQuality: true, mutate: false })
      .geometry as AreaGeometry;
    const candidate = fitted(simplified);
    const areaChange = change(originalArea, candidate.projected);
    if (areaChange > MAX_AREA_CHANGE) break;
    if (candidate.text.length <= MAX_GEOMETRY_CHARACTERS)
      return { geojson: candidate.text, toleranceM: tolerance, areaChange, centre };
  }
  return { geojson: null, toleranceM: Number.NaN, areaChange: Number.NaN, centre };
}

function change(originalArea: number, projected: AreaGeometry): number {
  return originalArea > 0 ? Math.abs(area(asFeature(projected)) - originalArea) / originalArea : 0;
}

function centreOf(geometry: AreaGeometry): AirtableGeometry['centre'] {
  const feature = asFeature(geometry);
  let point = centerOfMass(feature).geometry.coordinates as Position;
  if (!booleanPointInPolygon(point, feature))
    point = pointOnFeature(feature).geometry.coordinates as Position;
  const [lon, lat] = toLonLat(point);
  return { lat: round(lat), lon: round(lon), east: point[0], north: point[1] };
}
