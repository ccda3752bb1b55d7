import type { Tier } from '../domain/lot.js';
import type { ScoreDetails } from './score-details.js';

/**
 * Everything a lot's panel and map marker show: built from a lot record (the service's map) or
 * read back from a Tomter record's cells (the extension, `crm/tomter/lot-view-from-cells.ts`).
 */
export interface LotView {
  tomtId: string;
  kommunenummer: string | null;
  kommune: string | null;
  matrikkelnummer: string | null;
  arealM2: number | null;
  eiendomArealM2: number | null;
  arealformal: string | null;
  arealbruksstatus: string | null;
  score: number | null;
  klasse: Tier | null;
  konfidens: string | null;
  estimerteBoliger: number | null;
  kapasitetsmetode: string | null;
  /** The estimated value, kr (an estimate beside the score, never part of it). */
  estimertSalgsverdi: number | null;
  tomteverdiLav: number | null;
  tomteverdiHoy: number | null;
  verdigrunnlag: string | null;
  details: ScoreDetails | null;
  scoreforklaring: string | null;
  planarbeidPagar: string[];
  status: string | null;
  eieroppslag: string | null;
  eieroppslagMelding: string | null;
  antallEiere: number | null;
  seeiendom: string | null;
  norgeskart: string | null;
  /** GeoJSON geometry in lon/lat, or null when missing or broken (listed, never drawn). */
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } | null;
  geometryProblem: string | null;
  /** The lot's label point (lon/lat), where its marker sits. */
  centre: { lon: number; lat: number } | null;
  /**
   * The Tomter record is kept below the Airtable policy ("Under terskel"): it existed before the
   * lot fell under the tier or score the base takes in, and records are never deleted. Always
   * false on the service's own map, which shows every lot whatever the policy.
   */
  underTerskel: boolean;
}
