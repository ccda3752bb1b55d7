import type { LotView } from '../../presentation/lot-view.js';
import { parseScoreDetails } from '../../presentation/score-details.js';
import { TomterField } from '../schema/tomter.js';

type FieldNames = { [K in keyof typeof TomterField]: string };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (v && typeof v === 'object' && 'name' in v && typeof (v as { name: unknown }).name === 'string') {
    return (v as { name: string }).name; // single select as the Blocks SDK gives it: {id, name, color}
  }
  return null;
};

/** Reads the Geometri cell (lon/lat GeoJSON text); a broken value is a problem to list, not an exception. */
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

function centreOf(lat: unknown, lon: unknown): LotView['centre'] {
  const la = num(lat);
  const lo = num(lon);
  return la === null || lo === null ? null : { lat: la, lon: lo };
}

/**
 * A lot's view read back from its Tomter record's cells, keyed by field name: the extension's
 * side of `tomterCellsOf`. `names` lets a base whose fields are named differently map its own.
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
    estimertSalgsverdi: num(fields[names.estimertSalgsverdi]),
    tomteverdiLav: num(fields[names.tomteverdiLav]),
    tomteverdiHoy: num(fields[names.tomteverdiHoy]),
    verdigrunnlag: str(fields[names.verdigrunnlag]),
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
    centre: centreOf(fields[names.senterLat], fields[names.senterLon]),
    // A checkbox cell is true or absent; a formula field standing in for it may give 1.
    underTerskel: fields[names.underTerskel] === true || fields[names.underTerskel] === 1,
  };
}
