import type { KommuneRules } from '../../config/kommune-rules.js';
import { formatInteger, formatPoints } from '../../util/norwegian-format.js';
import { FACTORS } from './factors.js';
import type { FactorResult, KommuneConfidence, KommuneFactorKey, RankedKommune } from './types.js';

/**
 * A kommune's ranking explained in Norwegian for the sales team (issue 12, point 8), like the
 * lots' "Scoreforklaring": its rank and why it is or is not in the top 50, the factors that lift
 * and pull the score (points against an average kommune), what is missing or flagged and what that
 * did to confidence, and where the figures come from. Pure: computed on read from the stored
 * ranking, so the CLI, Airtable and the dashboard say the same.
 */
export interface KommuneExplanationContext {
  /** Kommuner ranked (357). */
  total: number;
  rules: Pick<KommuneRules, 'topN' | 'minPopulation' | 'weights' | 'lowConfidenceMissingShare'>;
  /** The rank of the last kommune flagged top 50: an unflagged kommune ranked above it lacks figures. */
  lastTopRank?: number;
  /** Where the figures come from: SSB (refresh date) or the bundled snapshot (its date). */
  source?: { kind: 'ssb' | 'snapshot'; date: string | null };
}

export interface FactorEffect {
  key: KommuneFactorKey;
  label: string;
  /** The figure as the sales team reads it ("+11,2 % siste 5 år"). */
  figure: string;
  /** Points above (+) or below (−) what an average kommune (0–1 value 0.5) would get from it. */
  effect: number;
}

const CONFIDENCE: Record<KommuneConfidence, string> = { high: 'Høy', medium: 'Middels', low: 'Lav' };

