import { mapPositions, transformFor } from '../../../sync/src/geo/crs.js';
import type { BBox } from '../../../sync/src/domain/geometry.js';
import { startDouble, type Double } from '../double.js';
import { param, rowsWithin, type LayerRow } from './layer-data.js';

export interface ArcgisDoubleOptions {
  /** `<Service>/MapServer/<id>` → rows (EPSG:25833), e.g. `Flomsoner2/MapServer/17`. */
  layers: Record<string, LayerRow[]>;
  /** The layer's maxRecordCount: a page never holds more (NVE/Miljødirektoratet: 1000–2000). */
  maxRecordCount?: number;
  /** Where `exceededTransferLimit` is written in an f=geojson answer (both are seen). */
  limitFlag?: 'top' | 'properties';
  /** Quirk: answer in lon/lat (EPSG:4326) whatever outSR asks, without saying so. */
  ignoreOutSr?: boolean;
  /** Quirk: declare this CRS in a `crs` member (and write the coordinates in it). */
  declareCrs?: number;
}

export interface ArcgisDouble extends Double {
  set(options: Partial<ArcgisDoubleOptions>): void;
}

/** ArcGIS's error object sent with HTTP 200 (recorded from NVE, OAPI `NVE_FEIL`, 2026-10-03). */
export const ARCGIS_NOT_STARTED = JSON.stringify({
  error: { code: 500, message: 'Service wmts/KastWMTS/MapServer not started ', details: [] },
});

/**
 * ArcGIS REST MapServer `…/MapServer/<id>/query` as NVE (kart.nve.no/enterprise) and
 * Miljødirektoratet serve it: `geometry` envelope in `inSR`, `outSR`, `f=geojson`,
 * `resultOffset`/`resultRecordCount` capped at maxRecordCount, `exceededTransferLimit` while more
 * remain; an unknown layer answers the HTTP 200 error object. Strong ETags, 304 on If-None-Match.
 */
export async function startArcgisDouble(initial: ArcgisDoubleOptions): Promise<ArcgisDouble> {
  let options = initial;
  const double = await startDouble(
    (url) => {
      const match = /^\/(.+\/MapServer\/\d+)\/query$/.exec(url.pathname);
      const rows = match ? options.layers[match[1]!] : undefined;
      if (!rows)
        return {
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 400, message: 'Invalid or missing input parameters.', details: [] },
          }),
        };
      const inSr = Number(param(url, 'inSR') ?? 4326);
      const outSr = options.ignoreOutSr ? 4326 : (options.declareCrs ?? Number(param(url, 'outSR') ?? 4326));
      const box = envelopeIn25833((param(url, 'geometry') ?? '').split(',').map(Number) as BBox, inSr);
      const hits = rowsWithin(rows, box);
      const offset = Number(param(url, 'resultOffset') ?? 0);
      const count = Math.min(Number(param(url, 'resultRecordCount') ?? 1e9), options.maxRecordCount ?? 1000);
      const page = hits.slice(offset, offset + count);
      const more = offset + page.length < hits.length;
      const to = transformFor(25833, outSr);
      const body: Record<string, unknown> = {
        type: 'FeatureCollection',
        features: page.map((row, i) => ({
          type: 'Feature',
          id: offset + i + 1,
          geometry: mapPositions(row.geometry, to),
          properties: { OBJECTID: offset + i + 1, ...row.properties },
        })),
      };
      if (options.declareCrs) body.crs = { type: 'name', properties: { name: `EPSG:${options.declareCrs}` } };
      if (more && options.limitFlag === 'properties') body.properties = { exceededTransferLimit: true };
      else if (more) body.exceededTransferLimit = true;
      return { contentType: 'application/geo+json; charset=utf-8', body: JSON.stringify(body) };
    },
    { etags: true },
  );
  return { ...double, set: (changes) => (options = { ...options, ...changes }) };
}

function envelopeIn25833(box: BBox, epsg: number): BBox {
  const to = transformFor(epsg, 25833);
  const a = to([box[0], box[1]]);
  const b = to([box[2], box[3]]);
  const c = to([box[0], box[3]]);
  const d = to([box[2], box[1]]);
  const xs = [a[0], b[0], c[0], d[0]];
  const ys = [a[1], b[1], c[1], d[1]];
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
