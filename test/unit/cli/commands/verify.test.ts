import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLonLat } from '../../../../sync/src/geo/crs.js';
import type { Double } from '../../../doubles/double.js';
import { generatePlans, utm33, type NapFeature } from '../../../doubles/nap/plan-data.js';
import { RECORDED_VN1, startWmsDouble } from '../../../doubles/wms/server.js';
import { runCli } from '../../../helpers/run-cli.js';

const ORIGIN = utm33(10.79, 59.66);
const PLANS = generatePlans('3218', ORIGIN, { zones: 4, plans: 2 });
// Plan 1 in force on the ground; a second plan in progress (planstatus 2) further east.
const inProgress: NapFeature = {
  ...PLANS.reguleringsplan[2]!,
  properties: {
    ...PLANS.reguleringsplan[2]!.properties,
    planstatus: '2',
    'arealplanId.planidentifikasjon': 'forslag-1',
  },
};
let wms: Double;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  wms = await startWmsDouble({
    byLevel: { 1: RECORDED_VN1.features, 2: [PLANS.reguleringsplan[0]!, inProgress] },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-cli-verify-'));
  const sources = path.join(dir, 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify({
      sources: { 'nap-wms': { type: 'nap-wms', rateLimit: { requestsPerSecond: 1000, concurrency: 4 } } },
    }),
  );
  env = { DATA_DIR: dir, NAP_BASE_URL: wms.url, LOG_LEVEL: 'warn', SOURCES_FILE: sources };
});
afterAll(async () => {
  await wms.close();
  rmSync(dir, { recursive: true, force: true });
});

const square = (x: number, y: number, size: number) => [
  [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ],
];

describe('tomtejakt verify', () => {
  it('says REGULATED for a lot now under a reguleringsplan in force on the ground (--point)', async () => {
    const [x, y] = ORIGIN;
    const { code, stdout } = await runCli(
      ['verify', '3218-100/1-kpaf-3218-0', '--point', `${x + 60},${y + 60}`],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('3218-100/1-kpaf-3218-0: REGULATED');
    expect(stdout).toMatch(/plan 3218-32181000 planstatus 3 vertikalnivå 2: Detaljregulering 1/);
    expect(wms.requests.at(-1)!.url).toContain('/services/wms/reguleringsplaner?SERVICE=WMS');
  });

  it('says CLEAR at Bergen 167/714, where only the tunnel plan (vertikalnivå 1) lies', async () => {
    const { code, stdout } = await runCli(
      ['verify', '4601-167/714-x', '--point', '-31841.977,6735304.036'],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('4601-167/714-x: CLEAR');
    expect(stdout).toContain('also found: RpOmråde vertikalnivå 1 × 1');
  });

  it('reads the lot from a lots.geojson (lon/lat, picks the tomt_id) and probes points across a large lot', async () => {
    const [x, y] = ORIGIN;
    // A 240 m lot over the plan in progress (plan 2's outline lies at +320…+420 m, +20…+120 m).
    const ring = square(x + 300, y + 0, 240)[0]!.map((p) => toLonLat(p as [number, number]));
    const file = path.join(dir, 'lots.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { tomt_id: 'other' },
            geometry: { type: 'Point', coordinates: [0, 0] },
          },
          {
            type: 'Feature',
            properties: { tomt_id: '3218-101/1-kpaf-3218-2' },
            geometry: { type: 'Polygon', coordinates: [ring] },
          },
        ],
      }),
    );
    const before = wms.requests.length;
    const { code, stdout } = await runCli(
      ['verify', '3218-101/1-kpaf-3218-2', '--geometry', file, '--json'],
      env,
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      verdict: string;
      probedPoints: number[][];
      inProgress: Array<{ planId: string }>;
    };
    expect(result.verdict).toBe('plan-in-progress');
    expect(result.inProgress.map((p) => p.planId)).toEqual(['3218-forslag-1']);
    expect(result.probedPoints.length).toBe(9);
    expect(wms.requests.length - before).toBe(9 * 5);
  });

  it('exits 1 for a lot the store does not hold and 2 when the probe fails', async () => {
    const missing = await runCli(['verify', '3218-1/1-x'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such lot in the store .*--geometry FILE or --point E,N/);
    wms.inject({ kind: '503', times: 100 });
    const failed = await runCli(['verify', '3218-1/1-x', '--point', '262000,6650000'], {
      ...env,
      HTTP_MAX_RETRIES: '0',
    });
    wms.clearFaults();
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/kommune 3218, source nap-wms, http-status/);
  });
});
