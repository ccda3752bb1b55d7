import { AREALBRUKSSTATUS, KP_AREALBRUK, KP_AREALFORMAL } from '../../domain/codes.js';
import type {
  CapacityEstimate,
  Confidence,
  ConstraintCoverage,
  FactorScore,
  Lot,
  Tier,
} from '../../domain/lot.js';
import { formatDaa, formatInteger, formatPercent, formatPoints } from '../../util/norwegian-format.js';
import { homesWords } from './factors/capacity.js';
import { uncheckedSentence } from './layer-wording.js';
import type { UnmappedShare } from './mapped-share.js';
import { MAPPING_WORDING } from './mapping-wording.js';
import { joinNorwegian } from './wording.js';

export interface ExplanationInput {
  lot: Pick<Lot, 'arealM2' | 'zone'>;
  total: number;
  tier: Tier;
  factors: readonly FactorScore[];
  constraints: readonly ConstraintCoverage[];
  capacity: CapacityEstimate;
  confidence: Confidence;
  confidenceReasons: readonly string[];
  /** National layers not checked for the kommune (layer-wording.ts). */
  uncheckedLayers?: readonly string[];
  /** NVE hazard layers not mapped for (part of) the lot (mapped-share.ts). */
  unmappedLayers?: readonly UnmappedShare[];
}

const CONFIDENCE_WORD: Record<Confidence, string> = { high: 'høy', medium: 'middels', low: 'lav' };
/** The factor whose reason tells where the lot lies (transit and centre), shown in every explanation. */
const LOCATION_FACTOR = 'sentralitet';

function zoneWords(zone: Lot['zone']): string {
  const use =
    zone.arealformal !== null
      ? (KP_AREALFORMAL[zone.arealformal] ?? `arealformål ${zone.arealformal}`)
      : zone.arealbruk !== null
        ? (KP_AREALBRUK[zone.arealbruk] ?? `arealbruk ${zone.arealbruk}`)
        : 'ukjent formål';
  const status = AREALBRUKSSTATUS[zone.arealbruksstatus]?.toLowerCase();
  const name = zone.omradenavn ? ` ${zone.omradenavn}` : '';
  return `${use.toLowerCase()}${status ? ` (${status})` : ''}${name}`;
}

const maxOf = (weight: number) => (Number.isInteger(weight) ? formatInteger(weight) : formatPoints(weight));
const pointsOf = (f: FactorScore) => `${f.label} ${formatPoints(f.points)} av ${maxOf(f.weight)}`;
/** A reason continued after a dash: first letter small (unless an abbreviation such as "BYA"). */
const continued = (reason: string) =>
  /^.[a-zæøå]/.test(reason) ? reason.charAt(0).toLowerCase() + reason.slice(1) : reason;
const share = (fraction: number) =>
  fraction >= 0.9995 ? 'hele tomten' : `${formatPercent(fraction)} av tomten`;
const onShare = (c: ConstraintCoverage) => `${c.label.toLowerCase()} på ${share(c.fraction)}`;

/**
 * The "Scoreforklaring": one Norwegian paragraph a salesperson reads on the lot card. What the lot
 * is, what lifts the score, what pulls it down (with why), what could stop it, and how sure we are.
 */
export function explainScore(input: ExplanationInput): string {
  const { lot, capacity } = input;
  const sentences: string[] = [`Score ${formatInteger(input.total)} av 100 (klasse ${input.tier}).`];
  const homes =
    capacity.basis === 'not-buildable'
      ? `; planen tillater ikke ny bebyggelse (${continued(capacity.method)})`
      : capacity.homes === 0
        ? `, men uten plass til nye boliger etter anslaget (${continued(capacity.method)})`
        : `, med plass til anslagsvis ${homesWords(capacity.homes)} (${continued(capacity.method)})`;
  sentences.push(
    `Tomten på ${formatDaa(lot.arealM2)} ligger i et område avsatt til ${zoneWords(lot.zone)} i kommuneplanen og er ikke regulert ennå${homes}.`,
  );

  const present = input.factors.filter((f) => f.value !== null && f.weight > 0);
  const strong = present
    .filter((f) => f.value! >= 0.75)
    .sort((a, b) => b.points - a.points || a.key.localeCompare(b.key))
    .slice(0, 3);
  if (strong.length) sentences.push(`Trekker opp: ${joinNorwegian(strong.map(pointsOf))}.`);
  const weak = present
    .filter((f) => f.value! < 0.5)
    .sort((a, b) => a.value! - b.value! || b.weight - a.weight || a.key.localeCompare(b.key))
    .slice(0, 2);
  weak.forEach((f, i) =>
    sentences.push(`${i === 0 ? 'Trekker ned: ' : 'Også svak: '}${pointsOf(f)} – ${continued(f.reason)}`),
  );
  const location = input.factors.find((f) => f.key === LOCATION_FACTOR);
  if (location && location.value !== null && !weak.includes(location))
    sentences.push(`Beliggenhet: ${continued(location.reason)}`);
  const missing = input.factors.filter((f) => f.value === null);
  if (missing.length) sentences.push(`Uten data: ${joinNorwegian(missing.map((f) => f.label))}.`);

  const severe = input.constraints.filter((c) => c.severe && c.fraction > 0);
  if (severe.length) sentences.push(`Kan stoppe prosjektet: ${joinNorwegian(severe.map(onShare))}.`);

  const other = input.constraints
    .filter((c) => !c.severe && c.fraction > 0)
    .sort((a, b) => b.weight * b.fraction - a.weight * a.fraction || a.key.localeCompare(b.key));
  if (other.length) sentences.push(`Andre begrensninger: ${joinNorwegian(other.map(onShare))}.`);

  if (input.unmappedLayers?.length) sentences.push(MAPPING_WORDING.notMapped(input.unmappedLayers));
  const unchecked = uncheckedSentence(input.uncheckedLayers, input.confidenceReasons[0]);
  if (unchecked) sentences.push(unchecked);
  // High confidence has no reasons (confidenceOf gives one for every finding that lowers it).
  const why = input.confidenceReasons[0];
  sentences.push(`Sikkerhet: ${CONFIDENCE_WORD[input.confidence]}.${why ? ` ${why}` : ''}`);
  return sentences.join(' ');
}
