import type { Confidence } from '../domain/lot.js';
import { ConfidenceLabel } from './labels.js';
import { MISSING_SCORE_COLOR } from './style.js';

/*
 * The kommune dashboard's table (`/kommuner`, `/api/kommuner`, `/kommuner.csv`), rendered from a
 * stored kommune ranking. The factors are read from the ranking itself (key, label, weight, value,
 * points), never from a fixed list, so a factor added to the method shows up as a column without a
 * change here. The input types are structural: `presentation/` sits beside `scoring/` and does not
 * import it; a stored ranking (`store/kommune-ranking.ts`) fits them as it is.
 */

/** One factor of one kommune, as the ranking keeps it. */
export interface KommuneFactorInput {
  key: string;
  /** Norwegian. */
  label: string;
  weight: number;
  /** The headline figure (unit per factor), null when missing. */
  raw: number | null;
  year: string | null;
  /** 0–1 percentile rank across kommuner (higher is better), null when missing. */
  normalised: number | null;
  points: number;
  /** Why the figure is missing (English). */
  missing: string | null;
}

/** One kommune of a stored ranking. */
export interface KommuneRankingRowInput {
  kommune: { kommunenummer: string; navn: string; fylkesnummer: string; fylkesnavn: string | null };
  score: number | null;
  rank: number | null;
  top: boolean;
  confidence: Confidence;
  weightShare: number;
  /** Keys of the factors without a figure. */
  missing: readonly string[];
  factors: Readonly<Record<string, KommuneFactorInput>>;
  previousRank?: number | null;
  population?: number | null;
  /** Under the rule file's minimum population: ranked and shown, never top 50. */
  belowMinPopulation?: boolean;
  /** The method's own explanation in Norwegian, when the ranking has one (one paragraph per entry). */
  explanation?: string | readonly string[] | null;
}

export interface KommuneRankingInput {
  refreshId: number;
  /** When the refresh finished (ISO 8601). */
  updatedAt: string | null;
  /** The method's factors in their documented order, with units (optional; unknown keys go last). */
  factorInfo?: ReadonlyArray<{ key: string; unit?: string | null }>;
  kommuner: readonly KommuneRankingRowInput[];
}

export interface KommuneFactorColumn {
  key: string;
  label: string;
  unit: string | null;
  weight: number;
  /** Decimals shown for the value (0 for kroner and other large figures, else 1). */
  decimals: number;
  /** Kommuner with a figure for this factor (the factor ranks run 1…of). */
  of: number;
}

export interface KommuneFactorCell {
  value: number | null;
  year: string | null;
  points: number;
  /** 1 = best among the kommuner with a figure (ties share a rank); null when missing. */
  rank: number | null;
  normalised: number | null;
  missing: string | null;
}

export interface KommuneRow {
  nr: string;
  navn: string;
  fylke: string;
  rank: number | null;
  previousRank: number | null;
  score: number | null;
  top: boolean;
  confidence: Confidence;
  confidenceLabel: string;
  weightShare: number;
  population: number | null;
  belowMinPopulation: boolean;
  /** Labels of the missing factors. */
  missing: string[];
  colour: string;
  factors: Record<string, KommuneFactorCell>;
}

export interface KommuneDashboard {
  refreshId: number;
  updatedAt: string | null;
  /** "10.03.2026", Oslo time. */
  updatedText: string;
  count: number;
  /** How many kommuner carry the top mark (the rule file's topN, 50 by default). */
  topCount: number;
  hasPopulation: boolean;
  factors: KommuneFactorColumn[];
  legend: Array<{ colour: string; label: string }>;
  kommuner: KommuneRow[];
}

/** Score classes of the map, best first (ColorBrewer YlGnBu, colour-blind safe, darker is better). */
export const KOMMUNE_SCORE_CLASSES: ReadonlyArray<{ from: number; colour: string; label: string }> = [
  { from: 80, colour: '#0c2c84', label: '80–100' },
  { from: 70, colour: '#225ea8', label: '70–80' },
  { from: 60, colour: '#1d91c0', label: '60–70' },
  { from: 50, colour: '#41b6c4', label: '50–60' },
  { from: 40, colour: '#7fcdbb', label: '40–50' },
  { from: 30, colour: '#c7e9b4', label: '30–40' },
  { from: -Infinity, colour: '#ffffcc', label: 'under 30' },
];

export function kommuneScoreColour(score: number | null): string {
  if (score === null || Number.isNaN(score)) return MISSING_SCORE_COLOR;
  return KOMMUNE_SCORE_CLASSES.find((c) => score >= c.from)!.colour;
}

export const NO_RANKING_TITLE = 'Ingen kommunerangering ennå';

