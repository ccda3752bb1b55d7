import { AREALBRUKSSTATUS, zoneUseName } from '../domain/codes.js';
import { parseMatrikkelnummertekst } from '../domain/parcel.js';
import { lonLatGeometry } from '../geo/lon-lat.js';
import type { LotRecord } from '../lot-record/lot-record.js';
import { ConfidenceLabel } from './labels.js';
import { norgeskartUrl, seeiendomUrl } from './links.js';
import type { LotView } from './lot-view.js';
import { scoreDetailsOf } from './score-details.js';

/** The view of a lot record. The team's status and the owner lookup live in Airtable, not here. */
export function lotViewOf(lot: LotRecord): LotView {
  const matrikkel =
    lot.matrikkelenheter[0] ?? parseMatrikkelnummertekst(lot.kommunenummer, lot.matrikkelnummertekst);
  return {
    tomtId: lot.tomtId,
    kommunenummer: lot.kommunenummer,
    kommune: lot.kommuneNavn || null,
    matrikkelnummer: lot.matrikkelnummertekst,
    arealM2: Math.round(lot.arealM2),
    eiendomArealM2: Math.round(lot.parcelArealM2),
    arealformal: zoneUseName(lot.zone.arealformal, lot.zone.arealbruk),
    arealbruksstatus: AREALBRUKSSTATUS[lot.zone.arealbruksstatus] ?? null,
    score: Math.round(lot.score.total),
    klasse: lot.score.tier,
    konfidens: ConfidenceLabel[lot.score.confidence],
    estimerteBoliger: Math.round(lot.score.capacity.homes),
    kapasitetsmetode: lot.score.capacity.method || null,
    estimertSalgsverdi: lot.value?.salesValue ?? null,
    tomteverdiLav: lot.value?.landValueLow ?? null,
    tomteverdiHoy: lot.value?.landValueHigh ?? null,
    verdigrunnlag: lot.value?.method ?? null,
    details: scoreDetailsOf(lot.score),
    scoreforklaring: lot.score.explanation || null,
    planarbeidPagar: lot.planarbeidPagar,
    status: null,
    eieroppslag: null,
    eieroppslagMelding: null,
    antallEiere: null,
    seeiendom: matrikkel ? seeiendomUrl(matrikkel) : null,
    norgeskart: norgeskartUrl(lot.centre.east, lot.centre.north),
    geometry: lonLatGeometry(lot.geometry),
    geometryProblem: null,
    centre: { lon: lot.centre.lon, lat: lot.centre.lat },
    underTerskel: false,
  };
}
