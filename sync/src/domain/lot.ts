import type { AreaGeometry } from './geometry.js';
import type { Matrikkelnummer } from './parcel.js';

/** How a zone lets land be used: its plan code, status and (optional) utnytting. */
export interface ZoneUse {
  /** `identifikasjon.lokalId` of the zone; part of the lot's stable id. */
  lokalId: string;
  /** kommunenummer-planidentifikasjon of the kommuneplan the zone belongs to. */
  planId: string | null;
  objekttypenavn: 'KpArealformålOmråde' | 'KpArealbrukOmråde';
  /** PBL 2008 code (KpArealformålOmråde). */
  arealformal: number | null;
  /** PBL 1985 code (KpArealbrukOmråde, old plans still in force). */
  arealbruk: number | null;
  arealbruksstatus: number;
  omradenavn: string | null;
  utnytting: Utnytting | null;
}

/** The zone's own utnytting (SOSI `utnytting.*`); `tall` is null where the source lost the number. */
export interface Utnytting {
  type: number | null;
  tall: number | null;
  tallMinimum: number | null;
}

/**
 * A lot: the part of one zone's opportunity inside one parcel (teig). Its id is stable across
 * runs as long as the parcel number and the zone's lokalId stay the same.
 */
export interface Lot {
  /** `<kommunenummer>-<matrikkelnummertekst>-<zone lokalId>` */
  tomtId: string;
  kommunenummer: string;
  matrikkelnummertekst: string;
  matrikkelenheter: Matrikkelnummer[];
  matrikkelenhetId: string | null;
  teigId: string;
  zone: ZoneUse;
  arealM2: number;
  parcelArealM2: number;
  /** The opportunity part (zone minus regulated land, cleaned) the lot lies in. */
  opportunityId: string;
  opportunityArealM2: number;
  /** How many parcels the surrounding opportunity part spans (feeds Eierstruktur). */
  parcelsInOpportunity: number;
  /** Plan ids of plans in progress (planstatus 1–2) that touch the lot. */
  planarbeidPagar: string[];
  /** Geometry repairs made to the zone this lot came from (0 = the zone was valid). */
  zoneRepairs: number;
  geometry: AreaGeometry;
}

export type Tier = 'A' | 'B' | 'C' | 'D';
export type Confidence = 'high' | 'medium' | 'low';

export interface FactorScore {
  key: string;
  /** Norwegian label shown to the sales team, e.g. "Størrelse". */
  label: string;
  weight: number;
  /** 0–1, or null when the factor could not be computed (its weight is then redistributed). */
  value: number | null;
  /** Points contributed to the 0–100 total; the points of all factors sum to the total. */
  points: number;
  /** One Norwegian sentence: why this value. */
  reason: string;
}

export interface ConstraintCoverage {
  key: string;
  label: string;
  /** Share of the lot covered, 0–1. */
  fraction: number;
  weight: number;
  severe: boolean;
  sources: string[];
}

export interface CapacityEstimate {
  homes: number;
  method: string;
  detail: string;
  /** Where the number comes from: the zone's utnytting, a default density, or a plan that forbids building. */
  basis?: 'utnytting' | 'density' | 'not-buildable';
  /** The average home size (usable m²) the estimate assumed: the value estimate uses the same. */
  averageHomeM2?: number;
  /** The customer's rule of thumb (about 400 m² of land per home) on the same land, as a cross-check. */
  ruleOfThumbHomes?: number;
}

/**
 * What the land may be worth (issue 16): an estimate beside the score, never part of it. Sales
 * value = homes × average home size × the kommune's price per m²; the land value a band of shares.
 */
export interface ValueEstimate {
  /** kr, rounded to the nearest 100 000. */
  salesValue: number;
  landValueLow: number;
  landValueHigh: number;
  homes: number;
  averageHomeM2: number;
  /** kr per m², SSB 06035 (owner-occupied dwellings), and its year. */
  pricePerM2: number;
  priceYear: string | null;
  landShareLow: number;
  landShareHigh: number;
  /** Norwegian: the method and its inputs in one sentence, labelled as an estimate. */
  method: string;
}

export interface LotScore {
  total: number;
  tier: Tier;
  factors: FactorScore[];
  constraints: ConstraintCoverage[];
  capacity: CapacityEstimate;
  confidence: Confidence;
  confidenceReasons: string[];
  /** The "Scoreforklaring" paragraph, Norwegian bokmål. */
  explanation: string;
}

export interface ScoredLot extends Lot {
  score: LotScore;
  /** The estimated value (not part of the score); null without homes or a price per m². */
  value?: ValueEstimate | null;
}

export function lotId(kommunenummer: string, matrikkelnummertekst: string, zoneLokalId: string): string {
  return `${kommunenummer}-${matrikkelnummertekst}-${zoneLokalId}`;
}

/** Tier from a 0–100 total: A 80–100 (contact now), B 60–79, C 40–59 (monitor), D < 40 (archive). */
export function tierOf(total: number): Tier {
  if (total >= 80) return 'A';
  if (total >= 60) return 'B';
  if (total >= 40) return 'C';
  return 'D';
}
