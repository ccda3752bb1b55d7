import { describe, expect, it } from 'vitest';
import { isWithin, parseCrs, reproject, toLonLat, transformFor } from '../../../sync/src/geo/crs.js';

describe('CRS', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::25833', 25833, false],
    ['http://www.opengis.net/def/crs/EPSG/0/25832', 25832, false],
    ['EPSG:25835', 25835, false],
    ['urn:ogc:def:crs:EPSG::4326', 4326, true],
    ['urn:ogc:def:crs:EPSG::4258', 4258, true],
    ['EPSG:4326', 4326, false],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326, false],
  ])('reads %s', (name, epsg, latFirst) => {
    expect(parseCrs(name)).toEqual({ epsg, latFirst });
  });

  it('refuses CRSs the service does not read', () => {
    expect(parseCrs('EPSG:3857')).toBeNull();
    expect(parseCrs('urn:ogc:def:crs:EPSG::5972')).toBeNull();
  });

  it('puts Bergen at a negative easting in EPSG:25833 and back (the recorded teig 167/714)', () => {
    const [lon, lat] = toLonLat([-31841.977, 6735304.036]);
    expect(lon).toBeCloseTo(5.3241, 3);
    expect(lat).toBeCloseTo(60.4014, 3);
    const [x, y] = transformFor(4326, 25833)([lon, lat]);
    expect(x).toBeCloseTo(-31841.977, 3);
    expect(y).toBeCloseTo(6735304.036, 3);
    expect(isWithin([x, y, x, y])).toBe(true);
  });

  it('moves EPSG:25832 and EPSG:25835 coordinates to the same place in EPSG:25833', () => {
    const ås = transformFor(4326, 25833)([10.79, 59.665]);
    const fromZone32 = reproject(
      { type: 'Point', coordinates: transformFor(4326, 25832)([10.79, 59.665]) },
      25832,
    );
    expect(fromZone32.coordinates[0]).toBeCloseTo(ås[0], 3);
    expect(fromZone32.coordinates[1]).toBeCloseTo(ås[1], 3);
    const alta = transformFor(4326, 25833)([23.27, 69.97]);
    const fromZone35 = reproject(
      { type: 'Point', coordinates: transformFor(4326, 25835)([23.27, 69.97]) },
      25835,
    );
    expect(fromZone35.coordinates[0]).toBeCloseTo(alta[0], 3);
  });

  it('tells coordinates in the wrong CRS from Norwegian ones', () => {
    expect(isWithin([10.7, 59.6, 10.8, 59.7])).toBe(false);
    expect(isWithin([262_000, 6_621_000, 263_000, 6_622_000])).toBe(true);
  });
});
