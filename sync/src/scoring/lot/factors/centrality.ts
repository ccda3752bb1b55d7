import type { LotScoreRules } from '../../../config/lot-score-rules.js';
import { distanceDecay } from '../curves.js';
import type { TransitMeasure } from '../transit-measure.js';
import type { FactorResult } from '../types.js';
import { formatDistance, joinNorwegian } from '../wording.js';

export interface CentreDistance {
  name: string;
  distance: number;
}

export interface CentralityInput {
  /** The nearest configured centre, or the kommune's representative point (`fallback`). */
  centre: CentreDistance | null;
  fallback: boolean;
  /** Why the representative point stands in ("tettstedsdata mangler"); null: not known. */
  fallbackWhy?: string | null;
  /** Whether stop data exists for the kommune (fetched, kept or bundled). */
  transitKnown: boolean;
  /** Stop data was sought and is missing (said in the reason); absent: not sought (a file analysis, a test). */
  transitUnavailable?: boolean;
  /** The stop with the best mode-weighted value within reach; null when none is. */
  transit: TransitMeasure | null;
}

/** Entur transport modes in Norwegian. */
const MODE_NAMES: Record<string, string> = {
  rail: 'tog',
  metro: 'T-bane',
  tram: 'trikk',
  bus: 'buss',
  trolleybus: 'trolleybuss',
  coach: 'ekspressbuss',
  water: 'båt',
  air: 'fly',
  funicular: 'kabelbane',
  cableway: 'taubane',
  lift: 'heis',
};

const modesWords = (modes: readonly string[]) =>
  joinNorwegian(modes.map((m) => MODE_NAMES[m] ?? m)) || 'ukjent transportmiddel';

function transitWords(input: CentralityInput, rules: LotScoreRules['sentralitet']['transit']): string {
  if (!input.transit)
    return `ingen holdeplass med jevnlige avganger innen ${formatDistance(rules.zeroScoreM)}`;
  const t = input.transit;
  const what =
    t.departuresPerHour === null
      ? modesWords(t.modes)
      : `${modesWords(t.modes)}, ${perHourWords(t.departuresPerHour)}`;
  const where = t.distance === 0 ? ' på tomten' : `, ${formatDistance(t.distance)} unna`;
  return `nærmeste holdeplass med jevnlige avganger er ${t.name} (${what})${where}`;
}

/** "8 avganger i timen", "1 avgang i timen", "1,5 avganger i timen". */
function perHourWords(perHour: number): string {
  const rounded = Math.round(perHour * 10) / 10;
  const number = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1).replace('.', ',');
  return `${number} ${rounded === 1 ? 'avgang' : 'avganger'} i timen`;
}

function centreWords(centre: CentreDistance, fallback: boolean, why?: string | null): string {
  const where = fallback ? `${centre.name} (${why ?? 'ikke et konfigurert sentrum'})` : centre.name;
  return centre.distance === 0
    ? `tomten omfatter ${where}`
    : `det er ${formatDistance(centre.distance)} til ${where}`;
}

/**
 * Sentralitet (issue 16): public transport and the kommune's centre. Transit is the stop with
 * regular departures that gives the best value, its mode's weight (rail and metro over bus) ×
 * a distance decay; the centre part is the distance to the nearest configured centre (else the
 * representative point). The value is `transitShare` × transit + the rest × centre; without stop
 * data the centre alone counts (and confidence says so); without either, no data.
 */
export function centralityFactor(input: CentralityInput, rules: LotScoreRules['sentralitet']): FactorResult {
  const { transit: transitRules } = rules;
  const centreValue = input.centre
    ? distanceDecay(input.centre.distance, rules.fullScoreM, rules.zeroScoreM)
    : null;
  const transitValue = input.transitKnown ? (input.transit?.value ?? 0) : null;
  const centreText = input.centre ? centreWords(input.centre, input.fallback, input.fallbackWhy) : null;
  if (transitValue === null && centreValue === null)
    return { value: null, reason: 'Verken holdeplassdata eller et sentrumspunkt er kjent for kommunen.' };
  if (transitValue === null) {
    const scale = `full score innen ${formatDistance(rules.fullScoreM)}, ingen fra ${formatDistance(rules.zeroScoreM)}`;
    const why = input.transitUnavailable
      ? '; holdeplassdata mangler, så bare avstanden til sentrum teller'
      : '';
    return {
      value: centreValue,
      reason: `${capitalised(centreOnly(input.centre!, input.fallback, input.fallbackWhy))} (${scale})${why}.`,
    };
  }
  const transitText = transitWords(input, transitRules);
  if (centreValue === null)
    return {
      value: transitValue,
      reason: `${capitalised(transitText)}; sentrumspunkt mangler, så bare kollektivtilbudet teller.`,
    };
  const share = transitRules.transitShare;
  const value = share * transitValue + (1 - share) * centreValue;
  const weights = `kollektivtilbudet teller ${Math.round(share * 100)} %, avstanden til sentrum ${Math.round((1 - share) * 100)} %`;
  return { value, reason: `${capitalised(transitText)}, og ${centreText}; ${weights}.` };
}

/** "1,2 km til Ås sentrum" (the sentence without transit keeps its old form). */
function centreOnly(centre: CentreDistance, fallback: boolean, why?: string | null): string {
  // Stryker disable next-line Regex: centreWords writes "det er " only at the start
  return centreWords(centre, fallback, why).replace(/^det er /, '');
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
