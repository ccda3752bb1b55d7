import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR, writeSample } from '../../../scripts/sample/generate-sample.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../scripts/sample/kommune-generator.js';

const list = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? list(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name],
  );

describe('the shipped sample kommune', () => {
  it('is exactly what the generator writes (regenerate with npm run sample)', () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'sample-'));
    writeSample(generateKommune(SAMPLE_OPTIONS), fresh);
    expect(list(SAMPLE_DIR).sort()).toEqual(list(fresh).sort());
    for (const file of list(fresh)) {
      expect(
        readFileSync(path.join(SAMPLE_DIR, file)).equals(readFileSync(path.join(fresh, file))),
        file,
      ).toBe(true);
    }
  });

  it('is labelled as generated, not real plans', () => {
    expect(readFileSync(path.join(SAMPLE_DIR, 'README.md'), 'utf8')).toMatch(/GENERATED, NOT REAL PLANS/);
    expect(JSON.parse(readFileSync(path.join(SAMPLE_DIR, 'kommune.json'), 'utf8')).generated).toBe(true);
  });

  it('holds what the engine must cope with: old codes, tunnels, plans in progress, invalid rings', () => {
    const { facts, parcels } = generateKommune(SAMPLE_OPTIONS);
    expect(parcels.length).toBeGreaterThan(3000);
    expect(facts.oldLawZoneIds.length).toBeGreaterThan(0);
    expect(facts.tunnelPlanIds.length).toBeGreaterThan(0);
    expect(facts.inProgressPlanIds.length).toBeGreaterThan(0);
    expect(facts.invalidTeigIds.length + facts.invalidZoneIds.length).toBeGreaterThan(0);
  });
});
