import type { AreaGeometry, PolygonCoordinates, Position } from '../../domain/geometry.js';
import type { Matrikkelnummer, Parcel } from '../../domain/parcel.js';

/**
 * Parcels packed to cross from a reading thread to the main thread: every coordinate in one
 * Float64Array and the ring structure in one Int32Array (both transferred, not copied), the rest
 * as one JSON string. Why: structured clone of the bench kommune's 74,454 parcels (half a million
 * `[x, y]` arrays) took about 1.8 s between the thread's post and the main thread's receipt, longer
 * than reading them; packed, it is a few hundred milliseconds.
 */
export interface PackedParcels {
  coordinates: Float64Array;
  /** Per parcel: 0 Polygon / 1 MultiPolygon, polygon count; per polygon: ring count; per ring: position count. */
  structure: Int32Array;
  /** Per parcel: [teigId, kommunenummer, matrikkelnummertekst, matrikkelenhetId, lagretArealM2, units]. */
  fields: string;
}

type Fields = [
  string,
  string,
  string,
  string | null,
  number | null,
  Array<[string, number, number, number, number]>,
];

export function packParcels(parcels: Parcel[]): PackedParcels {
  // Sized first, then filled: growing plain arrays and copying them cost twice the packing itself.
  const size = sizeOf(parcels);
  const coordinates = new Float64Array(size.coordinates);
  const structure = new Int32Array(size.structure);
  const fields: Fields[] = [];
  let c = 0;
  let s = 0;
  for (const parcel of parcels) {
    const polygons = polygonsOf(parcel.geometry);
    structure[s++] = parcel.geometry.type === 'Polygon' ? 0 : 1;
    structure[s++] = polygons.length;
    for (const polygon of polygons) {
      structure[s++] = polygon.length;
      for (const ring of polygon) {
        structure[s++] = ring.length;
        for (const position of ring) {
          coordinates[c++] = position[0];
          coordinates[c++] = position[1];
        }
      }
    }
    fields.push([
      parcel.teigId,
      parcel.kommunenummer,
      parcel.matrikkelnummertekst,
      parcel.matrikkelenhetId,
      parcel.lagretArealM2,
      parcel.matrikkelenheter.map((m) => [m.kommunenummer, m.gnr, m.bnr, m.fnr, m.snr]),
    ]);
  }
  return { coordinates, structure, fields: JSON.stringify(fields) };
}

/** Whether packing keeps the parcels whole: every position an [x, y] pair (a third value would be lost). */
export function isPackable(parcels: readonly Parcel[]): boolean {
  return parcels.every((parcel) =>
    polygonsOf(parcel.geometry).every((polygon) =>
      polygon.every((ring) => ring.every((position) => position.length === 2)),
    ),
  );
}

function polygonsOf(geometry: AreaGeometry): PolygonCoordinates[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The lengths `packParcels` fills: two numbers per position; type and count per parcel, a count per polygon and ring. */
function sizeOf(parcels: Parcel[]): { coordinates: number; structure: number } {
  let coordinates = 0;
  let structure = 0;
  for (const parcel of parcels) {
    const polygons = polygonsOf(parcel.geometry);
    structure += 2 + polygons.length;
    for (const polygon of polygons) {
      structure += polygon.length;
      for (const ring of polygon) coordinates += 2 * ring.length;
    }
  }
  return { coordinates, structure };
}

/** The buffers `postMessage` should transfer rather than copy. */
export function transferablesOf(packed: PackedParcels): ArrayBuffer[] {
  return [packed.coordinates.buffer as ArrayBuffer, packed.structure.buffer as ArrayBuffer];
}

export function unpackParcels(packed: PackedParcels): Parcel[] {
  const { coordinates, structure } = packed;
  const fields = JSON.parse(packed.fields) as Fields[];
  let s = 0;
  let c = 0;
  const ring = (): Position[] => {
    const count = structure[s++]!;
    const positions: Position[] = [];
    for (let i = 0; i < count; i += 1, c += 2) positions.push([coordinates[c]!, coordinates[c + 1]!]);
    return positions;
  };
  const polygon = (): PolygonCoordinates => {
    const count = structure[s++]!;
    const rings: PolygonCoordinates = [];
    for (let i = 0; i < count; i += 1) rings.push(ring());
    return rings;
  };
  return fields.map(
    ([teigId, kommunenummer, matrikkelnummertekst, matrikkelenhetId, lagretArealM2, units]) => {
      const multi = structure[s++] === 1;
      const count = structure[s++]!;
      const polygons: PolygonCoordinates[] = [];
      for (let i = 0; i < count; i += 1) polygons.push(polygon());
      const geometry: AreaGeometry = multi
        ? { type: 'MultiPolygon', coordinates: polygons }
        : { type: 'Polygon', coordinates: polygons[0]! };
      const matrikkelenheter: Matrikkelnummer[] = units.map(([k, gnr, bnr, fnr, snr]) => ({
        kommunenummer: k,
        gnr,
        bnr,
        fnr,
        snr,
      }));
      return {
        teigId,
        kommunenummer,
        matrikkelnummertekst,
        matrikkelenheter,
        matrikkelenhetId,
        lagretArealM2,
        geometry,
      };
    },
  );
}
