import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAreaGeometry, type AreaGeometry } from '../../domain/geometry.js';
import type { Kommune } from '../../domain/kommune.js';
import { normalizeGeometry } from '../files/normalize-geometry.js';
import { LONLAT } from '../files/source-crs.js';

export interface KommuneRecord {
  kommune: Kommune;
  /** EPSG:25833. */
  boundary: AreaGeometry;
}

const BUNDLED = fileURLToPath(new URL('../../../data/kommuner-2024-S.geojson', import.meta.url));
/** The bundled boundary file (lon/lat GeoJSON), also drawn by the kommune dashboard. */
export const BUNDLED_KOMMUNE_BOUNDARIES = BUNDLED;
let cache: Map<string, { kommune: Kommune; geometry: unknown }> | null = null;

/**
 * The bundled 2024 kommune boundaries (robhop/fylker-og-kommuner, © Kartverket CC BY 4.0),
 * simplified and clipped to the coast: the offline fallback when kommuneinfo is unreachable.
 * Fylke names are not in the file (null); the fylkesnummer is the kommunenummer's first two digits.
 */
export function bundledKommune(kommunenummer: string, file = BUNDLED): KommuneRecord | null {
  cache ??= load(file);
  const entry = cache.get(kommunenummer);
  if (!entry) return null;
  const { geometry } = normalizeGeometry(entry.geometry, LONLAT);
  if (!isAreaGeometry(geometry)) return null;
  return { kommune: entry.kommune, boundary: geometry };
}

export function bundledKommunenummer(file = BUNDLED): string[] {
  cache ??= load(file);
  return [...cache.keys()].sort();
}

function load(file: string): Map<string, { kommune: Kommune; geometry: unknown }> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    features: Array<{
      properties: { kommunenummer: string; kommunenavn?: string; name?: string };
      geometry: unknown;
    }>;
  };
  const map = new Map<string, { kommune: Kommune; geometry: unknown }>();
  for (const feature of json.features) {
    const nr = String(feature.properties.kommunenummer).padStart(4, '0');
    map.set(nr, {
      kommune: {
        kommunenummer: nr,
        navn: feature.properties.kommunenavn ?? feature.properties.name ?? nr,
        fylkesnummer: nr.slice(0, 2),
        fylkesnavn: null,
      },
      geometry: feature.geometry,
    });
  }
  return map;
}
