import { AREALBRUKSSTATUS, zoneUseName } from '../../domain/codes.js';
import type { KommuneData } from '../../domain/kommune.js';
import type { ScoredLot } from '../../domain/lot.js';
import { parseMatrikkelnummertekst } from '../../domain/parcel.js';
import { formatPercent } from '../../util/norwegian-format.js';
import { scoreDetailsOf } from '../../presentation/score-details.js';
import { hashValue } from '../sync/field-hash.js';
import { ConfidenceLabel, TomterField as F, tomterTable } from '../schema/tomter.js';
import { airtableGeometry } from './geometry.js';
import { norgeskartUrl, seeiendomUrl } from './links.js';

/** The part of a Tomter record computed from the lot itself (dates come from the store). */
export type TomterContent = Record<string, string | number | null>;

export interface LotContext {
  kommuneNavn: string;
  sources: KommuneData['sources'];
}

const arealbruksstatusChoices = new Set(
  (
    (tomterTable.fields.find((f) => f.name === F.arealbruksstatus)?.options?.choices ?? []) as Array<{
      name: string;
    }>
  ).map((c) => c.name),
);

/**
 * The sync-owned content of a lot's Tomter record, in Airtable's cell formats. The same content
 * is stored with the lot (its hash is the lot's fingerprint) and drawn on the map page.
 */
export function tomterContentOf(lot: ScoredLot, context: LotContext): TomterContent {
  const matrikkel =
    lot.matrikkelenheter[0] ?? parseMatrikkelnummertekst(lot.kommunenummer, lot.matrikkelnummertekst);
  const geometry = airtableGeometry(lot.geometry);
  const status = AREALBRUKSSTATUS[lot.zone.arealbruksstatus];
  const score = lot.score;
  return {
    [F.kommunenummer]: lot.kommunenummer,
    [F.kommune]: context.kommuneNavn,
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
    [F.arealbruksstatus]: status && arealbruksstatusChoices.has(status) ? status : null,
    [F.kommuneplanId]: lot.zone.planId,
    [F.planarbeidPagar]: lot.planarbeidPagar.join('\n') || null,
    [F.score]: Math.round(score.total),
    [F.klasse]: score.tier,
    [F.scoreforklaring]: score.explanation || null,
    [F.scoredetaljer]: JSON.stringify(scoreDetailsOf(score)),
    [F.begrensninger]:
      score.constraints
        .filter((c) => c.fraction > 0)
        .map((c) => `${c.label}: ${formatPercent(c.fraction)} av tomten${c.severe ? ' (alvorlig)' : ''}`)
        .join('\n') || null,
    [F.estimerteBoliger]: Math.round(score.capacity.homes),
    [F.kapasitetsmetode]: score.capacity.method || null,
    [F.konfidens]: ConfidenceLabel[score.confidence],
    [F.geometri]: geometry.geojson,
    [F.senterLat]: geometry.centre.lat,
    [F.senterLon]: geometry.centre.lon,
    [F.seeiendom]: matrikkel ? seeiendomUrl(matrikkel) : null,
    [F.norgeskart]: norgeskartUrl(geometry.centre.east, geometry.centre.north),
    [F.kilde]: sourceText(context.sources),
  };
}

export const contentFingerprint = (content: TomterContent): string => hashValue(content);

function sourceText(sources: KommuneData['sources']): string {
  return `Kommuneplan: ${sources.kommuneplan}; reguleringsplan: ${sources.reguleringsplan}; eiendom: ${sources.parcels}`;
}
