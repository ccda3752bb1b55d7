import type { AnyGeometry } from './geometry.js';

/**
 * The SOSI Plan 5.0 feature types the service reads, by their `objekttypenavn` as NAP writes
 * them (Norwegian letters included). Sources normalise other spellings (GML element names,
 * ASCII "flat" variants) to these.
 */
export const PlanObjectType = {
  KpOmrade: 'KpOmråde',
  KpArealformalOmrade: 'KpArealformålOmråde',
  KpArealbrukOmrade: 'KpArealbrukOmråde',
  KpDetaljeringSone: 'KpDetaljeringSone',
  KpAngittHensynSone: 'KpAngittHensynSone',
  KpFareSone: 'KpFareSone',
  KpStoySone: 'KpStøySone',
  KpSikringSone: 'KpSikringSone',
  KpInfrastrukturSone: 'KpInfrastrukturSone',
  KpBandleggingSone: 'KpBåndleggingSone',
  KpGjennomforingSone: 'KpGjennomføringSone',
  RpOmrade: 'RpOmråde',
  RpArealformalOmrade: 'RpArealformålOmråde',
  RbFormalOmrade: 'RbFormålOmråde',
  RpAngittHensynSone: 'RpAngittHensynSone',
  RpFareSone: 'RpFareSone',
  RpStoySone: 'RpStøySone',
  RpSikringSone: 'RpSikringSone',
  RpInfrastrukturSone: 'RpInfrastrukturSone',
  RpBandleggingSone: 'RpBåndleggingSone',
  RpGjennomforingSone: 'RpGjennomføringSone',
  RpDetaljeringSone: 'RpDetaljeringSone',
} as const;
export type PlanObjectTypeName = (typeof PlanObjectType)[keyof typeof PlanObjectType];

/** A property value as the sources deliver it; codes often arrive as strings ("1110"). */
export type PropertyValue = string | number | boolean | null;

/**
 * One plan feature, normalised: geometry in EPSG:25833, properties under NAP's flat dotted SOSI
 * names (`arealformål`, `arealplanId.kommunenummer`, `identifikasjon.lokalId`, `utnytting.utnyttingstall` …).
 */
export interface PlanFeature {
  objekttypenavn: string;
  properties: Record<string, PropertyValue>;
  geometry: AnyGeometry | null;
}

/** Reads a property as an integer code ("1110" → 1110); null when absent or not a number. */
export function codeOf(feature: PlanFeature, key: string): number | null {
  const value = feature.properties[key];
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) ? Math.trunc(n) : null;
}

export function textOf(feature: PlanFeature, key: string): string | null {
  const value = feature.properties[key];
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

/** Plan id = kommunenummer + planidentifikasjon (NAP's definition), e.g. "4601-65800000". */
export function planIdOf(feature: PlanFeature): string | null {
  const kommune = textOf(feature, 'arealplanId.kommunenummer');
  const plan = textOf(feature, 'arealplanId.planidentifikasjon');
  if (!plan) return null;
  return kommune ? `${kommune}-${plan}` : plan;
}

export function lokalIdOf(feature: PlanFeature): string | null {
  return textOf(feature, 'identifikasjon.lokalId');
}
