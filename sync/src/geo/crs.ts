import proj4 from 'proj4';
import {
  INTERNAL_EPSG,
  SUPPORTED_EPSG,
  type AnyGeometry,
  type BBox,
  type Position,
  type SupportedEpsg,
} from '../domain/geometry.js';

/**
 * EPSG definitions (from the EPSG registry as epsg.io publishes them for proj4). EUREF89 (ETRS89)
 * and WGS84 differ by well under a metre in Norway, so the datum shift is the identity, as in
 * Kartverket's own services.
 */
const DEFINITIONS: Record<SupportedEpsg, string> = {
  25832: '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  25833: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  25835: '+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs',
  4258: '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs +type=crs',
  4326: '+proj=longlat +datum=WGS84 +no_defs +type=crs',
};
for (const [code, definition] of Object.entries(DEFINITIONS)) proj4.defs(`EPSG:${code}`, definition);

export interface CrsRef {
  epsg: SupportedEpsg;
  /**
   * True when coordinates are written latitude first. That is the case for EPSG:4258/4326 named by
   * URN or http URI (GML, WFS 2.0), not for GeoJSON or CRS84, which are always longitude first.
   */
  latFirst: boolean;
}

export function isSupportedEpsg(code: number): code is SupportedEpsg {
  return (SUPPORTED_EPSG as readonly number[]).includes(code);
}

/**
 * Reads a CRS name as services write it: "EPSG:25833", "urn:ogc:def:crs:EPSG::25833",
 * "http://www.opengis.net/def/crs/EPSG/0/25832", "urn:ogc:def:crs:OGC:1.3:CRS84",
 * "http://www.opengis.net/def/crs/OGC/1.3/CRS84". Returns null for anything else.
 */
export function parseCrs(name: string | null | undefined): CrsRef | null {
  if (!name) return null;
  const text = name.trim();
  if (/CRS84$/i.test(text)) return { epsg: 4326, latFirst: false };
  const match = /EPSG(?::|::|\/0\/|\/)(\d+)$/i.exec(text) ?? /^(\d{4,5})$/.exec(text);
  if (!match) return null;
  const code = Number(match[1]);
  if (!isSupportedEpsg(code)) return null;
  const geographic = code === 4258 || code === 4326;
  const authorityAxisOrder = /^urn:|^https?:\/\//i.test(text);
  return { epsg: code, latFirst: geographic && authorityAxisOrder };
}

export function crsName(epsg: number): string {
  return `urn:ogc:def:crs:EPSG::${epsg}`;
}

type Transform = (position: Position) => Position;
const transforms = new Map<string, Transform>();

/** A coordinate transform between two supported CRSs (lon/lat order for geographic ones). */
export function transformFor(from: number, to: number): Transform {
  const key = `${from}>${to}`;
  let transform = transforms.get(key);
  if (!transform) {
    if (from === to) transform = (p) => p;
    else {
      const converter = proj4(`EPSG:${from}`, `EPSG:${to}`);
      transform = (p) => converter.forward([p[0], p[1]]) as Position;
    }
    transforms.set(key, transform);
  }
  return transform;
}

/** Applies a position function to every coordinate of a geometry (new geometry, input untouched). */
export function mapPositions<G extends AnyGeometry>(geometry: G, fn: (p: Position) => Position): G {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: fn(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(fn) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring) => ring.map(fn)) };
    case 'MultiPolygon':
      return {
        ...geometry,
        coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(fn))),
      };
  }
}

export function reproject<G extends AnyGeometry>(geometry: G, from: number, to: number = INTERNAL_EPSG): G {
  if (from === to) return geometry;
  return mapPositions(geometry, transformFor(from, to));
}

/** lon/lat (EPSG:4326) of a point given in EPSG:25833. */
export function toLonLat(position: Position): Position {
  return transformFor(INTERNAL_EPSG, 4326)(position);
}

export function bboxOf(geometry: AnyGeometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  mapPositions(geometry, (p) => {
    if (p[0] < box[0]) box[0] = p[0];
    if (p[1] < box[1]) box[1] = p[1];
    if (p[0] > box[2]) box[2] = p[0];
    if (p[1] > box[3]) box[3] = p[1];
    return p;
  });
  return box;
}

/**
 * Mainland Norway in EPSG:25833, with a margin (the westernmost kommuner have negative eastings).
 * Used to catch coordinates in the wrong CRS or with swapped axes before they reach the engine.
 */
export const NORWAY_BBOX_25833: BBox = [-150_000, 6_400_000, 1_200_000, 7_980_000];

export function isWithin(inner: BBox, outer: BBox = NORWAY_BBOX_25833): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
}
