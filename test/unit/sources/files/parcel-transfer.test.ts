import { describe, expect, it } from 'vitest';
import type { Parcel } from '../../../../sync/src/domain/parcel.js';
import {
  packParcels,
  transferablesOf,
  unpackParcels,
} from '../../../../sync/src/sources/files/parcel-transfer.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../../scripts/sample/kommune-generator.js';
import { squareCoordinates } from './helpers.js';

const shared: Parcel = {
  teigId: '261221547',
  kommunenummer: '4601',
  matrikkelnummertekst: '167/714',
  matrikkelenheter: [
    { kommunenummer: '4601', gnr: 167, bnr: 714, fnr: 0, snr: 0 },
    { kommunenummer: '4601', gnr: 167, bnr: 715, fnr: 3, snr: 2 },
  ],
  matrikkelenhetId: null,
  lagretArealM2: null,
  geometry: {
    type: 'MultiPolygon',
    coordinates: [
      [...squareCoordinates(-31866.543, 6735324.024, 40), ...squareCoordinates(-31856.5, 6735334.1, 5)],
      squareCoordinates(-31700.125, 6735300.5, 12.3456789),
    ],
  },
};

describe('packParcels / unpackParcels: parcels across threads as two typed arrays and one string', () => {
  it('gives back exactly the parcels packed: multipolygons with holes, several units, null fields', () => {
    const { parcels } = generateKommune(SAMPLE_OPTIONS);
    const all = [...parcels, shared];
    const packed = packParcels(all);
    expect(packed.coordinates).toBeInstanceOf(Float64Array);
    expect(unpackParcels(structuredClone(packed, { transfer: transferablesOf(packed) }))).toStrictEqual(all);
  });

  it('packs nothing into nothing', () => {
    expect(unpackParcels(packParcels([]))).toEqual([]);
  });
});
