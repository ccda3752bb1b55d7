import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import type { AreaGeometry, BBox, Position } from '../../../sync/src/domain/geometry.js';
import { bboxOf } from '../../../sync/src/geo/crs.js';

/** A stored feature of a national layer double: geometry in EPSG:25833, the service's own property names. */
export interface LayerRow {
  properties: Record<string, string | number | null>;
  geometry: AreaGeometry;
}

/** Rows whose envelope meets the box (a double's stand-in for esriSpatialRelIntersects / bbox). */
export function rowsWithin(rows: readonly LayerRow[], box: BBox): LayerRow[] {
  return rows.filter((row) => {
    const b = bboxOf(row.geometry);
    return b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1];
  });
}

export function rowAt(rows: readonly LayerRow[], point: Position): LayerRow | null {
  return rows.find((row) => booleanPointInPolygon(point, row.geometry as Polygon | MultiPolygon)) ?? null;
}

/** A query parameter whatever its case (ArcGIS and OGC servers take any case). */
export function param(url: URL, name: string): string | null {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name.toLowerCase()) return value;
  return null;
}
