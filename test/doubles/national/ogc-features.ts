import { mapPositions, transformFor } from '../../../sync/src/geo/crs.js';
import type { BBox } from '../../../sync/src/domain/geometry.js';
import { startDouble, type Double } from '../double.js';
import { param, rowsWithin, type LayerRow } from './layer-data.js';

export interface OgcFeaturesDoubleOptions {
  /** `<Dataset>/collections/<collection>` → rows (EPSG:25833), e.g. `LokaliteterEnkeltminnerOgSikringssoner/collections/lokaliteter`. */
  collections: Record<string, LayerRow[]>;
  /** The server's cap on `limit` (api.ra.no takes up to 1000). */
  maxLimit?: number;
  /** Quirk: a `Content-Crs` header naming another CRS (the coordinates are still lon/lat). */
  contentCrs?: string;
  /** Quirk: numberMatched promises more than the pages deliver (the last page drops its next link). */
  overstateMatched?: number;
}

export interface OgcFeaturesDouble extends Double {
  set(options: Partial<OgcFeaturesDoubleOptions>): void;
}

/**
 * OGC API Features items as Riksantikvaren's api.ra.no serves them: `bbox` in CRS84 (lon/lat),
 * `limit`/`offset`, `links` with `rel: next`, `numberMatched`/`numberReturned`, GeoJSON in lon/lat.
 * An unknown collection answers 404 with an OGC API exception body.
 */
export async function startOgcFeaturesDouble(initial: OgcFeaturesDoubleOptions): Promise<OgcFeaturesDouble> {
  let options = initial;
  let base = '';
  const double = await startDouble(
    (url) => {
      const match = /^\/(.+\/collections\/[^/]+)\/items$/.exec(url.pathname);
      const rows = match ? options.collections[match[1]!] : undefined;
      if (!rows)
        return {
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'NotFound', description: 'Collection not found' }),
        };
      const lonLatBox = (param(url, 'bbox') ?? '-180,-90,180,90').split(',').map(Number) as BBox;
      const hits = rowsWithin(rows, to25833(lonLatBox));
      const limit = Math.min(Number(param(url, 'limit') ?? 10), options.maxLimit ?? 1000);
      const offset = Number(param(url, 'offset') ?? 0);
      const page = hits.slice(offset, offset + limit);
      const lonLat = transformFor(25833, 4326);
      const next = new URL(`${base}${url.pathname}`);
      for (const [k, v] of url.searchParams) next.searchParams.set(k, v);
      next.searchParams.set('offset', String(offset + limit));
      const matched = options.overstateMatched ?? hits.length;
      const hasNext = offset + limit < hits.length;
      const headers: Record<string, string> = options.contentCrs
        ? { 'content-crs': `<${options.contentCrs}>` }
        : {};
      return {
        contentType: 'application/geo+json',
        headers,
        body: JSON.stringify({
          type: 'FeatureCollection',
          numberMatched: matched,
          numberReturned: page.length,
          timeStamp: '2026-10-03T12:00:00Z',
          links: [
            { href: url.toString(), rel: 'self', type: 'application/geo+json' },
            ...(hasNext ? [{ href: next.toString(), rel: 'next', type: 'application/geo+json' }] : []),
          ],
          features: page.map((row, i) => ({
            type: 'Feature',
            id: String(row.properties.kulturminneId ?? offset + i + 1),
            geometry: mapPositions(row.geometry, lonLat),
            properties: row.properties,
          })),
        }),
      };
    },
    { etags: true },
  );
  base = double.url;
  return { ...double, set: (changes) => (options = { ...options, ...changes }) };
}

function to25833(box: BBox): BBox {
  const to = transformFor(4326, 25833);
  const corners = [to([box[0], box[1]]), to([box[2], box[3]]), to([box[0], box[3]]), to([box[2], box[1]])];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
