import type { LotView } from '@tomtejakt/sync/presentation';

export type LonLat = [number, number];
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** A lot's geometry ready for the map: validated rings, bounding box and a point inside it. */
export interface MapGeometry {
  /** Polygons as lists of rings (outer ring first), lon/lat. */
  polygons: LonLat[][][];
  bbox: BBox;
  /** A point inside the largest polygon, where the lot's marker sits at low zoom. */
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

/** Area centroid, computed relative to the first vertex to keep the precision of small lots. */
function centroidOf(ring: LonLat[]): LonLat {
  const [ox, oy] = ring[0]!;
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const x0 = ring[j]![0] - ox;
    const y0 = ring[j]![1] - oy;
    const x1 = ring[i]![0] - ox;
    const y1 = ring[i]![1] - oy;
    const f = x0 * y1 - x1 * y0;
    a += f;
    x += (x0 + x1) * f;
    y += (y0 + y1) * f;
  }
  if (a === 0) return ring[0]!;
  return [ox + x / (3 * a), oy + y / (3 * a)];
}

export function pointInRing([x, y]: LonLat, ring: LonLat[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The centroid when it lies inside the ring (convex and most parcel shapes), else the middle of
 * the widest horizontal stretch through the centroid's latitude, which is inside by construction.
 */
function anchorOf(ring: LonLat[]): LonLat {
  const centroid = centroidOf(ring);
  if (pointInRing(centroid, ring)) return centroid;
  const y = centroid[1];
  const xs: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  xs.sort((a, b) => a - b);
  let best: LonLat = ring[0]!;
  let widest = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const width = xs[i + 1]! - xs[i]!;
    if (width > widest) {
      widest = width;
      best = [(xs[i]! + xs[i + 1]!) / 2, y];
    }
  }
  return best;
}

/**
 * Validates a lot's GeoJSON (as parsed by the shared `parseLotGeometry`) deeply enough that the
 * map can draw it: rings of finite lon/lat pairs. Coordinates that look like metres (a geometry
 * written in UTM by mistake) are a problem to list, not a lot to draw in the ocean.
 */
export function mapGeometryOf(geometry: LotView['geometry']): MapGeometryResult {
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
  let largest = polygons[0]![0]!;
  for (const polygon of polygons) {
    if (Math.abs(ringArea2(polygon[0]!)) > Math.abs(ringArea2(largest))) largest = polygon[0]!;
  }
  return { geometry: { polygons, bbox, anchor: anchorOf(largest) }, problem: null };
}
