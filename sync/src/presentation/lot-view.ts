import type { Tier } from '../domain/lot.js';
import { TomterField } from '../crm/schema/tomter.js';
import { parseScoreDetails, type ScoreDetails } from './score-details.js';

/** Everything a lot's panel shows, read from a Tomter record (Airtable) or a store row. */
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
}

type FieldNames = { [K in keyof typeof TomterField]: string };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') {
    return (v as { name: string }).name; // single select as the Blocks SDK gives it: {id, name, color}
  }
  return null;
};

export function parseLotGeometry(text: unknown): Pick<LotView, 'geometry' | 'geometryProblem'> {
  if (typeof text !== 'string' || text.trim() === '')
    return { geometry: null, geometryProblem: 'Mangler geometri' };
  try {
    const value = JSON.parse(text) as { type?: unknown; coordinates?: unknown };
    if ((value.type === 'Polygon' || value.type === 'MultiPolygon') && Array.isArray(value.coordinates)) {
      return { geometry: { type: value.type, coordinates: value.coordinates }, geometryProblem: null };
    }
    return { geometry: null, geometryProblem: 'Geometrien er ikke et polygon' };
  } catch {
    return { geometry: null, geometryProblem: 'Geometrien kan ikke leses (ugyldig GeoJSON)' };
  }
}

/**
 * Builds the view from a record's cell values keyed by field name. `names` lets a base whose
 * fields are named differently map its own (the extension's settings screen).
 */
export function lotViewFromFields(
  fields: Record<string, unknown>,
  names: FieldNames = TomterField,
  tomtIdFallback = '',
): LotView {
  const klasse = str(fields[names.klasse]);
  return {
    tomtId: str(fields[names.tomtId]) ?? tomtIdFallback,
    kommunenummer: str(fields[names.kommunenummer]),
    kommune: str(fields[names.kommune]),
    matrikkelnummer: str(fields[names.matrikkelnummer]),
    arealM2: num(fields[names.arealM2]),
    eiendomArealM2: num(fields[names.eiendomArealM2]),
    arealformal: str(fields[names.arealformal]),
    arealbruksstatus: str(fields[names.arealbruksstatus]),
    score: num(fields[names.score]),
    klasse: klasse === 'A' || klasse === 'B' || klasse === 'C' || klasse === 'D' ? klasse : null,
    konfidens: str(fields[names.konfidens]),
    estimerteBoliger: num(fields[names.estimerteBoliger]),
    kapasitetsmetode: str(fields[names.kapasitetsmetode]),
    details: parseScoreDetails(fields[names.scoredetaljer]),
    scoreforklaring: str(fields[names.scoreforklaring]),
    planarbeidPagar: (str(fields[names.planarbeidPagar]) ?? '')
      .split(/[\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    status: str(fields[names.status]),
    eieroppslag: str(fields[names.eieroppslag]),
    eieroppslagMelding: str(fields[names.eieroppslagMelding]),
    antallEiere: num(fields[names.antallEiere]),
    seeiendom: str(fields[names.seeiendom]),
    norgeskart: str(fields[names.norgeskart]),
    ...parseLotGeometry(fields[names.geometri]),
  };
}
