import type { IncomingMessage } from 'node:http';
import { startDouble, type Double } from '../double.js';
import type { NapFeature } from './plan-data.js';

/** An OGC API-Features root: collections of features, one SOSI type each. */
export interface NapApi {
  /** Path under the host, e.g. "services/rest/kommuneplaner" or "services/rest/reguleringsplaner/vn2". */
  path: string;
  collections: Array<{ id: string; title: string; features: NapFeature[] }>;
}

export interface NapDoubleOptions {
  apis: NapApi[];
  /** The DiBK client id/key the double accepts (HTTP Basic). */
  credentials: { id: string; key: string };
  /** pygeoapi `server.limits.max_items`: a larger `limit` is cut to this. */
  maxItems?: number;
  /** Query parameters pygeoapi accepts as property filters (others → 400, as postgresql_ext does). */
  queryables?: string[];
  /** Leave out `next` links (then clients page by `offset`). */
  noLinks?: boolean;
  /** Accept the kommune filter but ignore it (a misconfigured server). */
  ignoreFilters?: boolean;
  etags?: boolean;
}

export interface NapDouble extends Double {
  /** Replace the data (a kommune's plans change between two runs). */
  setApis(apis: NapApi[]): void;
}

const CONTENT_CRS = '<http://www.opengis.net/def/crs/EPSG/0/25833>';
const KNOWN_PARAMS = new Set(['f', 'limit', 'offset', 'crs', 'bbox', 'bbox-crs']);

/**
 * DiBK NAP's OGC API-Features as pygeoapi serves it: `/collections`, `/collections/{id}/items`
 * with `limit` (capped at `maxItems`), `offset`, `next` links, `numberMatched`/`numberReturned`,
 * `crs` answered with a `Content-Crs` header, property filters as query parameters, HTTP Basic.
 */
export async function startNapDouble(options: NapDoubleOptions): Promise<NapDouble> {
  let apis = options.apis;
  const maxItems = options.maxItems ?? 50;
  const queryables = new Set(options.queryables ?? ['arealplanId.kommunenummer']);
  const expected = `Basic ${Buffer.from(`${options.credentials.id}:${options.credentials.key}`).toString('base64')}`;
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({
    status,
    contentType: 'application/json',
    body: JSON.stringify(body),
    headers,
  });
  const double = await startDouble(
    (url: URL, req: IncomingMessage) => {
      if (req.headers.authorization !== expected) {
        return json({ code: 'Unauthorized', description: 'missing or wrong client id/key' }, 401);
      }
      const api = apis.find((a) => url.pathname.startsWith(`/${a.path}/`));
      if (!api) return json({ code: 'NotFound', description: 'no such API' }, 404);
      const rest = url.pathname.slice(api.path.length + 1);
      if (rest === '/collections') {
        return json({
          collections: api.collections.map((c) => ({
            id: c.id,
            title: c.title,
            links: [{ rel: 'items', href: `${double.url}/${api.path}/collections/${c.id}/items?f=json` }],
          })),
        });
      }
      const match = /^\/collections\/([^/]+)\/items$/.exec(rest);
      const collection = match && api.collections.find((c) => c.id === decodeURIComponent(match[1]!));
      if (!collection) return json({ code: 'NotFound', description: 'no such collection' }, 404);
      for (const key of url.searchParams.keys()) {
        if (!KNOWN_PARAMS.has(key) && !queryables.has(key)) {
          return json({ code: 'InvalidParameterValue', description: `unknown query parameter ${key}` }, 400);
        }
      }
      const crs = url.searchParams.get('crs');
      if (crs && crs !== 'http://www.opengis.net/def/crs/EPSG/0/25833') {
        return json({ code: 'InvalidParameterValue', description: 'the double serves EPSG:25833 only' }, 400);
      }
      let selected = collection.features;
      for (const key of options.ignoreFilters ? [] : queryables) {
        const value = url.searchParams.get(key);
        if (value !== null) selected = selected.filter((f) => String(f.properties[key]) === value);
      }
      const bbox = url.searchParams.get('bbox')?.split(',').map(Number);
      if (bbox) selected = selected.filter((f) => overlaps(f, bbox));
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), maxItems);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const page = selected.slice(offset, offset + limit);
      const links: Array<{ rel: string; href: string; type: string }> = [];
      if (!options.noLinks) {
        links.push({
          rel: 'self',
          href: `${double.url}${url.pathname}${url.search}`,
          type: 'application/geo+json',
        });
        if (offset + limit < selected.length) {
          const next = new URL(`${double.url}${url.pathname}${url.search}`);
          next.searchParams.set('offset', String(offset + limit));
          links.push({ rel: 'next', href: next.toString(), type: 'application/geo+json' });
        }
      }
      return json(
        {
          type: 'FeatureCollection',
          features: page,
          numberMatched: selected.length,
          numberReturned: page.length,
          links,
          timeStamp: '2026-09-01T17:00:51.574Z',
        },
        200,
        { 'content-crs': CONTENT_CRS },
      );
    },
    { etags: options.etags ?? true },
  );
  return Object.assign(double, { setApis: (next: NapApi[]) => void (apis = next) });
}

function overlaps(feature: NapFeature, bbox: number[]): boolean {
  const xs = feature.geometry.coordinates[0]!.map((p) => p[0]!);
  const ys = feature.geometry.coordinates[0]!.map((p) => p[1]!);
  return (
    Math.min(...xs) <= bbox[2]! &&
    Math.max(...xs) >= bbox[0]! &&
    Math.min(...ys) <= bbox[3]! &&
    Math.max(...ys) >= bbox[1]!
  );
}

/** NAP-like APIs from generated data: collection ids as NAP's tables name them. */
export function napApisFor(data: { kommuneplan: NapFeature[]; reguleringsplan: NapFeature[] }[]): NapApi[] {
  const group = (features: NapFeature[]) => {
    const byType = new Map<string, NapFeature[]>();
    for (const f of features) {
      const type = String(f.properties.objekttypenavn);
      byType.set(type, [...(byType.get(type) ?? []), f]);
    }
    return [...byType.entries()].map(([type, list]) => ({
      id: type.toLowerCase().replace(/å/g, 'a').replace(/ø/g, 'o').replace(/æ/g, 'ae'),
      title: type,
      features: list,
    }));
  };
  return [
    { path: 'services/rest/kommuneplaner', collections: group(data.flatMap((d) => d.kommuneplan)) },
    {
      path: 'services/rest/reguleringsplaner/vn2',
      collections: group(data.flatMap((d) => d.reguleringsplan)),
    },
  ];
}
