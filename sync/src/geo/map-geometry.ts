import { simplify } from '@turf/simplify';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry, Position } from '../domain/geometry.js';
import { mapPositions, toLonLat } from './crs.js';

/**
 * Douglas–Peucker tolerances (metres, EPSG:25833) of the two polygon bands the map draws: at zoom
 * 14–15 a screen pixel is 2.4–4.8 m at 60° N, at 16 and closer 0.3–1.2 m, so each tolerance stays
 * under a pixel of its band.
 */
export const MAP_TOLERANCE_M = { coarse: 2, fine: 0.2 } as const;

/** Six decimals of a degree: 11 cm of latitude, 6 cm of longitude in Norway; under a pixel at zoom 19. */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
const lonLat6 = (position: Position): Position => {
  const [lon, lat] = toLonLat(position);
  return [round6(lon), round6(lat)];
};

/** What the map index keeps of a lot's shape: its lon/lat box and a simplified outline per band. */
export interface MapGeometry {
  /** [west, south, east, north] in EPSG:4326. */
  bbox: [number, number, number, number];
  /** GeoJSON geometry text (lon/lat), simplified for zoom 14–15. */
  coarse: string;
  /** GeoJSON geometry text (lon/lat), simplified for zoom 16 and closer. */
  fine: string;
}

function simplified(geometry: AreaGeometry, toleranceM: number): AreaGeometry {
  const feature: Feature<Polygon | MultiPolygon> = {
    type: 'Feature',
    properties: {},
    geometry: geometry as Polygon | MultiPolygon,
  };
  return simplify(feature, { tolerance: toleranceM, highQuality: false, mutate: false })
    .geometry as AreaGeometry;
}

const geometryText = (geometry: AreaGeometry) =>
  JSON.stringify({ type: geometry.type, coordinates: geometry.coordinates });

function bboxOf(geometry: AreaGeometry): MapGeometry['bbox'] {
  const box: MapGeometry['bbox'] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons)
    for (const [lon, lat] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  return box;
}

/** A lot's geometry (EPSG:25833) as the map index keeps it; simplified in metres, then projected. */
export function mapGeometryOf(geometry: AreaGeometry): MapGeometry {
  const fine = mapPositions(simplified(geometry, MAP_TOLERANCE_M.fine), lonLat6);
  const coarse = mapPositions(simplified(geometry, MAP_TOLERANCE_M.coarse), lonLat6);
  return { bbox: bboxOf(fine), coarse: geometryText(coarse), fine: geometryText(fine) };
}
