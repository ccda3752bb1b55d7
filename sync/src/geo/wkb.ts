import type { AnyGeometry, Position } from '../domain/geometry.js';
import { bboxOf } from './crs.js';

/**
 * Well-known binary (OGC 06-103r4 / ISO 13249-3) and the GeoPackage geometry blob (OGC 12-128r18
 * §2.1.3) for the geometry types the service uses. Z and M ordinates are read and dropped (the
 * service is 2D); curve types (CircularString, CompoundCurve, CurvePolygon …) are rejected with a
 * WkbError so callers can report the one feature instead of failing a whole file.
 */
export class WkbError extends Error {
  override readonly name = 'WkbError';
}

const TYPE = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
} as const;
const TYPE_NAMES: Record<number, string> = {
  1: 'Point',
  2: 'LineString',
  3: 'Polygon',
  4: 'MultiPoint',
  5: 'MultiLineString',
  6: 'MultiPolygon',
  7: 'GeometryCollection',
  8: 'CircularString',
  9: 'CompoundCurve',
  10: 'CurvePolygon',
  11: 'MultiCurve',
  12: 'MultiSurface',
  15: 'PolyhedralSurface',
  16: 'TIN',
  17: 'Triangle',
};

/** EWKB (PostGIS) flag bits on the type word. */
const EWKB_Z = 0x80000000;
const EWKB_M = 0x40000000;
const EWKB_SRID = 0x20000000;

export interface DecodedWkb {
  geometry: AnyGeometry | null;
  /** SRID carried by EWKB, when present. */
  srid: number | null;
}

class Reader {
  offset = 0;
  littleEndian = true;
  constructor(private readonly view: DataView) {}

  need(bytes: number): void {
    if (this.offset + bytes > this.view.byteLength) {
      throw new WkbError(`WKB ends early: needs ${bytes} more bytes at offset ${this.offset}`);
    }
  }
  byte(): number {
    this.need(1);
    return this.view.getUint8(this.offset++);
  }
  uint32(): number {
    this.need(4);
    const value = this.view.getUint32(this.offset, this.littleEndian);
    this.offset += 4;
    return value;
  }
  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.offset, this.littleEndian);
    this.offset += 8;
    return value;
  }
}

/** Decodes one WKB/EWKB geometry. An empty point (NaN coordinates) or empty collection decodes to null. */
export function decodeWkb(bytes: Uint8Array): DecodedWkb {
  const reader = new Reader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  let srid: number | null = null;
  const geometry = readGeometry(reader, (value) => (srid = value));
  return { geometry, srid };
}

function readGeometry(reader: Reader, onSrid?: (srid: number) => void): AnyGeometry | null {
  const order = reader.byte();
  if (order !== 0 && order !== 1) throw new WkbError(`invalid byte-order mark ${order}`);
  reader.littleEndian = order === 1;
  const word = reader.uint32();
  let dims = 2;
  if (word & EWKB_Z) dims += 1;
  if (word & EWKB_M) dims += 1;
  if (word & EWKB_SRID) {
    const srid = reader.uint32();
    onSrid?.(srid);
  }
  const iso = word & 0x0fffffff;
  // ISO WKB: 1000s add Z, 2000s add M, 3000s add ZM.
  const base = iso % 1000;
  const isoDims = Math.floor(iso / 1000);
  if (isoDims === 1 || isoDims === 2) dims += 1;
  else if (isoDims === 3) dims += 2;
  return readBody(reader, base, dims);
}

function readPosition(reader: Reader, dims: number): Position {
  const x = reader.double();
  const y = reader.double();
  for (let i = 2; i < dims; i++) reader.double();
  return [x, y];
}

function readPositions(reader: Reader, dims: number): Position[] {
  const count = reader.uint32();
  reader.need(count * dims * 8);
  const positions: Position[] = new Array<Position>(count);
  for (let i = 0; i < count; i++) positions[i] = readPosition(reader, dims);
  return positions;
}

function readRings(reader: Reader, dims: number): Position[][] {
  const count = reader.uint32();
  const rings: Position[][] = [];
  for (let i = 0; i < count; i++) rings.push(readPositions(reader, dims));
  return rings;
}

