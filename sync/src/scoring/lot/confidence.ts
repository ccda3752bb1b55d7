import type { LotFactorKey, LotScoreRules } from '../../config/lot-score-rules.js';
import type { CoverageFlags } from '../../domain/kommune.js';
import type { Confidence } from '../../domain/lot.js';
import { joinLayerLabels, LAYER_WORDING } from './layer-wording.js';
import type { UnmappedShare } from './mapped-share.js';
import { MAPPING_WORDING } from './mapping-wording.js';
import { FACTOR_LABELS } from './total.js';
import { joinNorwegian } from './wording.js';

export interface ConfidenceInput {
  coverage: CoverageFlags;
  zoneRepairs: number;
  planarbeidPagar: readonly string[];
  missing: readonly LotFactorKey[];
  /** Share of the weight whose factors have no data, 0–1. */
  missingShare: number;
  fallbackCentre: boolean;
  utnyttingLost: boolean;
  /** No stop data for the kommune: Sentralitet from the centre alone (absent: stops known). */
  transitUnavailable?: boolean;
  /** National layers not checked for the kommune ("kvikkleire", "flomsoner"); see layer-wording.ts. */
  uncheckedLayers?: readonly string[];
  /** Hazards NVE has not mapped for (part of) the lot, outside every coverage of their layers. */
  unmappedHazards?: readonly UnmappedShare[];
}

export interface ConfidenceResult {
  level: Confidence;
  /** Norwegian, one sentence each; empty when High. */
  reasons: string[];
}

const RANK: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

const NOT_COVERED: Record<keyof CoverageFlags, string> = {
  reguleringsplan:
    'Ingen reguleringsplandata for kommunen, så tomten kan allerede være regulert uten at vi ser det.',
  kommuneplan: 'Ingen kommuneplandata for kommunen.',
  parcels: 'Ingen eiendomsdata (teiger) for kommunen.',
};
const SOURCE_NAMES: Record<keyof CoverageFlags, string> = {
  reguleringsplan: 'reguleringsplaner',
  kommuneplan: 'kommuneplaner',
  parcels: 'eiendomsteiger',
};

/**
 * High / Medium / Low: each finding caps the level at what the rules say (lotScore.confidence);
 * the lowest cap wins. Confidence never changes the score: missing data lowers confidence only.
 */
export function confidenceOf(input: ConfidenceInput, rules: LotScoreRules['confidence']): ConfidenceResult {
  let level: Confidence = 'high';
  const reasons: string[] = [];
  const apply = (cap: 'medium' | 'low' | 'none', reason: string) => {
    if (cap === 'none') return;
    reasons.push(reason);
    // Stryker disable next-line EqualityOperator: an equal cap sets the level it already has
    if (RANK[cap] < RANK[level]) level = cap;
  };
  for (const source of ['reguleringsplan', 'kommuneplan', 'parcels'] as const) {
    const coverage = input.coverage[source];
    if (coverage === 'not-covered') apply(rules.sourceNotCovered, NOT_COVERED[source]);
    else if (coverage === 'unknown')
      apply(rules.coverageUnknown, `Ukjent om datakilden for ${SOURCE_NAMES[source]} dekker kommunen.`);
  }
  if (input.uncheckedLayers?.length)
    apply(rules.layerNotChecked, LAYER_WORDING.confidenceReason(joinLayerLabels(input.uncheckedLayers)));
  if (input.unmappedHazards?.length)
    apply(rules.hazardNotMapped, MAPPING_WORDING.confidenceReason(input.unmappedHazards));
  if (input.zoneRepairs > 0)
    apply(
      rules.zoneRepaired,
      'Kommuneplanområdet hadde ugyldig geometri som ble reparert; arealene kan avvike noe.',
    );
  if (input.planarbeidPagar.length > 0)
    apply(
      rules.planInProgress,
      `Planarbeid pågår som berører tomten (${joinNorwegian([...input.planarbeidPagar])}): formål og grenser kan endres.`,
    );
  if (input.missing.length > 0) {
    const labels = joinNorwegian(input.missing.map((key) => FACTOR_LABELS[key]));
    const cap =
      rules.missingFactor !== 'none' && input.missingShare > rules.missingShareForLow
        ? 'low'
        : rules.missingFactor;
    apply(cap, `Mangler data for ${labels}.`);
  }
  if (input.fallbackCentre)
    apply(
      rules.fallbackCentre,
      'Sentralitet er målt fra kommunens representasjonspunkt, ikke fra kommunens største tettsted eller et konfigurert sentrum.',
    );
  if (input.utnyttingLost)
    apply(
      rules.utnyttingLost,
      'Planens utnyttingsgrad mangler tall i datakilden; kapasiteten er anslått med standardtetthet.',
    );
  if (input.transitUnavailable)
    apply(
      rules.transitUnavailable,
      'Holdeplassdata mangler for kommunen, så sentraliteten er målt bare mot sentrum.',
    );
  return { level, reasons };
}
