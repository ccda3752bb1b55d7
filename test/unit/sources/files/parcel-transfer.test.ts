import { describe, expect, it } from 'vitest';
import {
  packParcels,
  transferablesOf,
  unpackParcels,
} from '../../../../sync/src/sources/files/parcel-transfer.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../../scripts/sample/kommune-generator.js';
import { multiUnitParcel } from './helpers.js';

const shared = multiUnitParcel('4601', [-31866.543, 6735324.024]);

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
