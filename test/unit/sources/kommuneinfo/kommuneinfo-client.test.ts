import { afterEach, describe, expect, it } from 'vitest';
import { isWithin, NORWAY_BBOX_25833, bboxOf } from '../../../../sync/src/geo/crs.js';
import { insidePolygon } from '../../../../sync/src/sources/teig/tiles.js';
import { polygonsOf } from '../../../../sync/src/domain/geometry.js';
import { InputError } from '../../../../sync/src/util/errors.js';
import type { Double } from '../../../doubles/double.js';
import { startKommuneinfoDouble } from '../../../doubles/kommuneinfo/server.js';
import { registryFor } from '../source-test-kit.js';

let double: Double | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('kommuneinfo (double) with the bundled boundaries as fallback', () => {
  it('reads name, fylke, boundary and point in EPSG:25833', async () => {
    double = await startKommuneinfoDouble();
    const { registry } = registryFor({ kommuneinfoUrl: double.url, cacheDir: null });
    const info = await registry.kommuneinfo.kommune('3218');
    expect(info.kommune).toEqual({
      kommunenummer: '3218',
      navn: 'Ås',
      fylkesnummer: '32',
      fylkesnavn: 'Akershus',
    });
    expect(info.source).toBe('kommuneinfo');
    expect(isWithin(bboxOf(info.boundary), NORWAY_BBOX_25833)).toBe(true);
    expect(polygonsOf(info.boundary).some((p) => insidePolygon(info.centre.coordinates, p))).toBe(true);
    expect(double.requests[0]!.url).toBe('/kommuner/3218/omrade?utkoordsys=25833');
    await registry.close();
  });

  it('falls back to the bundled 2024 boundary when the API fails, and says why', async () => {
    double = await startKommuneinfoDouble();
    double.inject({ kind: '503', times: 10 });
    const { registry } = registryFor({ kommuneinfoUrl: double.url, cacheDir: null, maxRetries: 1 });
    const info = await registry.kommuneinfo.kommune('4601');
    expect(info).toMatchObject({
      source: 'bundled-2024',
      kommune: { navn: 'Bergen', fylkesnummer: '46', fylkesnavn: null },
    });
    expect(info.fallbackReason).toMatch(/source kommuneinfo.*HTTP 503/);
    // Bergen lies west of zone 33's false easting: negative eastings.
    expect(bboxOf(info.boundary)[0]).toBeLessThan(0);
    expect(polygonsOf(info.boundary).some((p) => insidePolygon(info.centre.coordinates, p))).toBe(true);
    await registry.close();
  });

  it('refuses an unknown kommunenummer', async () => {
    double = await startKommuneinfoDouble();
    const { registry } = registryFor({ kommuneinfoUrl: double.url, cacheDir: null });
    await expect(registry.kommuneinfo.kommune('9999')).rejects.toBeInstanceOf(InputError);
    await registry.close();
  });
});