/** What the dashboard, the CSV route and the API say when the store holds no ranking. */
export const NO_RANKING_TEXT = [
  'Tjenesten har ikke rangert kommunene ennå: rangeringen bygges av tall fra SSB.',
  'Kjør `tomtejakt kommuner --refresh` for å hente tallene nå, eller la tjenesten gå: ' +
    'den sjekker SSB hver dag og henter nye tall når de forrige er eldre enn SSB_REFRESH_DAYS (7 dager).',
  'Se docs/kommune-ranking.md for metoden.',
];

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The table of all kommuner: one row per kommune in rank order, one column group per factor. */
export function kommuneDashboard(input: KommuneRankingInput): KommuneDashboard {
  const factors = factorColumns(input);
  const ranks = new Map(factors.map((f) => [f.key, factorRanks(input.kommuner, f.key)]));
  const labelOf = new Map(factors.map((f) => [f.key, f.label]));
  const kommuner = input.kommuner.map((k): KommuneRow => {
    const cells: Record<string, KommuneFactorCell> = {};
    for (const column of factors) {
      const f = k.factors[column.key];
      cells[column.key] = {
        value: f?.raw == null ? null : round(f.raw, 3),
        year: f?.year ?? null,
        points: round(f?.points ?? 0, 2),
        rank: ranks.get(column.key)!.get(k.kommune.kommunenummer) ?? null,
        normalised: f?.normalised == null ? null : round(f.normalised, 4),
        missing: f?.raw == null ? (f?.missing ?? 'not in the ranking') : null,
      };
    }
    return {
      nr: k.kommune.kommunenummer,
      navn: k.kommune.navn,
      fylke: k.kommune.fylkesnavn ?? k.kommune.fylkesnummer,
      rank: k.rank,
      previousRank: k.previousRank ?? null,
      // Not rounded: a score shown to one decimal must read as the CLI prints it.
      score: k.score,
      top: k.top,
      confidence: k.confidence,
      confidenceLabel: ConfidenceLabel[k.confidence],
      weightShare: round(k.weightShare, 3),
      population: k.population ?? null,
      belowMinPopulation: k.belowMinPopulation ?? false,
      missing: k.missing.map((key) => labelOf.get(key) ?? key),
      colour: kommuneScoreColour(k.score),
      factors: cells,
    };
  });
  for (const column of factors) column.of = ranks.get(column.key)!.size;
  return {
    refreshId: input.refreshId,
    updatedAt: input.updatedAt,
    updatedText: input.updatedAt ? osloDate(input.updatedAt) : '–',
    count: kommuner.length,
    topCount: kommuner.filter((k) => k.top).length,
    hasPopulation: kommuner.some((k) => k.population !== null),
    factors,
    legend: [
      ...KOMMUNE_SCORE_CLASSES.map(({ colour, label }) => ({ colour, label })),
      { colour: MISSING_SCORE_COLOR, label: 'ikke beregnet' },
    ],
    kommuner,
  };
}

/** Every factor key met in the ranking, in the method's order (`factorInfo`), then in the order met. */
function factorColumns(input: KommuneRankingInput): KommuneFactorColumn[] {
  const seen = new Map<string, KommuneFactorInput>();
  for (const k of input.kommuner)
    for (const [key, f] of Object.entries(k.factors)) {
      const known = seen.get(key);
      // The label and weight of a kommune that has the factor (a missing one may carry placeholders).
      if (!known || (known.weight === 0 && f.weight > 0)) seen.set(key, f);
    }
  const order = (input.factorInfo ?? []).map((f) => f.key);
  const position = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = [...seen.keys()].sort((a, b) => position(a) - position(b));
  return keys.map((key) => {
    const f = seen.get(key)!;
    const values = input.kommuner
      .map((k) => k.factors[key]?.raw)
      .filter((v): v is number => v != null)
      .map(Math.abs)
      .sort((a, b) => a - b);
    const median = values.length ? values[Math.floor(values.length / 2)]! : 0;
    return {
      key,
      label: f.label,
      unit: input.factorInfo?.find((i) => i.key === key)?.unit ?? null,
      weight: f.weight,
      decimals: median >= 100 ? 0 : 1,
      of: 0,
    };
  });
}

/** Competition ranks (1, 2, 2, 4) by the factor's 0–1 value, best first, for the kommuner that have one. */
function factorRanks(kommuner: readonly KommuneRankingRowInput[], key: string): Map<string, number> {
  const scored = kommuner
    .map((k) => ({ nr: k.kommune.kommunenummer, value: k.factors[key]?.normalised }))
    .filter((e): e is { nr: string; value: number } => e.value != null)
    .sort((a, b) => b.value - a.value);
  const ranks = new Map<string, number>();
  scored.forEach((e, i) => {
    const previous = scored[i - 1];
    ranks.set(e.nr, previous && previous.value === e.value ? ranks.get(previous.nr)! : i + 1);
  });
  return ranks;
}

const dateFormat = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** "10.03.2026" for an ISO instant, in Oslo time. */
export function osloDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** A number the Norwegian way: decimal comma, a space between thousands, "−" never used. */
export function norwegianNumber(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${fraction ? `,${fraction}` : ''}`;
}
