import { defaultRules } from '../../sync/src/config/rules.js';
import type { Lot, ScoredLot } from '../../sync/src/domain/lot.js';
import { scoreLots } from '../../sync/src/scoring/lot/score-lots.js';
import { sampleKommune } from '../../sync/src/sources/sample-kommune.js';
import type { KommuneData } from '../../sync/src/domain/kommune.js';
import { LayerHttp } from '../../sync/src/sources/national/layer-http.js';
import { loadNationalLayers } from '../../sync/src/sources/national/national-layers.js';
import { sampleScoringData } from '../helpers/sample-kommune-data.js';
import { sampleFoundLots } from '../helpers/sample-found-lots.js';

/** Ås 2024 in SSB 06035 (shared/reference/ssb/extra), the three dwelling types weighted by sales. */
export const SAMPLE_PRICE_PER_M2 = Math.round((42_499 * 105 + 50_655 * 54 + 71_243 * 97) / (105 + 54 + 97));

const SAMPLE_FIGURES = {
  byggevilje: { value: 0.65, raw: 4.2, year: '2024' },
  pricePerM2: { value: SAMPLE_PRICE_PER_M2, year: '2024' },
  centralityClass: null,
};

/**
 * Reviewed explanations (issue 16, point 6): a fixed set of the sample kommune's lots, each with its
 * Scoreforklaring, every factor's reason, the capacity's calculation and the value estimate, as a
 * Norwegian reader sees them. A change to any template shows here as a diff to read before it is
 * accepted with `npm run golden:update`. Byggevilje assumed at the 65th percentile, the price as
 * above, the sample's generated stops. A second part scores the sample with its bundled national
 * layers (NVE coverage, rail noise) and keeps the explanations those layers change.
 *
 * `onlyLots`: score only these lots. Given a set that holds every lot the full run picks, the picks
 * are the same (each is the best, the worst or the first by id that meets a condition, which a
 * superset of it cannot change).
 */
export async function sampleExplanationLines(onlyLots?: ReadonlySet<string>): Promise<string[]> {
  const rules = defaultRules();
  const data = await sampleScoringData();
  const found = (await sampleFoundLots()).lots;
  const lots = onlyLots ? found.filter((lot) => onlyLots.has(lot.tomtId)) : found;
  const scored = await scoreLots(lots, { data, kommune: SAMPLE_FIGURES, rules: rules.lotScore });
  const lines = ['# tomt_id:felt\ttekst'];
  for (const lot of chosen(scored)) {
    const key = (field: string) => `${lot.tomtId}:${field}`;
    lines.push(`${key('scoreforklaring')}\t${lot.score.explanation}`);
    for (const f of lot.score.factors) lines.push(`${key(f.key)}\t${f.reason}`);
    lines.push(`${key('kapasitet-detalj')}\t${lot.score.capacity.detail}`);
    lines.push(`${key('verdi')}\t${lot.value?.method ?? '(ingen)'}`);
  }
  lines.push('# med nasjonale lag (de genererte filene i layers/, som nattkjøringen leser dem)');
  for (const lot of chosenWithLayers(await scoredWithNationalLayers(data, lots))) {
    const key = (field: string) => `${lot.tomtId}:nasjonale-lag:${field}`;
    lines.push(`${key('scoreforklaring')}\t${lot.score.explanation}`);
    lines.push(
      `${key('konfliktfrihet')}\t${lot.score.factors.find((f) => f.key === 'konfliktfrihet')!.reason}`,
    );
  }
  return lines;
}

/**
 * The sample's lots scored with its bundled national layers, as the nightly run reads them (no
 * network). The lots are the engine's without them: the layers weigh on the score, not on the lots.
 */
async function scoredWithNationalLayers(base: KommuneData, lots: readonly Lot[]): Promise<ScoredLot[]> {
  const rules = defaultRules();
  const sample = sampleKommune();
  const http = new LayerHttp({ timeoutMs: 1_000, maxRetries: 0, cache: null });
  try {
    const loaded = await loadNationalLayers(base, {
      rules: rules.lotScore.constraints.nationalLayers,
      http,
      store: null,
      bundled: { kommunenummer: sample.kommunenummer, dir: sample.dir },
    });
    const data = {
      ...base,
      nationalLayers: loaded.layers,
      layerStatus: loaded.statuses,
      mappedAreas: loaded.mappedAreas,
    };
    return await scoreLots(lots, {
      data,
      kommune: SAMPLE_FIGURES,
      rules: rules.lotScore,
      extraLayers: loaded.layers,
    });
  } finally {
    await http.close();
  }
}

/** The first (by id) that NVE has not mapped, under rail noise, and in a flood awareness area cut to its coverage. */
function chosenWithLayers(scored: ScoredLot[]): ScoredLot[] {
  const byId = [...scored].sort((a, b) => a.tomtId.localeCompare(b.tomtId));
  const from = (source: string) => (l: ScoredLot) =>
    l.score.constraints.some((c) => c.sources.includes(source) && c.fraction > 0.2);
  const picks = [
    byId.find((l) => l.score.explanation.includes('Ikke kartlagt av NVE')),
    byId.find(from('Bane NOR støysone')),
    byId.find(from('NVE aktsomhetsområde flom')),
  ];
  const seen = new Set<string>();
  return picks.filter((l): l is ScoredLot => !!l && !seen.has(l.tomtId) && !!seen.add(l.tomtId));
}

/** The best two, the worst, and the first (by id) of each kind worth reading: flood, zoned by utnytting, unbuildable. */
function chosen(scored: ScoredLot[]): ScoredLot[] {
  const byId = [...scored].sort((a, b) => a.tomtId.localeCompare(b.tomtId));
  const byScore = [...byId].sort((a, b) => b.score.total - a.score.total);
  const picks = [
    byScore[0],
    byScore[1],
    byScore.at(-1),
    byId.find((l) => l.score.constraints.some((c) => c.key === 'flom' && c.fraction > 0.3)),
    byId.find((l) => l.score.constraints.some((c) => !c.severe && c.fraction > 0.2)),
    byId.find((l) => l.score.capacity.basis === 'utnytting'),
    byId.find((l) => l.score.capacity.basis === 'not-buildable'),
    byId.find((l) => l.score.confidence !== 'high'),
  ];
  const seen = new Set<string>();
  return picks.filter((l): l is ScoredLot => !!l && !seen.has(l.tomtId) && !!seen.add(l.tomtId));
}
