import { defaultRules, parseRules } from '../../../../sync/src/config/rules.js';
import type { LotScoreRules } from '../../../../sync/src/config/lot-score-rules.js';
import type { AreaGeometry } from '../../../../sync/src/domain/geometry.js';
import type { KommuneData } from '../../../../sync/src/domain/kommune.js';
import type { Lot, Utnytting, ZoneUse } from '../../../../sync/src/domain/lot.js';
import type { PlanFeature, PropertyValue } from '../../../../sync/src/domain/plan.js';
import { planarArea } from '../../../../sync/src/geo/measure.js';
import type { KommuneFigures } from '../../../../sync/src/scoring/kommune/types.js';
import type { ConfidenceInput } from '../../../../sync/src/scoring/lot/confidence.js';
import { kommuneData } from '../../../helpers/plan-data.js';

export const defaultLotRules = (): LotScoreRules => defaultRules().lotScore;
export const lotRules = (lotScore: unknown): LotScoreRules => parseRules({ lotScore }).lotScore;

/** A lot with nothing that lowers its confidence: every source covered, nothing missing or repaired. */
export const confidenceInput = (over: Partial<ConfidenceInput> = {}): ConfidenceInput => ({
  coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' },
  zoneRepairs: 0,
  planarbeidPagar: [],
  missing: [],
  missingShare: 0,
  fallbackCentre: false,
  utnyttingLost: false,
  ...over,
});

let counter = 0;

/** A future housing zone (1110, framtidig) of the kommuneplan, as a lot carries it. */
export function zoneUse(over: Partial<ZoneUse> = {}): ZoneUse {
  return {
    lokalId: 'zone-1',
    planId: '3218-2019001',
    objekttypenavn: 'KpArealformålOmråde',
    arealformal: 1110,
    arealbruk: null,
    arealbruksstatus: 2,
    omradenavn: 'B1',
    utnytting: null,
    ...over,
  };
}

/** A hand-made lot: one property's part of a future housing zone, as the engine hands it over. */
export function makeLot(
  geometry: AreaGeometry,
  options: {
    matrikkel?: string;
    zone?: Partial<ZoneUse>;
    utnytting?: Utnytting | null;
    opportunityId?: string;
    opportunityArealM2?: number;
    parcelsInOpportunity?: number;
    planarbeidPagar?: string[];
    zoneRepairs?: number;
  } = {},
): Lot {
  counter += 1;
  const matrikkel = options.matrikkel ?? `1/${counter}`;
  const zone = zoneUse({ utnytting: options.utnytting ?? null, ...options.zone });
  const area = planarArea(geometry);
  return {
    tomtId: `3218-${matrikkel}-${zone.lokalId}`,
    kommunenummer: '3218',
    matrikkelnummertekst: matrikkel,
    matrikkelenheter: [],
    matrikkelenhetId: null,
    teigId: `teig-${counter}`,
    zone,
    arealM2: area,
    parcelArealM2: area,
    opportunityId: options.opportunityId ?? `${zone.lokalId}#0`,
    opportunityArealM2: options.opportunityArealM2 ?? area,
    parcelsInOpportunity: options.parcelsInOpportunity ?? 1,
    planarbeidPagar: options.planarbeidPagar ?? [],
    zoneRepairs: options.zoneRepairs ?? 0,
    geometry,
  };
}

/** A hensynssone of the kommuneplan, e.g. hensynssone('KpFareSone', 'fare', 320, geometry). */
export function hensynssone(
  objekttypenavn: string,
  codeKey: string,
  code: number | null,
  geometry: AreaGeometry,
  extra: Record<string, PropertyValue> = {},
): PlanFeature {
  counter += 1;
  return {
    objekttypenavn,
    properties: {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': extra.plan === undefined ? '2019001' : String(extra.plan),
      'identifikasjon.lokalId': `sone-${counter}`,
      ...(code === null ? {} : { [codeKey]: String(code) }),
      hensynSonenavn: code === null ? null : `H${code}_${counter}`,
      ...extra,
    },
    geometry,
  };
}

/** A regulated road (RpArealformålOmråde 2011 kjøreveg) in an adopted plan on the ground. */
export function regulatedRoad(geometry: AreaGeometry, plan = 'road-plan'): PlanFeature {
  return {
    objekttypenavn: 'RpArealformålOmråde',
    properties: {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': plan,
      'identifikasjon.lokalId': `road-${++counter}`,
      arealformål: '2011',
      feltbetegnelse: 'o_SKV1',
      vertikalnivå: '2',
    },
    geometry,
  };
}

export function dataWith(
  parts: Parameters<typeof kommuneData>[0] & { coverage?: Partial<KommuneData['coverage']> },
): KommuneData {
  const data = kommuneData(parts);
  return { ...data, coverage: { ...data.coverage, ...parts.coverage } };
}

/**
 * The kommune ranking's figures for a lot's kommune: Byggevilje as a percentile (0–100, as the
 * old kommune score was written), optionally a price per m² and a centrality class.
 */
export function figures(
  byggevilje: number | null,
  extra: Partial<Omit<KommuneFigures, 'byggevilje'>> = {},
): KommuneFigures {
  return {
    byggevilje: byggevilje === null ? null : { value: byggevilje / 100, raw: null, year: null },
    pricePerM2: extra.pricePerM2 ?? null,
    centralityClass: extra.centralityClass ?? null,
  };
}
