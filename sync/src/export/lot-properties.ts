import type { Lot, ScoredLot } from '../domain/lot.js';

/** Column values of a lot in the output files, named as the issue and QGIS users expect (snake case). */
export type LotRow = Record<string, string | number | null>;

export const LOT_COLUMNS: Array<{ name: string; type: 'TEXT' | 'REAL' | 'INTEGER' }> = [
  { name: 'tomt_id', type: 'TEXT' },
  { name: 'kommunenummer', type: 'TEXT' },
  { name: 'matrikkelnummertekst', type: 'TEXT' },
  { name: 'gnr', type: 'INTEGER' },
  { name: 'bnr', type: 'INTEGER' },
  { name: 'fnr', type: 'INTEGER' },
  { name: 'snr', type: 'INTEGER' },
  { name: 'teig_id', type: 'TEXT' },
  { name: 'areal_m2', type: 'REAL' },
  { name: 'eiendom_areal_m2', type: 'REAL' },
  { name: 'arealformal', type: 'INTEGER' },
  { name: 'arealbruk', type: 'INTEGER' },
  { name: 'arealbruksstatus', type: 'INTEGER' },
  { name: 'sone_lokalid', type: 'TEXT' },
  { name: 'kommuneplan_id', type: 'TEXT' },
  { name: 'omradenavn', type: 'TEXT' },
  { name: 'mulighet_id', type: 'TEXT' },
  { name: 'mulighet_areal_m2', type: 'REAL' },
  { name: 'eiendommer_i_mulighet', type: 'INTEGER' },
  { name: 'planarbeid_pagar', type: 'TEXT' },
  { name: 'sone_reparert', type: 'INTEGER' },
  { name: 'score', type: 'INTEGER' },
  { name: 'klasse', type: 'TEXT' },
  { name: 'konfidens', type: 'TEXT' },
  { name: 'estimerte_boliger', type: 'INTEGER' },
  { name: 'kapasitetsmetode', type: 'TEXT' },
  { name: 'scoreforklaring', type: 'TEXT' },
  // The estimated value (an estimate beside the score, never part of it), kr.
  { name: 'estimert_salgsverdi', type: 'REAL' },
  { name: 'tomteverdi_lav', type: 'REAL' },
  { name: 'tomteverdi_hoy', type: 'REAL' },
  { name: 'verdigrunnlag', type: 'TEXT' },
];

export function lotRow(lot: Lot | ScoredLot): LotRow {
  const unit = lot.matrikkelenheter[0];
  const score = 'score' in lot ? lot.score : null;
  const value = 'value' in lot ? lot.value : null;
  return {
    tomt_id: lot.tomtId,
    kommunenummer: lot.kommunenummer,
    matrikkelnummertekst: lot.matrikkelnummertekst,
    gnr: unit?.gnr ?? null,
    bnr: unit?.bnr ?? null,
    fnr: unit?.fnr ?? null,
    snr: unit?.snr ?? null,
    teig_id: lot.teigId,
    areal_m2: lot.arealM2,
    eiendom_areal_m2: lot.parcelArealM2,
    arealformal: lot.zone.arealformal,
    arealbruk: lot.zone.arealbruk,
    arealbruksstatus: lot.zone.arealbruksstatus,
    sone_lokalid: lot.zone.lokalId,
    kommuneplan_id: lot.zone.planId,
    omradenavn: lot.zone.omradenavn,
    mulighet_id: lot.opportunityId,
    mulighet_areal_m2: lot.opportunityArealM2,
    eiendommer_i_mulighet: lot.parcelsInOpportunity,
    // A comma-separated list reads as one text column in QGIS, GDAL and spreadsheets alike.
    planarbeid_pagar: lot.planarbeidPagar.join(','),
    sone_reparert: lot.zoneRepairs,
    score: score?.total ?? null,
    klasse: score?.tier ?? null,
    konfidens: score?.confidence ?? null,
    estimerte_boliger: score?.capacity.homes ?? null,
    kapasitetsmetode: score?.capacity.method ?? null,
    scoreforklaring: score?.explanation ?? null,
    estimert_salgsverdi: value?.salesValue ?? null,
    tomteverdi_lav: value?.landValueLow ?? null,
    tomteverdi_hoy: value?.landValueHigh ?? null,
    verdigrunnlag: value?.method ?? null,
  };
}
