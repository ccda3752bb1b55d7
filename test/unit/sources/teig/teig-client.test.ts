import { afterEach, describe, expect, it } from 'vitest';
import type { AreaGeometry, BBox } from '../../../../sync/src/domain/geometry.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { parcelGrid, startTeigDouble, type TeigDouble } from '../../../doubles/teig/server.js';
import { dataFolder, registryFor } from '../source-test-kit.js';

const ORIGIN: [number, number] = [265_020, 6_618_020];
// 30 × 30 parcels of 40 m from ORIGIN; the 30th column belongs to kommune 9999.
const GRID = parcelGrid('3218', ORIGIN, 30, 30, 40);
const BBOX: BBox = [265_000, 6_618_000, 266_200, 6_619_200];
const sources = { sources: { 'teig-wfs': { type: 'teig-wfs', tileSizeM: 600, pageSize: 40 } } };

let teig: TeigDouble | undefined;
const folders: Array<ReturnType<typeof dataFolder>> = [];
afterEach(async () => {
  await teig?.close();
  teig = undefined;
  folders.splice(0).forEach((f) => f.remove());
});

describe('teig WFS contract (double)', () => {
  it('tiles the box, pages each tile with count/startIndex past numberReturned="0", de-duplicates and drops neighbours', async () => {
    teig = await startTeigDouble(GRID);
    const { registry } = registryFor({ teigUrl: teig.url, sources, cacheDir: null });
    const result = await registry.parcels('teig-wfs').fetchKommune('3218', { bbox: BBOX, boundary: null });
    expect(result.tiles).toBe(4);
    expect(result.parcels).toHaveLength(29 * 30);
    expect(new Set(result.parcels.map((p) => p.teigId)).size).toBe(29 * 30);
    expect(result.parcels.every((p) => p.kommunenummer === '3218')).toBe(true);
    // Parcels straddle the 600 m tile edges (grid offset 20 m): more members were served than kept.
    const served = teig.requests.length;
    expect(result.pages).toBe(served);
    expect(served).toBeGreaterThanOrEqual(4 * 6);
    const firstTile = teig.requests.filter((r) => r.url.includes('BBOX=265000.00%2C6618000.00'));
    expect(firstTile.map((r) => new URL(r.url, 'http://x').searchParams.get('STARTINDEX'))).toEqual([
      '0',
      '40',
      '80',
      '120',
      '160',
      '200',
    ]);
    expect(result.parcels[0]).toMatchObject({
      matrikkelnummertekst: '100/1',
      lagretArealM2: 1600,
      matrikkelenheter: [{ gnr: 100, bnr: 1 }],
    });
    await registry.close();
  });

  it('skips tiles wholly outside the kommune boundary', async () => {
    teig = await startTeigDouble(GRID);
    const { registry } = registryFor({ teigUrl: teig.url, sources, cacheDir: null });
    // A triangle over the lower-left half: the upper-right tile never touches it.
    const boundary: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [265_000, 6_618_000],
          [266_100, 6_618_000],
          [265_000, 6_619_100],
          [265_000, 6_618_000],
        ],
      ],
    };
    const result = await registry.parcels('teig-wfs').fetchKommune('3218', { bbox: BBOX, boundary });
    expect(result.tiles).toBe(3);
    await registry.close();
  });

  it('survives 504 outages with retries and reports them when they do not end', async () => {
    teig = await startTeigDouble(GRID.slice(0, 50));
    teig.inject({ kind: '504', times: 3 });
    const { registry } = registryFor({ teigUrl: teig.url, sources, cacheDir: null });
    const ok = await registry
      .parcels('teig-wfs')
      .fetchKommune('3218', { bbox: [265_000, 6_618_000, 265_500, 6_619_300], boundary: null });
    expect(ok.parcels).toHaveLength(50);
    expect(teig.requests.filter((r) => r.status === 504)).toHaveLength(3);

    teig.inject({ kind: '504', times: 100 });
    const error = await registry
      .parcels('teig-wfs')
      .fetchKommune('3218', { bbox: [265_000, 6_618_000, 265_500, 6_619_300], boundary: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      kind: 'http-status',
      context: { source: 'teig-wfs', kommune: '3218', status: 504 },
    });
    teig.clearFaults();
    await registry.close();
  });

  it('costs only 304s for an unchanged kommune on the next night, and full pages for a changed one', async () => {
    teig = await startTeigDouble(GRID);
    const folder = dataFolder();
    folders.push(folder);
    const night = async () => {
      const { registry } = registryFor({ teigUrl: teig!.url, sources, cacheDir: folder.cacheDir });
      const result = await registry.parcels('teig-wfs').fetchKommune('3218', { bbox: BBOX, boundary: null });
      await registry.close();
      return result;
    };
    const first = await night();
    const before = teig.requests.length;
    const second = await night();
    const unchanged = teig.requests.slice(before);
    expect(unchanged.every((r) => r.conditional && r.status === 304)).toBe(true);
    expect(second.parcels).toEqual(first.parcels);

    // One parcel is split: only the pages holding it change.
    teig.setParcels(GRID.map((p) => (p.gnr === 100 && p.bnr === 1 ? { ...p, size: 39 } : p)));
    const mark = teig.requests.length;
    const third = await night();
    const changed = teig.requests.slice(mark);
    expect(changed.filter((r) => r.status === 200).length).toBe(1);
    expect(third.parcels.find((p) => p.matrikkelnummertekst === '100/1')!.lagretArealM2).toBe(1521);
  });
});
