import { describe, expect, it } from 'vitest';
import type { AnyGeometry } from '../../../sync/src/domain/geometry.js';
import {
  decodeGpkgGeometry,
  decodeWkb,
  encodeGpkgGeometry,
  encodeWkb,
  WkbError,
} from '../../../sync/src/geo/wkb.js';

const polygon: AnyGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [-31866.543, 6735324.024],
      [-31810.559, 6735292.425],
      [-31824.549, 6735278.469],
      [-31866.543, 6735324.024],
    ],
  ],
};
const samples: AnyGeometry[] = [
  { type: 'Point', coordinates: [262000.5, 6650000.25] },
  {
    type: 'LineString',
    coordinates: [
      [0, 0],
      [1, 1],
      [2, 0],
    ],
  },
  polygon,
  {
    type: 'MultiPoint',
    coordinates: [
      [1, 2],
      [3, 4],
    ],
  },
  {
    type: 'MultiLineString',
    coordinates: [
      [
        [0, 0],
        [1, 1],
      ],
      [
        [2, 2],
        [3, 3],
      ],
    ],
  },
  {
    type: 'MultiPolygon',
    coordinates: [
      polygon.coordinates as never,
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    ],
  },
];

/** WKB written by hand, byte by byte, as PostGIS/GDAL would: big-endian, ISO Z, EWKB with SRID. */
function wkb(
  parts: Array<['u8', number] | ['u32be' | 'u32le', number] | ['f64be' | 'f64le', number]>,
): Buffer {
  const out: Buffer[] = [];
  for (const [kind, value] of parts) {
    const b = Buffer.alloc(kind === 'u8' ? 1 : kind.startsWith('u32') ? 4 : 8);
    if (kind === 'u8') b.writeUInt8(value);
    else if (kind === 'u32be') b.writeUInt32BE(value);
    else if (kind === 'u32le') b.writeUInt32LE(value);
    else if (kind === 'f64be') b.writeDoubleBE(value);
    else b.writeDoubleLE(value);
    out.push(b);
  }
  return Buffer.concat(out);
}

describe('WKB', () => {
  it.each(samples.map((g) => [g.type, g] as const))('round-trips a %s', (_type, geometry) => {
    expect(decodeWkb(encodeWkb(geometry)).geometry).toEqual(geometry);
  });

  it('reads big-endian ISO PointZ (1001), dropping Z', () => {
    const bytes = wkb([
      ['u8', 0],
      ['u32be', 1001],
      ['f64be', 10],
      ['f64be', 20],
      ['f64be', 99],
    ]);
    expect(decodeWkb(bytes).geometry).toEqual({ type: 'Point', coordinates: [10, 20] });
  });

  it('reads PostGIS EWKB with an SRID and Z flag', () => {
    const bytes = wkb([
      ['u8', 1],
      ['u32le', (0x80000000 | 0x20000000 | 2) >>> 0],
      ['u32le', 25833],
      ['u32le', 2],
      ['f64le', 1],
      ['f64le', 2],
      ['f64le', 3],
      ['f64le', 4],
      ['f64le', 5],
      ['f64le', 6],
    ]);
    expect(decodeWkb(bytes)).toEqual({
      geometry: {
        type: 'LineString',
        coordinates: [
          [1, 2],
          [4, 5],
        ],
      },
      srid: 25833,
    });
  });

  it('turns a GeometryCollection of polygons into a MultiPolygon and refuses curves and short input', () => {
    const collection = Buffer.concat([
      wkb([
        ['u8', 1],
        ['u32le', 7],
        ['u32le', 1],
      ]),
      encodeWkb(polygon),
    ]);
    expect(decodeWkb(collection).geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [polygon.coordinates],
    });
    expect(() =>
      decodeWkb(
        wkb([
          ['u8', 1],
          ['u32le', 8],
          ['u32le', 0],
        ]),
      ),
    ).toThrow(/CircularString/);
    expect(() => decodeWkb(encodeWkb(polygon).subarray(0, 30))).toThrow(WkbError);
  });
});

describe('GeoPackage geometry blob', () => {
  it.each(samples.map((g) => [g.type, g] as const))('round-trips a %s with its srs_id', (_type, geometry) => {
    expect(decodeGpkgGeometry(encodeGpkgGeometry(geometry, 25833))).toEqual({ geometry, srsId: 25833 });
  });

  it('writes the XY envelope GeoPackage readers use for their spatial filters', () => {
    const blob = encodeGpkgGeometry(polygon, 25833);
    expect(blob.subarray(0, 2).toString('latin1')).toBe('GP');
    expect(blob[3]! & 0x0e).toBe(0x02); // envelope kind 1: [minx, maxx, miny, maxy]
    expect([
      blob.readDoubleLE(8),
      blob.readDoubleLE(16),
      blob.readDoubleLE(24),
      blob.readDoubleLE(32),
    ]).toEqual([-31866.543, -31810.559, 6735278.469, 6735324.024]);
  });

  it('reads an empty geometry as null and big-endian headers with a 3D envelope', () => {
    expect(decodeGpkgGeometry(encodeGpkgGeometry(null, 4326))).toEqual({ geometry: null, srsId: 4326 });
    const header = Buffer.alloc(8 + 48);
    header.write('GP', 0, 'latin1');
    header.writeUInt8(0b0000_0100, 3); // big-endian header, envelope kind 2 (XYZ, 48 bytes)
    header.writeInt32BE(25832, 4);
    const blob = Buffer.concat([header, encodeWkb({ type: 'Point', coordinates: [1, 2] })]);
    expect(decodeGpkgGeometry(blob)).toEqual({
      geometry: { type: 'Point', coordinates: [1, 2] },
      srsId: 25832,
    });
  });

  it('refuses what is not a GeoPackage blob', () => {
    expect(() => decodeGpkgGeometry(Buffer.from('XX\0\0\0\0\0\0'))).toThrow(/no "GP" magic/);
  });
});
