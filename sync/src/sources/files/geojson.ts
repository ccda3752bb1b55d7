import { FormatError } from './format-error.js';
import { LONLAT, resolveSourceCrs, type SourceCrs } from './source-crs.js';

export interface GeoJsonFeatureIn {
  /** 0-based position in the `features` array. */
  index: number;
  /** The feature's `id` member; GeoServer regenerates it per request (never an identity). */
  id: string | number | null;
  properties: Record<string, unknown>;
  geometry: unknown;
  /** The entry itself was not a Feature object (reported by the caller). */
  invalid?: string;
}

export interface GeoJsonDocument {
  crs: SourceCrs;
  /** The document named its CRS (a legacy `crs` member); false means RFC 7946 lon/lat. */
  crsDeclared: boolean;
  features: GeoJsonFeatureIn[];
  /** OGC API-Features paging members, passed through. */
  links: Array<{ href?: string; rel?: string; type?: string }>;
  numberReturned: number | null;
  numberMatched: number | null;
}

/**
 * Parses a GeoJSON FeatureCollection as NAP and GeoServer write it: flat dotted property keys and a
 * legacy `crs` member (`{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}}`;
 * absent or null = lon/lat). A single Feature is accepted as a collection of one. Bodies that are
 * not JSON are classified (HTML page, OWS exception in XML, truncated JSON) for the caller.
 */
export function parseGeoJson(text: string, fallbackCrs: SourceCrs = LONLAT): GeoJsonDocument {
  const trimmed = text.replace(/^[\s\uFEFF]+/, '');
  if (trimmed.startsWith('<')) throw classifyMarkup(trimmed);
  if (trimmed === '') throw new FormatError('malformed', 'empty document');
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
    const atEnd = position >= trimmed.trimEnd().length - 1;
    if (atEnd || /end of (JSON )?input|Unterminated/i.test(message)) {
      throw new FormatError('truncated', `the JSON document ends early (truncated): ${message}`);
    }
    throw new FormatError('malformed', `not valid JSON: ${message}`);
  }
  return geoJsonDocument(json, fallbackCrs);
}

export function geoJsonDocument(json: unknown, fallbackCrs: SourceCrs = LONLAT): GeoJsonDocument {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(
      'not-feature-collection',
      `a JSON ${Array.isArray(json) ? 'array' : typeof json}, not a GeoJSON FeatureCollection`,
    );
  }
  const object = json as Record<string, unknown>;
  let entries: unknown[];
  if (object.type === 'Feature') entries = [object];
  else if (object.type === 'FeatureCollection' && Array.isArray(object.features)) entries = object.features;
  else {
    const keys = Object.keys(object).slice(0, 6).join(', ');
    throw new FormatError(
      'not-feature-collection',
      object.type === 'FeatureCollection'
        ? 'a FeatureCollection without a "features" array'
        : `not a GeoJSON FeatureCollection (type ${JSON.stringify(object.type)}, keys ${keys || 'none'})`,
    );
  }
  const declared = crsMember(object.crs);
  const crs = declared ?? fallbackCrs;
  const features = entries.map((entry, index): GeoJsonFeatureIn => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return {
        index,
        id: null,
        properties: {},
        geometry: null,
        invalid: 'the entry is not a Feature object',
      };
    }
    const feature = entry as Record<string, unknown>;
    const id = typeof feature.id === 'string' || typeof feature.id === 'number' ? feature.id : null;
    const properties = feature.properties;
    if (
      properties !== null &&
      properties !== undefined &&
      (typeof properties !== 'object' || Array.isArray(properties))
    ) {
      return { index, id, properties: {}, geometry: null, invalid: '"properties" is not an object' };
    }
    return {
      index,
      id,
      properties: (properties as Record<string, unknown> | null) ?? {},
      geometry: feature.geometry ?? null,
      ...(feature.type !== 'Feature'
        ? { invalid: `type ${JSON.stringify(feature.type)} is not "Feature"` }
        : {}),
    };
  });
  return {
    crs,
    crsDeclared: declared !== null,
    features,
    links: Array.isArray(object.links) ? (object.links as GeoJsonDocument['links']) : [],
    numberReturned: typeof object.numberReturned === 'number' ? object.numberReturned : null,
    numberMatched: typeof object.numberMatched === 'number' ? object.numberMatched : null,
  };
}

function crsMember(value: unknown): SourceCrs | null {
  if (value === null || value === undefined) return null;
  const member = value as { type?: unknown; properties?: { name?: unknown; code?: unknown } };
  let name: string | null = null;
  if (member.type === 'name' && typeof member.properties?.name === 'string') name = member.properties.name;
  else if (member.type === 'EPSG' && member.properties?.code !== undefined)
    name = `EPSG:${String(member.properties.code)}`;
  const resolved = resolveSourceCrs(name);
  if (!resolved) {
    throw new FormatError('unexpected-crs', `unknown or unsupported CRS ${JSON.stringify(name ?? value)}`);
  }
  // GeoJSON is written easting/longitude first whatever the CRS name says (RFC 7946, GDAL, GeoServer's JSON).
  return { ...resolved, latFirst: false };
}

/** What a markup body that should have been JSON is: an HTML page or an OGC exception report. */
export function classifyMarkup(text: string): FormatError {
  const head = text.slice(0, 4000);
  if (/<!doctype html|<html[\s>]/i.test(head)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(head)?.[1]?.trim();
    return new FormatError('html-error-page', `an HTML page${title ? ` ("${title}")` : ''}, not data`);
  }
  if (/ExceptionReport/.test(head)) {
    const code = /(?:exceptionCode|code)="([^"]+)"/.exec(head)?.[1];
    const message = /<(?:\w+:)?(?:ExceptionText|ServiceException)[^>]*>([\s\S]*?)<\//.exec(head)?.[1];
    return new FormatError(
      'service-exception',
      `service exception${code ? ` ${code}` : ''}: ${(message ?? '').replace(/\s+/g, ' ').trim() || 'no text'}`,
    );
  }
  return new FormatError('malformed', 'XML where JSON was expected');
}
