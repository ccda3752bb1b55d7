import type { Matrikkelnummer } from '../domain/parcel.js';

/**
 * Kartverket's property page. The path is kommunenummer/gnr/bnr/fnr/snr, as linked from
 * Kartverket's own and many public tools (e.g. `https://seeiendom.kartverket.no/eiendom/3218/45/12/0/0`).
 */
export function seeiendomUrl(m: Matrikkelnummer): string {
  return `https://seeiendom.kartverket.no/eiendom/${m.kommunenummer}/${m.gnr}/${m.bnr}/${m.fnr}/${m.snr}`;
}

/**
 * Norgeskart centred on a point with a marker. Norgeskart's `lat`/`lon` parameters take
 * EUREF89 UTM 33 (EPSG:25833) northing/easting, not degrees; layer 1002 is the topographic map.
 */
export function norgeskartUrl(east: number, north: number, zoom = 16): string {
  const n = north.toFixed(2);
  const e = east.toFixed(2);
  return `https://norgeskart.no/#!?project=norgeskart&layers=1002&zoom=${zoom}&lat=${n}&lon=${e}&markerLat=${n}&markerLon=${e}`;
}
