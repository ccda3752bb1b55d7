import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { centerOfMass } from '@turf/center-of-mass';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { polygonsOf, type AreaGeometry, type Position } from '../domain/geometry.js';

const asFeature = (area: AreaGeometry): Feature<Polygon | MultiPolygon> => ({
  type: 'Feature',
  properties: {},
  geometry: area as Polygon | MultiPolygon,
});

/**
 * Where a lot is labelled (its marker, its Norgeskart link, the point tested against new plans):
 * the centre of mass when it lies inside, else a point on the surface. Lots are mostly compact
 * parcels, so this stays where a reader expects the middle of the lot to be.
 */
export function labelPoint(area: AreaGeometry): Position {
  const feature = asFeature(area);
  const centre = centerOfMass(feature).geometry.coordinates as Position;
  return booleanPointInPolygon(centre, feature)
    ? centre
    : (pointOnFeature(feature).geometry.coordinates as Position);
}

/**
 * A point certainly inside a large, irregular area such as a kommune (its largest polygon): the middle of the widest stretch of a
 * horizontal line through the polygon's vertical middle. Unlike the centroid it never falls in a
 * fjord or outside a crescent-shaped kommune.
 */
export function pointInside(area: AreaGeometry): Position {
  let best: Position[][] | null = null;
  let bestSpan = -1;
  for (const polygon of polygonsOf(area)) {
    const ys = polygon[0]!.map((p) => p[1]);
    const span = Math.max(...ys) - Math.min(...ys);
    if (span > bestSpan) {
      best = polygon;
      bestSpan = span;
    }
  }
  const rings = best!;
  const ys = rings[0]!.map((p) => p[1]);
  const y = (Math.max(...ys) + Math.min(...ys)) / 2;
  const crossings: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i]!;
      const [x2, y2] = ring[i + 1]!;
      if (y1 > y !== y2 > y) crossings.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  crossings.sort((a, b) => a - b);
  let widest: [number, number] = [crossings[0] ?? rings[0]![0]![0], crossings[1] ?? rings[0]![0]![0]];
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    if (crossings[i + 1]! - crossings[i]! > widest[1] - widest[0])
      widest = [crossings[i]!, crossings[i + 1]!];
  }
  return [(widest[0] + widest[1]) / 2, y];
}
