import {
  polygonsOf,
  type AreaGeometry,
  type PolygonCoordinates,
  type Position,
  type Ring,
} from '../domain/geometry.js';
import type { Lot, ScoredLot } from '../domain/lot.js';
import { transformFor } from '../geo/crs.js';
import { lotRow } from './lot-properties.js';

/** Seven decimals of a degree is about 1 cm in Norway: enough for parcels, half the file size of full doubles. */
const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++)
    sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum / 2;
}

/** RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise. */
function rightHandRule(polygon: PolygonCoordinates): PolygonCoordinates {
  return polygon.map((ring, index) => {
    const counterClockwise = signedArea(ring) > 0;
    return (index === 0) === counterClockwise ? ring : [...ring].reverse();
  });
}

/** An EPSG:25833 area as RFC 7946 GeoJSON geometry (lon/lat, WGS 84, right-hand rule). */
export function toLonLatGeometry(geometry: AreaGeometry): AreaGeometry {
  const toLonLat = transformFor(25833, 4326);
  const convert = (polygon: PolygonCoordinates): PolygonCoordinates =>
    rightHandRule(polygon).map((ring) =>
      ring.map((p): Position => {
        const [lon, lat] = toLonLat(p);
        return [round7(lon), round7(lat)];
      }),
    );
  const polygons = polygonsOf(geometry).map(convert);
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** Lots as an RFC 7946 FeatureCollection (lon/lat; no `crs` member, as the RFC requires). */
export function lotsToGeoJson(lots: ReadonlyArray<Lot | ScoredLot>): string {
  const features = lots.map((lot) => ({
    type: 'Feature' as const,
    id: lot.tomtId,
    properties: lotRow(lot),
    geometry: toLonLatGeometry(lot.geometry),
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}
