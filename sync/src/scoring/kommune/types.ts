import type { Kommune } from '../../domain/kommune.js';

export const KOMMUNE_FACTOR_KEYS = [
  'befolkningsvekst',
  'framskrevetVekst',
  'markedsstorrelse',
  'boligpris',
  'boligbygging',
  'inntekt',
  'sysselsetting',
  'byggevilje',
  'partistandpunkt',
] as const;

export type KommuneFactorKey = (typeof KOMMUNE_FACTOR_KEYS)[number];

export type KommuneConfidence = 'high' | 'medium' | 'low';

/** A factor's figures for one kommune, before normalisation. */
export interface FactorRaw {
  /** The headline figure shown to the team (unit per factor), or null when missing. */
  value: number | null;
  /** The period the figure is for ("2026"; for growth, the end year). */
  year: string | null;
  /**
   * The measures that are percentile-ranked, oriented so that higher is better. A factor with
   * several (house price: level and change) averages their ranks with the component weights.
   */
  components: Record<string, number | null>;
  /** Further figures worth showing (the 5-year price change, the population used). */
  detail?: Record<string, number | string | null>;
  /** Why the figure is missing (English, for logs and reports). */
  missing?: string;
}

export interface FactorResult {
  key: KommuneFactorKey;
  /** Norwegian label. */
  label: string;
  /** Configured weight. */
  weight: number;
  raw: number | null;
  year: string | null;
  /** 0–1 percentile rank across kommuner, null when missing. */
  normalised: number | null;
  /** Points contributed to the 0–100 score (the missing factors' weight redistributed). */
  points: number;
  detail: Record<string, number | string | null>;
  missing: string | null;
}

export interface RankedKommune {
  kommune: Kommune;
  /** 0–100, null when no factor could be computed. */
  score: number | null;
  /** 1 = best; null without a score. */
  rank: number | null;
  top: boolean;
  confidence: KommuneConfidence;
  /** Share of the total weight whose factors are present, 0–1. */
  weightShare: number;
  missing: KommuneFactorKey[];
  factors: Record<KommuneFactorKey, FactorResult>;
  /** Inhabitants on 1 January of the latest year (07459), null when unknown. */
  population: number | null;
  /**
   * Under the rule file's minimum population (`minPopulation`): still ranked and shown, never
   * flagged top 50 (a project of 100+ homes does not sell there).
   */
  belowMinPopulation: boolean;
}

export interface KommuneRanking {
  /** In rank order; kommuner without a score last. */
  kommuner: RankedKommune[];
}

/** What the lot score's "Kommunal vilje" factor reads. */
export interface KommuneScoreLookup {
  kommuneScore(kommunenummer: string): number | null;
}

/**
 * What the lot score reads about a lot's kommune (issue 16): the ranking's will-to-build factor
 * (Kommunal vilje), its price per m² (estimated value) and SSB's centrality class (capacity).
 */
export interface KommuneFigures {
  /** Byggevilje: its 0–1 percentile value among kommuner, the headline figure and its year. */
  byggevilje: { value: number; raw: number | null; year: string | null } | null;
  /** Average price per m² of owner-occupied dwellings (SSB 06035 via the ranking), kr. */
  pricePerM2: { value: number; year: string | null } | null;
  /** SSB's centrality class 1 (most central) – 6 (KLASS 128), null when unknown. */
  centralityClass: number | null;
}

export const NO_KOMMUNE_FIGURES: KommuneFigures = {
  byggevilje: null,
  pricePerM2: null,
  centralityClass: null,
};

export interface KommuneFiguresLookup {
  kommuneFigures(kommunenummer: string): KommuneFigures;
}
