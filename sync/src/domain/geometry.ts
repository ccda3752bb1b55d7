/**
 * Geometry as plain GeoJSON-shaped arrays. Inside the service every coordinate is EPSG:25833
 * (metres, UTM 33N) unless a name says otherwise (`…Lonlat`); conversion happens at the edges
 * (sources in, exports and Airtable out).
 */
export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoordinates = Ring[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: PolygonCoordinates;
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: PolygonCoordinates[];
}

export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}

export interface LineStringGeometry {
  type: 'LineString';
  coordinates: Position[];
}

export interface MultiLineStringGeometry {
  type: 'MultiLineString';
  coordinates: Position[][];
}

export interface MultiPointGeometry {
  type: 'MultiPoint';
  coordinates: Position[];
}

export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

export type AnyGeometry =
  AreaGeometry | PointGeometry | MultiPointGeometry | LineStringGeometry | MultiLineStringGeometry;

/** [minX, minY, maxX, maxY] */
export type BBox = [number, number, number, number];

/** The EPSG codes the service reads. 25833 is the internal one (national storage CRS). */
export const INTERNAL_EPSG = 25833;
export const SUPPORTED_EPSG = [25832, 25833, 25835, 4258, 4326] as const;
export type SupportedEpsg = (typeof SUPPORTED_EPSG)[number];

export function isAreaGeometry(geometry: AnyGeometry | null | undefined): geometry is AreaGeometry {
  return geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon';
}

/** Polygons of an area geometry, whatever its type. */
export function polygonsOf(geometry: AreaGeometry): PolygonCoordinates[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}
