import path from 'node:path';
import { defaultRules, type Rules } from '../../sync/src/config/rules.js';
import type { KommuneData } from '../../sync/src/domain/kommune.js';
import { findLots } from '../../sync/src/engine/find-lots.js';
import { scoreLots } from '../../sync/src/scoring/lot/score-lots.js';
import { readParcels, readPlanFeatures } from '../../sync/src/sources/files/index.js';
import { bundledKommune } from '../../sync/src/sources/kommuneinfo/bundled-kommuner.js';
import { sampleKommune } from '../../sync/src/sources/sample-kommune.js';

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

/**
 * The bundled sample kommune as the nightly run sees it with the default rules (its own centre,
 * the bundled boundary, no kommune ranking), rendered as one line per lot: what a reviewer reads
 * in a diff when a rule or weight changes.
 */
export async function sampleLotLines(rules: Rules = defaultRules()): Promise<string[]> {
  const data = await (sampleData ??= readSample());
  const found = await findLots(data, rules.engine, { workers: 1 });
  const scored = await scoreLots(found.lots, {
    data,
    kommuneScore: null,
    rules: rules.lotScore,
    fallbackPrecisionM: rules.engine.fallbackPrecisionM,
  });
  const s = found.summary;
  const daa = (m2: number) => (m2 / 1000).toFixed(1);
  return [
    `# ${scored.length} lots; opportunity ${daa(s.opportunityAreaM2)} daa in ${s.opportunityParts} parts; ` +
      `lots ${daa(s.lotAreaM2)} daa; subtracted ${daa(s.subtractedAreaM2)} daa; slivers ${s.sliverAreaM2.toFixed(1)} m²`,
    '# tomt_id\tareal_m2\tklasse\tscore\tboliger',
    ...scored.map((lot) =>
      [lot.tomtId, lot.arealM2.toFixed(1), lot.score.tier, lot.score.total, lot.score.capacity.homes].join(
        '\t',
      ),
    ),
  ];
}
