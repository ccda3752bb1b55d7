import path from 'node:path';
import type { KommuneData } from '../../sync/src/domain/kommune.js';
import { readParcels, readPlanFeatures } from '../../sync/src/sources/files/index.js';
import { bundledKommune } from '../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { bundledSampleStops } from '../../sync/src/sources/entur/transit-stops.js';
import { sampleKommune } from '../../sync/src/sources/sample-kommune.js';
import { bundledSampleCentre } from '../../sync/src/sources/tettsted/kommune-centre.js';

/** The sample's files, read once per process: the same bytes every time, and reading is not under test. */
let sampleData: Promise<KommuneData> | undefined;

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
  return (sampleData ??= readSample());
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
