import { defaultRules } from '../../sync/src/config/rules.js';
import { scoreLots } from '../../sync/src/scoring/lot/score-lots.js';
import { sampleScoringData } from '../helpers/sample-kommune-data.js';
import { sampleFoundLots } from '../helpers/sample-found-lots.js';

/**
 * The bundled sample kommune as the nightly run sees it with the default rules (its largest generated tettsted as centre and
 * generated stops, the bundled boundary, no kommune ranking), rendered as one line per lot: what a reviewer reads
 * in a diff when a rule or weight changes.
 */
export async function sampleLotLines(): Promise<string[]> {
  const rules = defaultRules();
  const data = await sampleScoringData();
  const found = await sampleFoundLots();
  const scored = await scoreLots(found.lots, {
    data,
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
