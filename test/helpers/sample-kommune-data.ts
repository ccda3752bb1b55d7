import path from 'node:path';
import type { KommuneData } from '../../sync/src/domain/kommune.js';
import { readParcels, readPlanFeatures } from '../../sync/src/sources/files/index.js';
import { bundledKommune } from '../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { bundledSampleStops } from '../../sync/src/sources/entur/transit-stops.js';
import { sampleKommune } from '../../sync/src/sources/sample-kommune.js';
import { bundledSampleCentre } from '../../sync/src/sources/tettsted/kommune-centre.js';

/**
 * The sample's files, read once per process: the same bytes every time, and reading is not under
 * test. Frozen, because every test shares them: code that changed its input would fail the test
 * that caught it, not a later one (under mutation testing they live across mutants, see
 * vitest.mutation.config.ts).
 */
let sampleData: Promise<KommuneData> | undefined;

/** Freezes an object and everything it holds. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

async function readSample(): Promise<KommuneData> {
  const sample = sampleKommune();
  const known = bundledKommune(sample.kommunenummer)!;
  return {
    kommune: known.kommune,
    kommuneplan: await readPlanFeatures(path.join(sample.dir, 'kommuneplan.geojson.gz')),
    reguleringsplan: await readPlanFeatures(path.join(sample.dir, 'reguleringsplan.gml.gz')),
    parcels: await readParcels(path.join(sample.dir, 'teiger')),
    coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' },
    boundary: known.boundary,
    centre: sample.centre,
    sources: { kommuneplan: 'sample', reguleringsplan: 'sample', parcels: 'sample' },
  };
}

/** The bundled sample kommune (sync/samples/3218-generated) as the file source reads it, every part covered. */
export function sampleKommuneData(): Promise<KommuneData> {
  return (sampleData ??= readSample().then(deepFreeze));
}

/** The sample kommune as the nightly run scores it: its generated stops and tettsteder added. */
export async function sampleScoringData(): Promise<KommuneData> {
  const data = await sampleKommuneData();
  const { dir } = sampleKommune();
  return {
    ...data,
    transit: bundledSampleStops(dir),
    tettsted: await bundledSampleCentre(dir, data.boundary),
  };
}