function readParts(reader: Reader, expected: number): AnyGeometry[] {
  const count = reader.uint32();
  const parts: AnyGeometry[] = [];
  for (let i = 0; i < count; i++) {
    const part = readGeometry(reader);
    if (!part) continue;
    if (expected && TYPE[part.type as keyof typeof TYPE] !== expected) {
      throw new WkbError(`a ${TYPE_NAMES[expected + 3]} holds a ${part.type}`);
    }
    parts.push(part);
  }
  return parts;
}

function readBody(reader: Reader, type: number, dims: number): AnyGeometry | null {
  switch (type) {
    case TYPE.Point: {
      const coordinates = readPosition(reader, dims);
      return Number.isNaN(coordinates[0]) && Number.isNaN(coordinates[1])
        ? null
        : { type: 'Point', coordinates };
    }
    case TYPE.LineString:
      return { type: 'LineString', coordinates: readPositions(reader, dims) };
    case TYPE.Polygon:
      return { type: 'Polygon', coordinates: readRings(reader, dims) };
    case TYPE.MultiPoint:
      return {
        type: 'MultiPoint',
        coordinates: readParts(reader, TYPE.Point).map((p) => p.coordinates as Position),
      };
    case TYPE.MultiLineString:
      return {
        type: 'MultiLineString',
        coordinates: readParts(reader, TYPE.LineString).map((p) => p.coordinates as Position[]),
      };
    case TYPE.MultiPolygon:
      return {
        type: 'MultiPolygon',
        coordinates: readParts(reader, TYPE.Polygon).map((p) => p.coordinates as Position[][]),
      };
    case TYPE.GeometryCollection: {
      // The service has no collection type; a collection of polygons is an area, anything else is not.
      const parts = readParts(reader, 0);
      if (parts.length === 0) return null;
      if (parts.every((p) => p.type === 'Polygon' || p.type === 'MultiPolygon')) {
        return {
          type: 'MultiPolygon',
          coordinates: parts.flatMap((p) =>
            p.type === 'Polygon' ? [p.coordinates] : (p.coordinates as Position[][][]),
          ),
        };
      }
      throw new WkbError(`GeometryCollection of ${[...new Set(parts.map((p) => p.type))].join('/')}`);
    }
    default:
      throw new WkbError(`unsupported WKB geometry type ${TYPE_NAMES[type] ?? type}`);
  }
}

/** Encodes a geometry as little-endian 2D ISO WKB. */
export function encodeWkb(geometry: AnyGeometry): Buffer {
  const size = wkbSize(geometry);
  const buffer = Buffer.alloc(size);
  const end = writeGeometry(buffer, 0, geometry);
  if (end !== size) throw new WkbError(`internal: wrote ${end} of ${size} bytes`);
  return buffer;
}

function wkbSize(geometry: AnyGeometry): number {
  const header = 5;
  switch (geometry.type) {
    case 'Point':
      return header + 16;
    case 'LineString':
      return header + 4 + geometry.coordinates.length * 16;
    case 'Polygon':
      return header + 4 + geometry.coordinates.reduce((sum, ring) => sum + 4 + ring.length * 16, 0);
    case 'MultiPoint':
      return header + 4 + geometry.coordinates.length * (header + 16);
    case 'MultiLineString':
      return header + 4 + geometry.coordinates.reduce((sum, line) => sum + header + 4 + line.length * 16, 0);
    case 'MultiPolygon':
      return (
        header +
        4 +
        geometry.coordinates.reduce(
          (sum, polygon) => sum + header + 4 + polygon.reduce((s, ring) => s + 4 + ring.length * 16, 0),
          0,
        )
      );
  }
}

function writeHeader(buffer: Buffer, offset: number, type: number): number {
  buffer.writeUInt8(1, offset);
  buffer.writeUInt32LE(type, offset + 1);
  return offset + 5;
}

function writePositions(buffer: Buffer, offset: number, positions: Position[], withCount = true): number {
  let at = offset;
  if (withCount) {
    buffer.writeUInt32LE(positions.length, at);
    at += 4;
  }
  for (const [x, y] of positions) {
    buffer.writeDoubleLE(x, at);
    buffer.writeDoubleLE(y, at + 8);
    at += 16;
  }
  return at;
}

function writeRings(buffer: Buffer, offset: number, rings: Position[][]): number {
  buffer.writeUInt32LE(rings.length, offset);
  let at = offset + 4;
  for (const ring of rings) at = writePositions(buffer, at, ring);
  return at;
}

