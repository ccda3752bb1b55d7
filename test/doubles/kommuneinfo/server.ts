import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapPositions, transformFor } from '../../../sync/src/geo/crs.js';
import type { AnyGeometry, Position } from '../../../sync/src/domain/geometry.js';
import { pointInside } from '../../../sync/src/geo/point-inside.js';
import { startDouble, type Double } from '../double.js';

interface BundledFeature {
  properties: { kommunenummer: string; kommunenavn: string };
  geometry: AnyGeometry;
}

const bundled = (
  JSON.parse(readFileSync(path.resolve('sync/data/kommuner-2024-S.geojson'), 'utf8')) as {
    features: BundledFeature[];
  }
).features;
const FYLKER: Record<string, string> = { '03': 'Oslo', '32': 'Akershus', '46': 'Vestland', '33': 'Buskerud' };

/**
 * Kartverket's kommuneinfo API (`/kommuner/{nr}/omrade?utkoordsys=`), answering from the
 * bundled 2024 boundaries: the answer shape from public client code (notes/geodata.md §2),
 * geometries carrying their own `crs` member, 404 for an unknown number.
 */
export async function startKommuneinfoDouble(): Promise<Double> {
  return startDouble(
    (url) => {
      const match = /^\/kommuner\/(\d{4})\/omrade$/.exec(url.pathname);
      const feature = match && bundled.find((f) => f.properties.kommunenummer === match[1]);
      if (!feature)
        return {
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Fant ikke kommune' }),
        };
      const epsg = Number(url.searchParams.get('utkoordsys') ?? 4258);
      const to = transformFor(4326, epsg);
      const omrade = mapPositions(feature.geometry, (p: Position) => to(p));
      const crs = { type: 'name', properties: { name: `EPSG:${epsg}` } };
      const nr = feature.properties.kommunenummer;
      return {
        contentType: 'application/json',
        body: JSON.stringify({
          kommunenummer: nr,
          kommunenavn: feature.properties.kommunenavn,
          kommunenavnNorsk: feature.properties.kommunenavn,
          fylkesnavn: FYLKER[nr.slice(0, 2)] ?? 'Ukjent',
          fylkesnummer: nr.slice(0, 2),
          gyldigeNavn: [{ navn: feature.properties.kommunenavn, prioritet: 1, sprak: 'nor' }],
          samiskForvaltningsomrade: false,
          omrade: { ...omrade, crs },
          punktIOmrade: { type: 'Point', coordinates: pointInside(omrade as never), crs },
        }),
      };
    },
    { etags: true },
  );
}
