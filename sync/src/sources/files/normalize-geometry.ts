import type { AnyGeometry, PolygonCoordinates, Position } from '../../domain/geometry.js';
import { FeatureProblem } from './format-error.js';
import { toInternalTransform, type SourceCrs } from './source-crs.js';

export interface NormalizedGeometry {
  geometry: AnyGeometry;
  /** Repairs made on the way (a ring closed, a degenerate hole dropped), for the warnings list. */
  notes: string[];
}

/**
 * Checks a GeoJSON-shaped geometry from any source and brings it into EPSG:25833 with 2D
 * positions. Throws FeatureProblem when the geometry cannot be used; repairs that keep the
 * feature (closing a ring, dropping a degenerate hole or part) are returned as notes.
 */
export function normalizeGeometry(raw: unknown, crs: SourceCrs): NormalizedGeometry {
  const notes: string[] = [];
  const transform = toInternalTransform(crs);
  const position = (value: unknown): Position => {
    if (!Array.isArray(value) || value.length < 2) throw new FeatureProblem('a position is not [x, y]');
    const x = value[0] as unknown;
    const y = value[1] as unknown;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new FeatureProblem(`coordinate ${JSON.stringify(value.slice(0, 2))} is not a pair of numbers`);
    }
    const out = transform([x, y]);
    if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) {
      throw new FeatureProblem(`coordinate ${x} ${y} cannot be transformed from ${crs.name}`);
    }
    return out;
  };
  const positions = (value: unknown, what: string): Position[] => {
    if (!Array.isArray(value)) throw new FeatureProblem(`${what} is not an array of positions`);
    return value.map(position);
  };
  const ring = (value: unknown): Position[] | null => {
    const points = positions(value, 'a ring');
    if (points.length > 0) {
      const first = points[0]!;
      const last = points[points.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) {
        points.push([first[0], first[1]]);
        notes.push('closed an unclosed ring');
      }
    }
    return points.length >= 4 ? points : null;
  };
  const polygon = (value: unknown): PolygonCoordinates | null => {
    if (!Array.isArray(value) || value.length === 0) return null;
    const exterior = ring(value[0]);
    if (!exterior) return null;
    const holes: Position[][] = [];
    for (const hole of value.slice(1)) {
      const parsed = ring(hole);
      if (parsed) holes.push(parsed);
      else notes.push('dropped a hole with fewer than 4 positions');
    }
    return [exterior, ...holes];
  };

  if (typeof raw !== 'object' || raw === null) throw new FeatureProblem('geometry is not an object');
  const { type, coordinates, geometries } = raw as {
    type?: unknown;
    coordinates?: unknown;
    geometries?: unknown;
  };
  switch (type) {
    case 'Point':
      return { geometry: { type, coordinates: position(coordinates) }, notes };
    case 'MultiPoint':
      return { geometry: { type, coordinates: positions(coordinates, 'a MultiPoint') }, notes };
    case 'LineString': {
      const line = positions(coordinates, 'a LineString');
      if (line.length < 2) throw new FeatureProblem('a LineString with fewer than 2 positions');
      return { geometry: { type, coordinates: line }, notes };
    }
    case 'MultiLineString': {
      if (!Array.isArray(coordinates)) throw new FeatureProblem('a MultiLineString is not an array');
      const lines = coordinates.map((l) => positions(l, 'a line')).filter((l) => l.length >= 2);
      if (lines.length === 0) throw new FeatureProblem('a MultiLineString without a usable line');
      return { geometry: { type, coordinates: lines }, notes };
    }
    case 'Polygon': {
      const parsed = polygon(coordinates);
      if (!parsed) throw new FeatureProblem('a Polygon whose outer ring has fewer than 4 positions');
      return { geometry: { type, coordinates: parsed }, notes };
    }
    case 'MultiPolygon': {
      if (!Array.isArray(coordinates)) throw new FeatureProblem('a MultiPolygon is not an array');
      const parts = coordinates.map(polygon);
      const kept = parts.filter((p): p is PolygonCoordinates => p !== null);
      if (kept.length === 0) throw new FeatureProblem('a MultiPolygon without a usable polygon');
      if (kept.length < parts.length)
        notes.push(`dropped ${parts.length - kept.length} degenerate polygon part(s)`);
      return { geometry: { type, coordinates: kept }, notes };
    }
    case 'GeometryCollection': {
      if (!Array.isArray(geometries)) throw new FeatureProblem('a GeometryCollection without geometries');
      const members = geometries.map((g) => normalizeGeometry(g, crs));
      const polygons: PolygonCoordinates[] = [];
      for (const member of members) {
        notes.push(...member.notes);
        if (member.geometry.type === 'Polygon') polygons.push(member.geometry.coordinates);
        else if (member.geometry.type === 'MultiPolygon') polygons.push(...member.geometry.coordinates);
        else
          throw new FeatureProblem(`a GeometryCollection holding a ${member.geometry.type} is not supported`);
      }
      if (polygons.length === 0) throw new FeatureProblem('an empty GeometryCollection');
      return { geometry: { type: 'MultiPolygon', coordinates: polygons }, notes };
    }
    default:
      throw new FeatureProblem(`unsupported geometry type ${JSON.stringify(type)}`);
  }
}
