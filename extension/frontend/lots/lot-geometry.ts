import { labelPoint } from '@tomtejakt/sync/geo/point-inside';
import type { LotView } from '@tomtejakt/sync/presentation';

export type LonLat = [number, number];
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** A lot's geometry ready for the map: validated rings, bounding box and a point inside it. */
export interface MapGeometry {
  /** Polygons as lists of rings (outer ring first), lon/lat. */
  polygons: LonLat[][][];
  bbox: BBox;
  /** Where the lot's marker sits at low zoom: its Senter lat/lon, else the label point of its largest part. */
  anchor: LonLat;
}

export type MapGeometryResult =
  { geometry: MapGeometry; problem: null } | { geometry: null; problem: string };

const isLonLat = (p: unknown): p is LonLat =>
  Array.isArray(p) &&
  p.length >= 2 &&
  typeof p[0] === 'number' &&
  typeof p[1] === 'number' &&
  Number.isFinite(p[0]) &&
  Number.isFinite(p[1]);

function ringOf(value: unknown): LonLat[] | string {
  if (!Array.isArray(value) || value.length < 4) return 'Geometrien har en ring med for få punkter';
  for (const p of value) if (!isLonLat(p)) return 'Geometrien har ugyldige koordinater';
  return value.map((p: LonLat) => [p[0], p[1]] as LonLat);
}

function polygonOf(value: unknown): LonLat[][] | string {
  if (!Array.isArray(value) || value.length === 0) return 'Geometrien er et tomt polygon';
  const rings: LonLat[][] = [];
  for (const r of value) {
    const ring = ringOf(r);
    if (typeof ring === 'string') return ring;
    rings.push(ring);
  }
  return rings;
}

/** Twice the signed area of a ring in degrees²; only compared between rings of one lot. */
function ringArea2(ring: LonLat[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum;
}

/**
 * Validates a lot's GeoJSON (as parsed by the shared `parseLotGeometry`) deeply enough that the
 * map can draw it: rings of finite lon/lat pairs. Coordinates that look like metres (a geometry
 * written in UTM by mistake) are a problem to list, not a lot to draw in the ocean.
 */
export function mapGeometryOf(
  geometry: LotView['geometry'],
  centre: LotView['centre'] = null,
): MapGeometryResult {
  if (!geometry) return { geometry: null, problem: 'Mangler geometri' };
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(parts) || parts.length === 0) return { geometry: null, problem: 'Geometrien er tom' };
  const polygons: LonLat[][][] = [];
  for (const part of parts as unknown[]) {
    const polygon = polygonOf(part);
    if (typeof polygon === 'string') return { geometry: null, problem: polygon };
    polygons.push(polygon);
  }
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0]!) {
      if (lon < bbox[0]) bbox[0] = lon;
      if (lat < bbox[1]) bbox[1] = lat;
      if (lon > bbox[2]) bbox[2] = lon;
      if (lat > bbox[3]) bbox[3] = lat;
    }
  }
  if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90) {
    return {
      geometry: null,
      problem: 'Koordinatene er ikke lengde-/breddegrader (EPSG:4326)',
    };
  }
  return { geometry: { polygons, bbox, anchor: anchorOf(polygons, bbox, centre) }, problem: null };
}

/** The service's label point (the Senter cells) when it lies on the lot's box, else the same rule here. */
function anchorOf(polygons: LonLat[][][], bbox: BBox, centre: LotView['centre']): LonLat {
  if (
    centre &&
    centre.lon >= bbox[0] &&
    centre.lon <= bbox[2] &&
    centre.lat >= bbox[1] &&
    centre.lat <= bbox[3]
  )
    return [centre.lon, centre.lat];
  let largest = polygons[0]!;
  for (const polygon of polygons) {
    if (Math.abs(ringArea2(polygon[0]!)) > Math.abs(ringArea2(largest[0]!))) largest = polygon;
  }
  const [lon, lat] = labelPoint({ type: 'Polygon', coordinates: largest });
  return [lon!, lat!];
}