const decimal = (value: number, digits = 1) => {
  const text = new Intl.NumberFormat('nb-NO', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
  // Stryker disable next-line StringLiteral: decimal is only given values under 1 000 (rates, shares, points, areas under 10 daa, dwellings per 1 000), which have no thousands separator; the replace is for the narrow space should that change
  const spaced = text.replace(/[\u202f\u00a0]/g, ' ');
  // Stryker disable next-line StringLiteral: decimal is only given non-negative values (absolute values, rates, shares, areas), so there is never a minus to replace
  return spaced.replace('−', '-');
};
const signed = (value: number, digits = 1) => `${value >= 0 ? '+' : '−'}${decimal(Math.abs(value), digits)}`;
const signedInteger = (value: number) => `${value >= 0 ? '+' : '−'}${formatInteger(Math.abs(value))}`;

/** "a", "a og b", "a, b og c". */
function join(items: readonly string[]): string {
  // Stryker disable next-line StringLiteral: every caller checks for items first, so join never gets an empty list
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} og ${items.at(-1)}`;
}

/** A factor's raw figure in words, or null when missing. */
export function factorFigure(f: FactorResult): string | null {
  if (f.raw === null) return f.key === 'byggevilje' ? planFigure(f) : null;
  const from = typeof f.detail.fraAr === 'string' ? f.detail.fraAr : null;
  switch (f.key) {
    case 'befolkningsvekst':
    case 'sysselsetting':
      return `${signed(f.raw)} % ${from ? `${from}–${f.year}` : 'siste 5 år'}`;
    case 'framskrevetVekst':
      return `${signed(f.raw)} % til ${f.year}`;
    case 'markedsstorrelse':
      return `${signedInteger(f.raw)} innbyggere til ${f.year ?? '2040'}`;
    case 'boligpris':
      return `${formatInteger(f.raw)} kr/m² i ${f.year}`;
    case 'boligbygging':
      return `${decimal(f.raw, 2)} fullførte boliger per 1 000 innb. per år`;
    case 'byggevilje':
      return [`${decimal(f.raw, 2)} igangsatte boliger per 1 000 innb. per år`, planFigure(f)]
        .filter(Boolean)
        .join('; ');
    case 'inntekt':
      return `median ${formatInteger(f.raw)} kr etter skatt i ${f.year}`;
    case 'partistandpunkt':
      return `standpunkt ${signed(f.raw, 2)} (−1 til 1)`;
  }
}

const daa = (value: number) => (value < 10 ? decimal(value, 1) : formatInteger(Math.round(value)));

/**
 * Byggevilje's plan evidence in words, or null where the factor has none: "regulerte 42 daa bolig
 * siste 5 år, 310 daa igjen i kommuneplanens reserve".
 */
export function planFigure(f: FactorResult): string | null {
  const { regulertBoligDaa: recent, reserveDaa: reserve, planAr: years } = f.detail;
  if (typeof recent !== 'number' || typeof reserve !== 'number' || typeof years !== 'number') return null;
  return `regulerte ${daa(recent)} daa bolig siste ${years} år, ${daa(reserve)} daa igjen i kommuneplanens reserve`;
}

/** The line on Byggevilje's plan evidence, when the factor used it. */
function planEvidenceLine(k: RankedKommune): string | null {
  const f = k.factors.byggevilje;
  const figure = f && f.normalised !== null && f.weight > 0 ? planFigure(f) : null;
  if (!figure) return null;
  const { reserveAndelPerAr: share, planDato: date } = f.detail;
  const notes = [
    typeof share === 'number' ? `${decimal(share * 100)} % av reserven regulert per år` : null,
    typeof date === 'string' ? `planene lest ${date}` : null,
  ].filter(Boolean);
  return `Byggevilje fra kommunens planer: ${figure}${notes.length ? ` (${notes.join('; ')})` : ''}.`;
}

/** Each present factor's effect on the score against an average kommune, largest lift first. */
export function factorEffects(k: RankedKommune): FactorEffect[] {
  const present = Object.values(k.factors).filter((f) => f.normalised !== null && f.weight > 0);
  const presentWeight = present.reduce((sum, f) => sum + f.weight, 0);
  return present
    .map((f) => ({
      key: f.key,
      label: f.label,
      figure: factorFigure(f) ?? '',
      effect: ((f.normalised! - 0.5) * f.weight * 100) / presentWeight,
    }))
    .sort((a, b) => b.effect - a.effect);
}

/** Why a factor is missing, in Norwegian. */
export function missingWords(f: FactorResult): string {
  const flag = typeof f.detail.flagg === 'string' ? f.detail.flagg : null;
  if (flag) return `flagget: ${flag}`;
  const reason = f.missing ?? '';
  if (reason === 'factor not fetched')
    return 'ingen tall for noen kommune: tabellen mangler i tallgrunnlaget';
  if (reason === 'confidential') return 'SSB publiserer ikke tallet (for få tilfeller)';
  if (reason === 'not-available' || reason === 'not-in-extract') return 'SSB har ikke tallet';
  if (reason === 'not-applicable') return 'tallet gjelder ikke kommunen';
  if (reason === 'population unavailable') return 'folketallet mangler';
  if (reason === 'no party stances configured') return 'ingen partistandpunkter er satt i regelfilen';
  // Stryker disable next-line Regex: series.ts writes these reasons with an SSB year, always four digits, so one digit or four match the same reasons
  if (/^zero figure for (\d{4})/.test(reason)) return `tallet for ${/(\d{4})/.exec(reason)![1]} er 0`;
  // Stryker disable next-line Regex: as above, the period is a four-digit year
  if (/^no figure for (\d{4})/.test(reason)) return `SSB har ikke tallet for ${/(\d{4})/.exec(reason)![1]}`;
  if (/split/.test(reason)) return 'kommunen ble delt; eldre tall gjelder ikke dagens grenser';
  return reason || 'mangler';
}

/** One line: why the kommune is (or is not) in the top 50. */
export function topReason(k: RankedKommune, ctx: KommuneExplanationContext): string {
  const min = formatInteger(ctx.rules.minPopulation);
  if (k.rank === null) return 'ikke rangert: ingen faktorer med tall';
  if (k.belowMinPopulation)
    return k.population === null
      ? `ikke topp ${ctx.rules.topN}: folketallet er ukjent`
      : `ikke topp ${ctx.rules.topN}: under minstegrensen på ${min} innbyggere (${formatInteger(k.population)})`;
  const lifts = factorEffects(k)
    .filter((e) => e.effect > 0)
    .slice(0, 2)
    .map((e) => `${e.label} ${e.figure}`);
  if (k.top) return `topp ${ctx.rules.topN} (nr. ${k.rank})${lifts.length ? `: ${lifts.join('; ')}` : ''}`;
  // Stryker disable next-line ConditionalExpression: a rank compared with an undefined last top rank is false anyway; the check is for the type
  if (ctx.lastTopRank !== undefined && k.rank < ctx.lastTopRank)
    return `ikke topp ${ctx.rules.topN}: for stor del av vekten mangler tall`;
  return `utenfor topp ${ctx.rules.topN}`;
}

/** The whole explanation, one sentence or list per line. */
export function explainKommune(k: RankedKommune, ctx: KommuneExplanationContext): string[] {
  const name = `${k.kommune.navn} (${k.kommune.kommunenummer})`;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: rank and score are null together (a kommune is ranked exactly when it has a score); the score check narrows the type
  if (k.rank === null || k.score === null)
    return [`${name} er ikke rangert: ingen av faktorene har tall for kommunen.`, ...missingLines(k)];
  const lines = [
    `${name} er nr. ${k.rank} av ${ctx.total} med score ${formatPoints(k.score)} av 100 – ${topReason(k, ctx)}.`,
  ];
  if (k.population !== null) lines.push(`Folketall: ${formatInteger(k.population)}.`);
  const effects = factorEffects(k);
  const lift = effects.filter((e) => e.effect >= 0.5).slice(0, 2);
  const pull = effects
    .filter((e) => e.effect <= -0.5)
    .reverse()
    .slice(0, 2);
  const words = (e: FactorEffect) =>
    `${e.label} ${e.figure} (${signed(e.effect)} poeng mot en middels kommune)`;
  if (lift.length > 0) lines.push(`Løfter: ${join(lift.map(words))}.`);
  if (pull.length > 0) lines.push(`Trekker ned: ${join(pull.map(words))}.`);
  for (const f of Object.values(k.factors))
    if (typeof f.detail.merknad === 'string' && f.normalised !== null)
      lines.push(`${f.label}: ${f.detail.merknad}.`);
  const planLine = planEvidenceLine(k);
  if (planLine) lines.push(planLine);
  lines.push(...missingLines(k), confidenceLine(k, ctx));
  if (ctx.source)
    lines.push(
      ctx.source.kind === 'snapshot'
        ? `Tallene er fra det innebygde SSB-øyeblikksbildet datert ${ctx.source.date ?? '?'}; en oppdatering fra SSB erstatter dem.`
        : `Tallene er fra SSB, hentet ${ctx.source.date ?? '?'}.`,
    );
  return lines;
}

function missingLines(k: RankedKommune): string[] {
  const missing = k.missing.map((key) => k.factors[key]);
  if (missing.length === 0) return [];
  return [`Mangler: ${join(missing.map((f) => `${f.label} (${missingWords(f)})`))}.`];
}

function confidenceLine(k: RankedKommune, ctx: KommuneExplanationContext): string {
  const missingShare = 1 - k.weightShare;
  if (k.missing.length === 0) return `Konfidens: ${CONFIDENCE[k.confidence]} – alle faktorene har tall.`;
  // Stryker disable next-line OptionalChaining: every missing key is a KommuneFactorKey, all of which are in FACTORS
  const labels = k.missing.map((key) => FACTORS.find((f) => f.key === key)?.label ?? key);
  return (
    `Konfidens: ${CONFIDENCE[k.confidence]} – ${formatInteger(Math.round(missingShare * 100))} % av vekten mangler ` +
    `(${join(labels)}); vekten er fordelt på de andre faktorene` +
    (k.confidence === 'low'
      ? `, og mer enn ${formatInteger(ctx.rules.lowConfidenceMissingShare * 100)} % mangler.`
      : '.')
  );
}

/** The context for a whole ranking: its size and the rank of its last top-50 kommune. */
/** Where a refresh's figures come from, for the explanation's last line. */
export function figuresSource(refresh: {
  source: 'ssb' | 'snapshot';
  figuresDate: string | null;
  finishedAt: string | null;
}): NonNullable<KommuneExplanationContext['source']> {
  return refresh.source === 'snapshot'
    ? { kind: 'snapshot', date: refresh.figuresDate }
    : { kind: 'ssb', date: refresh.finishedAt?.slice(0, 10) ?? null };
}

export function explanationContext(
  kommuner: readonly RankedKommune[],
  rules: KommuneExplanationContext['rules'],
  source?: KommuneExplanationContext['source'],
): KommuneExplanationContext {
  const top = kommuner.filter((k) => k.top).map((k) => k.rank!); // only a ranked kommune is top
  return {
    total: kommuner.length,
    rules,
    ...(top.length > 0 ? { lastTopRank: Math.max(...top) } : {}),
    ...(source ? { source } : {}),
  };
}
