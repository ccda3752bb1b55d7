import { afterEach, describe, expect, it } from 'vitest';
import { polygonsOf, type AreaGeometry } from '../../../../sync/src/domain/geometry.js';
import { codeOf, planIdOf } from '../../../../sync/src/domain/plan.js';
import { kommunePlanRows, startWfsDouble, type WfsDouble } from '../../../doubles/wfs/server.js';
import { areaOf } from '../files/helpers.js';
import { registryFor } from '../source-test-kit.js';

const ROWS = kommunePlanRows(130, [-32_000, 6_730_000]);
let wfs: WfsDouble | undefined;
afterEach(async () => {
  await wfs?.close();
  wfs = undefined;
});

const config = (url: string, extra: Record<string, unknown> = {}) => ({
  sources: {
    bergen: {
      type: 'wfs',
      url,
      typeNames: { reguleringsplan: { 'plan:RPOMRADE': 'RpOmråde' } },
      attributes: {
        planid: 'arealplanId.planidentifikasjon',
        plannavn: 'plannavn',
        planstat: 'planstatus',
        vertniv: 'vertikalnivå',
        lokalid: 'identifikasjon.lokalId',
      },
      pageSize: 25,
      ...extra,
    },
  },
});

describe("a kommune's own WFS 2.0 (double)", () => {
  it('pages 130 outlines over 6 pages, maps the attributes onto SOSI names and fills in the kommune', async () => {
    wfs = await startWfsDouble({ layers: { 'plan:RPOMRADE': ROWS } });
    const { registry } = registryFor({ sources: config(`${wfs.url}/geoserver/plan/wfs`), cacheDir: null });
    const result = await registry.plan('bergen', 'reguleringsplan').fetchKommune!('4601', 'reguleringsplan');
    expect(result.features).toHaveLength(130);
    expect(result.coverage).toBe('covered');
    expect(wfs.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('STARTINDEX'))).toEqual([
      '0',
      '25',
      '50',
      '75',
      '100',
      '125',
    ]);
    const first = result.features[0]!;
    expect(first.objekttypenavn).toBe('RpOmråde');
    expect(planIdOf(first)).toBe('4601-2019000');
    expect(first.properties).toMatchObject({
      plannavn: 'Plan 1 & co',
      'identifikasjon.lokalId': 'kommune-rp-1',
    });
    expect(codeOf(first, 'planstatus')).toBe(3);
    expect(codeOf(result.features[9]!, 'planstatus')).toBe(2);
    expect(areaOf(first.geometry as AreaGeometry)).toBeCloseTo(10_000, 3);
    await registry.close();
  });

  it('asks for EPSG:25832 when configured and brings the geometry back to EPSG:25833', async () => {
    wfs = await startWfsDouble({ layers: { 'plan:RPOMRADE': ROWS.slice(0, 3) } });
    const { registry } = registryFor({
      sources: config(wfs.url, { srsName: 'urn:ogc:def:crs:EPSG::25832' }),
      cacheDir: null,
    });
    const [first] = (
      await registry.plan('bergen', 'reguleringsplan').fetchKommune!('4601', 'reguleringsplan')
    ).features;
    expect(wfs.requests[0]!.url).toContain('SRSNAME=urn%3Aogc%3Adef%3Acrs%3AEPSG%3A%3A25832');
    const corner = polygonsOf(first!.geometry as AreaGeometry)[0]![0]![0]!;
    expect(corner[0]).toBeCloseTo(-32_000, 1);
    expect(corner[1]).toBeCloseTo(6_730_000, 1);
    await registry.close();
  });

  it('reads GeoServer GeoJSON output as well', async () => {
    wfs = await startWfsDouble({ layers: { 'plan:RPOMRADE': ROWS.slice(0, 30) } });
    const { registry } = registryFor({ sources: config(wfs.url, { format: 'GEOJSON' }), cacheDir: null });
    const result = await registry.plan('bergen', 'reguleringsplan').fetchKommune!('4601', 'reguleringsplan');
    expect(result.features).toHaveLength(30);
    expect(result.features[29]!.properties['identifikasjon.lokalId']).toBe('kommune-rp-30');
    expect(wfs.requests[0]!.url).toContain('OUTPUTFORMAT=application%2Fjson');
    await registry.close();
  });
});
