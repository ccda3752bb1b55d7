import type { AreaGeometry } from './geometry.js';

/** A matrikkel unit's number: gårdsnummer, bruksnummer, festenummer, seksjonsnummer. */
export interface Matrikkelnummer {
  kommunenummer: string;
  gnr: number;
  bnr: number;
  fnr: number;
  snr: number;
}

/**
 * A cadastral parcel (teig). A teig is not a property: one matrikkelenhet can have several
 * teiger and one teig can belong to several matrikkelenheter (`teigMedFlereMatrikkelenheter`).
 */
export interface Parcel {
  teigId: string;
  kommunenummer: string;
  /** As the teig service writes it, e.g. "167/714". */
  matrikkelnummertekst: string;
  matrikkelenheter: Matrikkelnummer[];
  /** Kartverket's Matrikkel API id of the (first) matrikkelenhet, when the source gives it. */
  matrikkelenhetId: string | null;
  /** Area stored in the cadastre (`lagretBeregnetAreal`), m²; null when absent. */
  lagretArealM2: number | null;
  geometry: AreaGeometry;
}

/** "167/714" → gnr 167, bnr 714; "167/714/2/3" → with fnr 2, snr 3. Returns null for other shapes. */
export function parseMatrikkelnummertekst(kommunenummer: string, text: string): Matrikkelnummer | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)(?:\s*\/\s*(\d+))?(?:\s*\/\s*(\d+))?\s*$/.exec(text);
  if (!match) return null;
  return {
    kommunenummer,
    gnr: Number(match[1]),
    bnr: Number(match[2]),
    fnr: match[3] ? Number(match[3]) : 0,
    snr: match[4] ? Number(match[4]) : 0,
  };
}

export function formatMatrikkelnummer(m: Matrikkelnummer): string {
  const base = `${m.gnr}/${m.bnr}`;
  if (m.snr) return `${base}/${m.fnr}/${m.snr}`;
  if (m.fnr) return `${base}/${m.fnr}`;
  return base;
}
