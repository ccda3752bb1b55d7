import { parseCrs, transformFor } from '../../geo/crs.js';
import { INTERNAL_EPSG, type Position } from '../../domain/geometry.js';

/** A CRS as a source names it, resolved to a transform into EPSG:25833. */
export interface SourceCrs {
  /** The EPSG code whose horizontal part the coordinates are in. */
  epsg: number;
  /** Coordinates are written latitude (northing) first. */
  latFirst: boolean;
  /** The name as the source wrote it, for messages. */
  name: string;
}

/**
 * Compound CRSs (horizontal + NN2000 height) that Norwegian 3D GML names, mapped to their
 * horizontal part (EPSG registry: 5972 = ETRS89/UTM32 + NN2000, 5973 = UTM33, 5975 = UTM35).
 * EPSG:3857 is GeoServer's web-mercator answer (the recorded NAP GetFeatureInfo quirk sample);
 * proj4 knows it without a definition.
 */
const EXTRA: Record<number, number> = { 5972: 25832, 5973: 25833, 5975: 25835, 3857: 3857, 900913: 3857 };

export function resolveSourceCrs(name: string | null | undefined): SourceCrs | null {
  if (!name) return null;
  const known = parseCrs(name);
  if (known) return { epsg: known.epsg, latFirst: known.latFirst, name };
  const match = /EPSG(?::|::|\/0\/|\/)(\d+)$/i.exec(name.trim());
  const horizontal = match ? EXTRA[Number(match[1])] : undefined;
  return horizontal ? { epsg: horizontal, latFirst: false, name } : null;
}

export const LONLAT: SourceCrs = { epsg: 4326, latFirst: false, name: 'urn:ogc:def:crs:OGC:1.3:CRS84' };

/** Position function from a source CRS into EPSG:25833, axis swap included. */
export function toInternalTransform(crs: SourceCrs): (p: Position) => Position {
  const transform = transformFor(crs.epsg, INTERNAL_EPSG);
  return crs.latFirst ? (p) => transform([p[1], p[0]]) : transform;
}
