import type { Parcel } from '../domain/parcel.js';
import { isPackable, packParcels, unpackParcels, type PackedParcels } from './files/parcel-transfer.js';

/**
 * How a last good copy is laid out before compression. Most parts: the entry as one JSON text.
 * Parcels (the largest part: 31 MB of JSON for the 74,454-teig bench kommune, whose writing took
 * 0.85 s of the main thread during reading): the entry's fields as a first JSON line, `data` null
 * and the sections' byte lengths under `packed`, then the coordinates (Float64, this machine's
 * byte order: the copy never leaves it), the ring structure (Int32) and the other fields (JSON).
 * The first line keeps `,"data":` where `savedAtOf` looks for it.
 */
interface PackedHead {
  packed: { coordinates: number; structure: number; fields: number };
  data: null;
}

const NEWLINE = 0x0a;

export function encodeEntry(entry: { part: string; data: unknown }): Buffer {
  if (entry.part !== 'parcels' || !isPackable(entry.data as Parcel[]))
    return Buffer.from(JSON.stringify(entry));
  const packed = packParcels(entry.data as Parcel[]);
  const fields = Buffer.from(packed.fields);
  const head: PackedHead = {
    packed: {
      coordinates: packed.coordinates.byteLength,
      structure: packed.structure.byteLength,
      fields: fields.byteLength,
    },
    data: null,
  };
  return Buffer.concat([
    Buffer.from(`${JSON.stringify({ ...entry, ...head })}\n`),
    Buffer.from(packed.coordinates.buffer, packed.coordinates.byteOffset, packed.coordinates.byteLength),
    Buffer.from(packed.structure.buffer, packed.structure.byteOffset, packed.structure.byteLength),
    fields,
  ]);
}

/** The entry `encodeEntry` wrote, or what an older JSON-only copy holds. Throws on a damaged copy. */
export function decodeEntry<T>(bytes: Buffer): T {
  // JSON.stringify writes no raw newline: a JSON-only copy has none.
  const end = bytes.indexOf(NEWLINE);
  if (end < 0) return JSON.parse(bytes.toString('utf8')) as T;
  const { packed, ...entry } = JSON.parse(bytes.toString('utf8', 0, end)) as PackedHead &
    Record<string, unknown>;
  let at = end + 1;
  const take = (length: number) => {
    if (at + length > bytes.length) throw new Error('last good copy is shorter than its head says');
    const section = new Uint8Array(length);
    section.set(bytes.subarray(at, (at += length)));
    return section.buffer;
  };
  const parcels: PackedParcels = {
    coordinates: new Float64Array(take(packed.coordinates)),
    structure: new Int32Array(take(packed.structure)),
    fields: Buffer.from(take(packed.fields)).toString('utf8'),
  };
  if (at !== bytes.length) throw new Error('last good copy is longer than its head says');
  return { ...entry, data: unpackParcels(parcels) } as T;
}
