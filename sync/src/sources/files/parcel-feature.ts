import { isAreaGeometry } from '../../domain/geometry.js';
import {
  formatMatrikkelnummer,
  parseMatrikkelnummertekst,
  type Matrikkelnummer,
  type Parcel,
} from '../../domain/parcel.js';
import { FeatureProblem } from './format-error.js';
import { normalizeGeometry } from './normalize-geometry.js';
import { foldName } from './sosi-names.js';
import type { SourceCrs } from './source-crs.js';

export interface ParcelIn {
  /** Flat or nested properties (teig WFS flattened, Kartverket eiendom GeoJSON, ogr2ogr output). */
  properties: Record<string, unknown>;
  /** One entry per `matrikkelenhet/Matrikkelenhet` when the source repeats it (GML groups). */
  matrikkelenheter?: Array<Record<string, unknown>>;
  geometry: unknown;
  crs: SourceCrs;
  /** An id to fall back on (`gml:id` "teig.261221547"). */
  fallbackId?: string | null;
}

/**
 * The folded names a parcel's fields are looked up by, each list in order of preference (the teig
 * WFS's flattened `app:Teig` first, then Kartverket's eiendom GeoJSON and converted files).
 */
export const PARCEL_FIELD_NAMES = {
  kommunenummer: ['kommunenummer', 'matrikkelenhetkommunenummer'],
  matrikkelnummertekst: ['matrikkelnummertekst'],
  teigId: ['identteigteigid', 'teigid', 'identteigidentteigteigid', 'lokalid', 'identifikasjonlokalid'],
  areal: ['teigareallagretberegnetareal', 'lagretberegnetareal', 'teigareal'],
  matrikkelenhetId: ['matrikkelenhetmatrikkelenhetid', 'matrikkelenhetid'],
  units: ['matrikkelenhet', 'matrikkelenheter'],
} as const;

/**
 * A parcel (teig) from the teig WFS's `app:Teig` (flattened), Kartverket's eiendom GeoJSON
 * (`gardsnummer`, `bruksnummer`, `matrikkelnummertekst`, `lokalid`) or converted files whose
 * column names differ in case and separators. Throws FeatureProblem when no id, no matrikkel
 * number or no area geometry can be found.
 */
export function toParcel(input: ParcelIn, note: (problem: string) => void): Parcel {
  const { flat, groups } = fold(input.properties);
  const pick = (...keys: string[]): unknown => {
    for (const key of keys) {
      const value = flat.get(key);
      if (value !== null && value !== undefined && value !== '') return value;
    }
    return undefined;
  };

  const units = (
    input.matrikkelenheter ??
    PARCEL_FIELD_NAMES.units.map((name) => groups.get(name)).find((group) => group !== undefined) ??
    []
  ).map((group) => fold(group).flat);
  let kommunenummer = text(pick(...PARCEL_FIELD_NAMES.kommunenummer)) ?? text(units[0]?.get('kommunenummer'));
  if (kommunenummer) kommunenummer = kommunenummer.padStart(4, '0');

  const matrikkelenheter: Matrikkelnummer[] = [];
  const unitSources = units.length > 0 ? units : [flat];
  for (const unit of unitSources) {
    const number = matrikkelnummerOf(unit, kommunenummer);
    if (number) matrikkelenheter.push(number);
  }
  let matrikkelnummertekst = text(pick(...PARCEL_FIELD_NAMES.matrikkelnummertekst));
  if (matrikkelenheter.length === 0 && matrikkelnummertekst && kommunenummer) {
    for (const part of matrikkelnummertekst.split(/[,;]/)) {
      const parsed = parseMatrikkelnummertekst(kommunenummer, part);
      if (parsed) matrikkelenheter.push(parsed);
    }
  }
  if (!matrikkelnummertekst && matrikkelenheter[0])
    matrikkelnummertekst = formatMatrikkelnummer(matrikkelenheter[0]);
  if (!kommunenummer) kommunenummer = matrikkelenheter[0]?.kommunenummer || null;
  if (!kommunenummer) throw new FeatureProblem('no kommunenummer');
  if (!matrikkelnummertekst || matrikkelenheter.length === 0) {
    throw new FeatureProblem('no matrikkel number (matrikkelnummerTekst or gardsnummer/bruksnummer)');
  }

  const teigId =
    text(pick(...PARCEL_FIELD_NAMES.teigId)) ?? text(input.fallbackId)?.replace(/^teig\./i, '') ?? null;
  if (!teigId) throw new FeatureProblem('no teig id (identTeig/teigId, lokalid or gml:id)');

  if (input.geometry === null || input.geometry === undefined) throw new FeatureProblem('no geometry');
  const normalized = normalizeGeometry(input.geometry, input.crs);
  normalized.notes.forEach(note);
  if (!isAreaGeometry(normalized.geometry)) {
    throw new FeatureProblem(`geometry is a ${normalized.geometry.type}, not an area`);
  }
  const area = number(pick(...PARCEL_FIELD_NAMES.areal));
  const matrikkelenhetId =
    text(units[0]?.get('matrikkelenhetid')) ?? text(pick(...PARCEL_FIELD_NAMES.matrikkelenhetId));
  return {
    teigId,
    kommunenummer,
    matrikkelnummertekst,
    matrikkelenheter,
    matrikkelenhetId,
    lagretArealM2: area,
    geometry: normalized.geometry,
  };
}

/** One matrikkelenhet's number from its folded fields; null without gnr and bnr. */
export function matrikkelnummerOf(
  unit: ReadonlyMap<string, unknown>,
  kommunenummer: string | null,
): Matrikkelnummer | null {
  const gnr = integer(unit.get('gardsnummer') ?? unit.get('matrikkelenhetgardsnummer'));
  const bnr = integer(unit.get('bruksnummer') ?? unit.get('matrikkelenhetbruksnummer'));
  if (gnr === null || bnr === null) return null;
  return {
    kommunenummer: (text(unit.get('kommunenummer')) ?? kommunenummer ?? '').padStart(4, '0'),
    gnr,
    bnr,
    fnr: integer(unit.get('festenummer') ?? unit.get('matrikkelenhetfestenummer')) ?? 0,
    snr: integer(unit.get('seksjonsnummer') ?? unit.get('matrikkelenhetseksjonsnummer')) ?? 0,
  };
}

/** Folded dotted keys → value, and arrays of objects kept apart as repeated groups. */
function fold(properties: Record<string, unknown>): {
  flat: Map<string, unknown>;
  groups: Map<string, Array<Record<string, unknown>>>;
} {
  const flat = new Map<string, unknown>();
  const groups = new Map<string, Array<Record<string, unknown>>>();
  const visit = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
        groups.set(foldName(prefix), value as Array<Record<string, unknown>>);
      }
      if (value[0] !== undefined) visit(prefix, value[0]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, inner);
    } else {
      const key = foldName(prefix);
      if (!flat.has(key)) flat.set(key, value);
    }
  };
  for (const [key, value] of Object.entries(properties)) visit(key, value);
  return { flat, groups };
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const result = String(value).trim();
  return result === '' ? null : result;
}

function integer(value: unknown): number | null {
  const parsed = number(value);
  return parsed !== null && Number.isInteger(parsed) ? parsed : null;
}

function number(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const parsed = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(parsed) ? parsed : null;
}
