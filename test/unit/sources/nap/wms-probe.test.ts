import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { lokalIdOf } from '../../../../sync/src/domain/plan.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import type { Double } from '../../../doubles/double.js';
import { RECORDED_VN1, startWmsDouble } from '../../../doubles/wms/server.js';
import { reference } from '../files/helpers.js';
import { registryFor } from '../source-test-kit.js';

/** Teig 167/714's representasjonspunkt, the point the recorded answer was asked for. */
const BERGEN_167_714: [number, number] = [-31841.977, 6735304.036];

let wms: Double | undefined;
afterEach(async () => {
  await wms?.close();
  wms = undefined;
});

function probeSource(url: string, extra: Record<string, unknown> = {}) {
  return registryFor({
    sources: { sources: { 'nap-wms': { type: 'nap-wms', url, ...extra } } },
    cacheDir: null,
  });
}

describe('NAP WMS GetFeatureInfo point probe (double)', () => {
  it('finds the recorded Bybanen tunnel plan at vertikalnivå 1 and nothing on the ground, one request per level', async () => {
    wms = await startWmsDouble({ byLevel: { 1: RECORDED_VN1.features } });
    const { registry } = probeSource(`${wms.url}/services/wms/reguleringsplaner`);
    const probe = await registry.plan('nap-wms', 'probe').probe!(BERGEN_167_714);
    expect(probe.features.map((f) => [f.objekttypenavn, f.properties['vertikalnivå']])).toEqual([
      ['RpArealformålOmråde', '1'],
      ['RpOmråde', '1'],
      ['RpBåndleggingSone', '1'],
      ['RpSikringSone', '1'],
      ['RpBestemmelseOmråde', '1'],
    ]);
    expect(wms.requests).toHaveLength(5);
    const asked = new URL(wms.requests[0]!.url, 'http://x').searchParams;
    expect(
      Object.fromEntries(['CRS', 'BBOX', 'INFO_FORMAT', 'I', 'J', 'WIDTH'].map((k) => [k, asked.get(k)])),
    ).toEqual({
      CRS: 'EPSG:25833',
      BBOX: '-31881.977,6735264.036,-31801.977,6735344.036',
      INFO_FORMAT: 'application/json',
      I: '50',
      J: '50',
      WIDTH: '101',
    });
    expect(probe.window).toBe('EPSG:25833 ±40 m around -31842.0 6735304.0');
    await registry.close();
  });

  it('ignores the per-request feature ids: two probes give the same lokalIds', async () => {
    wms = await startWmsDouble({ byLevel: { 1: RECORDED_VN1.features } });
    const { registry } = probeSource(`${wms.url}/wms`, { vertikalniva: [1] });
    const source = registry.plan('nap-wms', 'probe');
    const first = await source.probe!(BERGEN_167_714);
    const second = await source.probe!(BERGEN_167_714);
    expect(second.features.map(lokalIdOf)).toEqual(first.features.map(lokalIdOf));
    await registry.close();
  });

  it('keeps a lost utnyttingstall as null and reports it', async () => {
    const withNumber = RECORDED_VN1.features.map((f) => ({
      ...f,
      properties: { ...f.properties, 'utnytting.utnyttingstall': 35 },
    }));
    wms = await startWmsDouble({ byLevel: { 1: withNumber }, leakUtnyttingstall: true });
    const { registry } = probeSource(`${wms.url}/wms`, { vertikalniva: [1] });
    const probe = await registry.plan('nap-wms', 'probe').probe!(BERGEN_167_714);
    expect(probe.features[0]!.properties['utnytting.utnyttingstall']).toBeNull();
    expect(probe.warnings[0]!.problem).toMatch(/utnytting\.utnyttingstall was lost by the server/);
    await registry.close();
  });

  it('turns the LayerNotDefined report (HTTP 200) into a service-exception SourceError', async () => {
    wms = await startWmsDouble({ byLevel: {} });
    const { registry } = probeSource(`${wms.url}/wms`, { layers: ['arealformal', 'arealformål-feil'] });
    const error = await registry.plan('nap-wms', 'probe').probe!(BERGEN_167_714, {
      kommunenummer: '4601',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      kind: 'service-exception',
      context: { source: 'nap-wms', kommune: '4601' },
    });
    expect((error as Error).message).toMatch(/LayerNotDefined/);
    await registry.close();
  });

  it('refuses a non-empty answer in a CRS it did not ask for (the recorded EPSG:3857 answer)', async () => {
    wms = await startWmsDouble({ byLevel: {} });
    wms.inject({ kind: 'body', body: readFileSync(reference('nap-gfi-utnyttingstall-array-leak.json')) });
    const { registry } = probeSource(`${wms.url}/wms`, { vertikalniva: [1] });
    const error = await registry.plan('nap-wms', 'probe').probe!(BERGEN_167_714).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'unexpected-crs',
      message: expect.stringContaining('urn:ogc:def:crs:EPSG::3857'),
    });
    await registry.close();
  });
});
