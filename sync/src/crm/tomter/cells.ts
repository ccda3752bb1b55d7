import { AREALBRUKSSTATUS, zoneUseName } from '../../domain/codes.js';
import { parseMatrikkelnummertekst } from '../../domain/parcel.js';
import type { LotRecord, LotSources } from '../../lot-record/lot-record.js';
import { norgeskartUrl, seeiendomUrl } from '../../presentation/links.js';
import { scoreDetailsOf } from '../../presentation/score-details.js';
import { formatPercent } from '../../util/norwegian-format.js';
import { ConfidenceLabel, LOT_AREALBRUKSSTATUS, TomterField as F } from '../schema/tomter.js';
import { airtableGeometry } from './geometry.js';

/** The sync-owned cells of a Tomter record that come from the lot record (dates come from its history). */
export type TomterCells = Record<string, string | number | null>;

/** A lot record rendered as the sync-owned cells of its Tomter record, in Airtable's cell formats. */
export function tomterCellsOf(lot: LotRecord): TomterCells {
  const matrikkel =
    lot.matrikkelenheter[0] ?? parseMatrikkelnummertekst(lot.kommunenummer, lot.matrikkelnummertekst);
  const status = AREALBRUKSSTATUS[lot.zone.arealbruksstatus];
  const score = lot.score;
  return {
    [F.kommunenummer]: lot.kommunenummer,
    [F.kommune]: lot.kommuneNavn,
    [F.matrikkelnummer]: lot.matrikkelnummertekst,
    [F.gnr]: matrikkel?.gnr ?? null,
    [F.bnr]: matrikkel?.bnr ?? null,
    [F.fnr]: matrikkel?.fnr ?? null,
    [F.snr]: matrikkel?.snr ?? null,
    [F.arealM2]: Math.round(lot.arealM2),
    [F.arealDaa]: Math.round(lot.arealM2 / 100) / 10,
    [F.eiendomArealM2]: Math.round(lot.parcelArealM2),
    [F.mulighetArealM2]: Math.round(lot.opportunityArealM2),
    [F.arealformal]: zoneUseName(lot.zone.arealformal, lot.zone.arealbruk),
    [F.arealbruksstatus]: status && LOT_AREALBRUKSSTATUS.includes(status) ? status : null,
    [F.kommuneplanId]: lot.zone.planId,
    [F.planarbeidPagar]: lot.planarbeidPagar.join('\n') || null,
    [F.score]: Math.round(score.total),
    [F.klasse]: score.tier,
    [F.scoreforklaring]: score.explanation || null,
    [F.scoredetaljer]: JSON.stringify(scoreDetailsOf(score)),
    [F.begrensninger]: constraintsText(lot) || null,
    [F.estimerteBoliger]: Math.round(score.capacity.homes),
    [F.kapasitetsmetode]: score.capacity.method || null,
    [F.estimertSalgsverdi]: lot.value?.salesValue ?? null,
    [F.tomteverdiLav]: lot.value?.landValueLow ?? null,
    [F.tomteverdiHoy]: lot.value?.landValueHigh ?? null,
    [F.verdigrunnlag]: lot.value?.method ?? null,
    [F.konfidens]: ConfidenceLabel[score.confidence],
    [F.geometri]: airtableGeometry(lot.geometry).geojson,
    [F.senterLat]: lot.centre.lat,
    [F.senterLon]: lot.centre.lon,
    [F.seeiendom]: matrikkel ? seeiendomUrl(matrikkel) : null,
    [F.norgeskart]: norgeskartUrl(lot.centre.east, lot.centre.north),
    [F.kilde]: sourceText(lot.sources),
  };
}

function constraintsText(lot: LotRecord): string {
  return lot.score.constraints
    .filter((c) => c.fraction > 0)
    .map((c) => `${c.label}: ${formatPercent(c.fraction)} av tomten${c.severe ? ' (alvorlig)' : ''}`)
    .join('\n');
}

function sourceText(sources: LotSources): string {
  return `Kommuneplan: ${sources.kommuneplan}; reguleringsplan: ${sources.reguleringsplan}; eiendom: ${sources.parcels}`;
}