function writeGeometry(buffer: Buffer, offset: number, geometry: AnyGeometry): number {
  let at = writeHeader(buffer, offset, TYPE[geometry.type]);
  switch (geometry.type) {
    case 'Point':
      return writePositions(buffer, at, [geometry.coordinates], false);
    case 'LineString':
      return writePositions(buffer, at, geometry.coordinates);
    case 'Polygon':
      return writeRings(buffer, at, geometry.coordinates);
    case 'MultiPoint':
      buffer.writeUInt32LE(geometry.coordinates.length, at);
      at += 4;
      for (const point of geometry.coordinates)
        at = writeGeometry(buffer, at, { type: 'Point', coordinates: point });
      return at;
    case 'MultiLineString':
      buffer.writeUInt32LE(geometry.coordinates.length, at);
      at += 4;
      for (const line of geometry.coordinates)
        at = writeGeometry(buffer, at, { type: 'LineString', coordinates: line });
      return at;
    case 'MultiPolygon':
      buffer.writeUInt32LE(geometry.coordinates.length, at);
      at += 4;
      for (const polygon of geometry.coordinates)
        at = writeGeometry(buffer, at, { type: 'Polygon', coordinates: polygon });
      return at;
  }
}

export interface DecodedGpkgGeometry {
  geometry: AnyGeometry | null;
  srsId: number;
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/**
 * Reads a GeoPackage geometry blob: "GP", version, flags (byte order, envelope kind, empty,
 * extended), srs_id, optional envelope, then standard WKB.
 */
export function decodeGpkgGeometry(blob: Uint8Array): DecodedGpkgGeometry {
  if (blob.byteLength < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new WkbError('not a GeoPackage geometry blob (no "GP" magic)');
  }
  const flags = blob[3]!;
  if (flags & 0x20) throw new WkbError('extended GeoPackage geometry types are not supported');
  const littleEndian = (flags & 0x01) === 1;
  const envelopeKind = (flags >> 1) & 0x07;
  const envelopeBytes = ENVELOPE_BYTES[envelopeKind];
  if (envelopeBytes === undefined) throw new WkbError(`invalid envelope indicator ${envelopeKind}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = view.getInt32(4, littleEndian);
  const start = 8 + envelopeBytes;
  if (start > blob.byteLength) throw new WkbError('GeoPackage geometry blob ends inside its envelope');
  const empty = (flags & 0x10) !== 0;
  if (empty || start === blob.byteLength) return { geometry: null, srsId };
  return { geometry: decodeWkb(blob.subarray(start)).geometry, srsId };
}

/** Writes a GeoPackage geometry blob (version 0, little-endian, XY envelope) around 2D WKB. */
export function encodeGpkgGeometry(geometry: AnyGeometry | null, srsId: number): Buffer {
  const header = Buffer.alloc(8);
  header.write('GP', 0, 'latin1');
  header.writeUInt8(0, 2);
  if (!geometry) {
    header.writeUInt8(0x01 | 0x10, 3);
    header.writeInt32LE(srsId, 4);
    // An empty geometry still carries WKB: an empty GeometryCollection.
    const emptyCollection = Buffer.alloc(9);
    emptyCollection.writeUInt8(1, 0);
    emptyCollection.writeUInt32LE(TYPE.GeometryCollection, 1);
    emptyCollection.writeUInt32LE(0, 5);
    return Buffer.concat([header, emptyCollection]);
  }
  const isPoint = geometry.type === 'Point';
  // Points carry no envelope (it would only repeat the point), as GDAL writes them.
  header.writeUInt8(0x01 | (isPoint ? 0 : 0x02), 3);
  header.writeInt32LE(srsId, 4);
  const wkb = encodeWkb(geometry);
  if (isPoint) return Buffer.concat([header, wkb]);
  const envelope = Buffer.alloc(32);
  const [minX, minY, maxX, maxY] = bboxOf(geometry);
  envelope.writeDoubleLE(minX, 0);
  envelope.writeDoubleLE(maxX, 8);
  envelope.writeDoubleLE(minY, 16);
  envelope.writeDoubleLE(maxY, 24);
  return Buffer.concat([header, envelope, wkb]);
}
