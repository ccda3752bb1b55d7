import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../sync/src/config/rules.js';
import { findLots } from '../../sync/src/engine/find-lots.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../scripts/sample/kommune-generator.js';
import { kommuneData } from '../helpers/plan-data.js';
import { runCli } from '../helpers/run-cli.js';

const SAMPLE = path.resolve('sync/samples/3218-generated');
const inputs = [
  '--kommuneplan',
  `${SAMPLE}/kommuneplan.geojson.gz`,
  '--reguleringsplan',
  `${SAMPLE}/reguleringsplan.gml.gz`,
  '--teiger',
  `${SAMPLE}/teiger`,
];
const tmp = mkdtempSync(path.join(tmpdir(), 'analyse-'));

describe('tomtejakt analyse', () => {
  it('finds from the shipped files (GeoJSON, SOSI-GML in EPSG:25832, teig GML pages) the lots the engine finds in memory', async () => {
    const out = path.join(tmp, 'lots.geojson');
    const { code, stdout } = await runCli(['analyse', ...inputs, '--out', out, '--workers', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Kommune 3218: \d+ candidate zones/);
    expect(stdout).toMatch(/Wrote \d+ lots to .*EPSG:4326/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { features: Array<{ id: string }> };

    const generated = generateKommune(SAMPLE_OPTIONS);
    const inMemory = await findLots(
      kommuneData({
        kommuneplan: generated.kommuneplan,
        reguleringsplan: generated.reguleringsplan,
        parcels: generated.parcels,
      }),
      defaultRules().engine,
      { workers: 1 },
    );
    expect(written.features.map((f) => f.id)).toEqual(inMemory.lots.map((l) => l.tomtId));
    expect(inMemory.lots.length).toBeGreaterThan(300);
  });

  it('gives the same lots with worker threads as in one thread', async () => {
    const generated = generateKommune(SAMPLE_OPTIONS);
    const data = kommuneData({
      kommuneplan: generated.kommuneplan,
      reguleringsplan: generated.reguleringsplan,
      parcels: generated.parcels,
    });
    const one = await findLots(data, defaultRules().engine, { workers: 1 });
    const two = await findLots(data, defaultRules().engine, { workers: 2 });
    expect(two.summary.workers).toBe(2);
    expect(two.lots).toEqual(one.lots);
  });

  it('exits 1 naming the file when an input is missing', async () => {
    const { code, stderr } = await runCli([
      'analyse',
      ...inputs.slice(0, 5),
      `${SAMPLE}/no-such-folder`,
      '--out',
      path.join(tmp, 'x.geojson'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('no-such-folder');
  });

  it('exits 1 naming the key when the rule file has a wrong value', async () => {
    const config = path.join(tmp, 'rules.json');
    writeFileSync(config, JSON.stringify({ engine: { minLotM2: 'large' } }));
    const { code, stderr } = await runCli([
      'analyse',
      ...inputs,
      '--out',
      path.join(tmp, 'y.geojson'),
      '--config',
      config,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('engine.minLotM2');
  });

  it('exits 1 naming the file, the kommune and what was missing when the reguleringsplan has features but no plan objects it can read', async () => {
    // As some plan viewers export: every property nested one level down, so no feature says its objekttypenavn.
    const nested = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
      features: generateKommune(SAMPLE_OPTIONS)
        .reguleringsplan.slice(0, 40)
        .map((f) => ({ type: 'Feature', properties: { egenskaper: f.properties }, geometry: f.geometry })),
    };
    const file = path.join(tmp, 'regulering-nested.geojson');
    writeFileSync(file, JSON.stringify(nested));
    const { code, stderr } = await runCli([
      'analyse',
      ...inputs.slice(0, 2),
      '--reguleringsplan',
      file,
      ...inputs.slice(4),
      '--kommune',
      '3218',
      '--out',
      path.join(tmp, 'z.geojson'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('regulering-nested.geojson');
    expect(stderr).toContain('kommune 3218');
    expect(stderr).toMatch(/none of its 40 feature\(s\) could be used: 40 × no objekttypenavn/);
  });

  it('has --help', async () => {
    const { code, stdout } = await runCli(['analyse', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--reguleringsplan <path>');
  });
});
