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
  const coordinates: number[] = [];
  const structure: number[] = [];
  const fields: Fields[] = [];
  for (const parcel of parcels) {
    const { geometry } = parcel;
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    structure.push(geometry.type === 'Polygon' ? 0 : 1, polygons.length);
    for (const polygon of polygons) {
      structure.push(polygon.length);
      for (const ring of polygon) {
        structure.push(ring.length);
        for (const position of ring) coordinates.push(position[0], position[1]);
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
  return {
    coordinates: Float64Array.from(coordinates),
    structure: Int32Array.from(structure),
    fields: JSON.stringify(fields),
  };
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
