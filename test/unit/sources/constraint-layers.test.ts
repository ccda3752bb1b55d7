import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../sync/src/config/env.js';
import { parseRules } from '../../../sync/src/config/rules.js';
import { transformFor } from '../../../sync/src/geo/crs.js';
import { scoreLots } from '../../../sync/src/scoring/lot/score-lots.js';
import { constraintLayersOf } from '../../../sync/src/scoring/lot/constraint-zones.js';
import { loadExtraLayers } from '../../../sync/src/sources/constraint-layers.js';
import { SourceRegistry } from '../../../sync/src/sources/source-registry.js';
import { defaultSourcesFile } from '../../../sync/src/sources/sources-config.js';
import { startWfsDouble, type WfsDouble } from '../../doubles/wfs/server.js';
import { kommuneData, polygon, rect } from '../../helpers/plan-data.js';
import { figures, makeLot } from '../scoring/lot/lot-fixtures.js';

/** An NVE-style flood layer as a kommune would download it: RFC 7946 GeoJSON (lon/lat), one zone per return period. */
function floodGeoJson(): string {
  const lonLat = transformFor(25833, 4326);
  const zone = (x0: number, x1: number, gjentaksintervall: number) => ({
    type: 'Feature',
    properties: { gjentaksintervall },
    geometry: { type: 'Polygon', coordinates: [rect(x0, -10, x1, 110).map((p) => lonLat(p))] },
  });
  return JSON.stringify({ type: 'FeatureCollection', features: [zone(-10, 50, 200), zone(-10, 100, 1000)] });
}

const lot = makeLot(polygon(rect(0, 0, 100, 100)), { matrikkel: '5/1' });
const data = { ...kommuneData({}), boundary: polygon(rect(-500, -500, 500, 500)) };
let wfs: WfsDouble;
let registry: SourceRegistry;
const dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
writeFileSync(path.join(dir, 'flom-3218.geojson'), floodGeoJson());

beforeAll(async () => {
  wfs = await startWfsDouble({
    layers: {
      'nve:Skredfaresone': [
        {
          fid: 1,
          attributes: { skredtype: 'steinsprang' },
          geometry: { type: 'Polygon', coordinates: [rect(75, 0, 100, 100)] },
        },
      ],
    },
    namespace: 'https://nve.example/skred',
  });
  registry = new SourceRegistry({
    env: loadEnv({ source: { HTTP_MAX_RETRIES: '0', KOMMUNEINFO_URL: 'http://127.0.0.1:9/kommuneinfo/v1' } }),
    file: defaultSourcesFile(),
    cache: null,
  });
});
afterAll(async () => {
  await registry.close();
  await wfs.close();
});

describe('extra constraint layers', () => {
  it('reads a file layer (its {kommunenummer}, its "where") and a WFS layer, and reports one it cannot read', async () => {
    const rules = parseRules({
      lotScore: {
        constraints: {
          extraLayers: {
            '3218': [
              {
                name: 'NVE flomsone 200-år',
                constraint: 'flom',
                source: { file: path.join(dir, 'flom-{kommunenummer}.geojson') },
                where: { property: 'gjentaksintervall', values: [200] },
              },
              {
                name: 'NVE skredfaresone',
                constraint: 'skred',
                source: { wfs: wfs.url, typeName: 'nve:Skredfaresone' },
              },
              {
                name: 'Verneområder',
                constraint: 'naturvern',
                source: { file: path.join(dir, 'missing.gpkg') },
              },
            ],
          },
        },
      },
    }).lotScore;
    const layerRules = rules.constraints.extraLayers['3218']!;
    const { layers: read, problems } = await loadExtraLayers(data, layerRules, registry);
    expect(read.map((l) => [l.name, l.features.length])).toEqual([
      ['NVE flomsone 200-år', 2],
      ['NVE skredfaresone', 1],
    ]);
    const layers = constraintLayersOf(layerRules, read);
    expect(layers.map((l) => [l.name, l.constraint, l.features.length])).toEqual([
      ['NVE flomsone 200-år', 'flom', 1],
      ['NVE skredfaresone', 'skred', 1],
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/Kommune 3218: extra layer "Verneområder" not used: .*missing\.gpkg/),
    ]);

    const [scored] = await scoreLots([lot], { data, kommune: figures(60), rules, extraLayers: layers });
    const constraint = (key: string) => scored!.score.constraints.find((c) => c.key === key)!;
    expect(constraint('flom').fraction).toBeCloseTo(0.5, 2);
    expect(constraint('flom').sources).toEqual(['NVE flomsone 200-år']);
    expect(constraint('skred').fraction).toBeCloseTo(0.25, 2);
  });
});
