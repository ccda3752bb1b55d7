import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { LotMapVersion } from '../store/lot-map.js';
import type { LotSearch, MapQuery } from '../store/lot-map-query.js';
import { versionTag } from './map-json.js';
import { lotSearchOf, mapQueryKey, mapQueryOf, searchKey } from './map-query-params.js';

/** An answer as JSON bytes and their gzip, made off the request thread. */
export interface MapBody {
  identity: Buffer;
  gzip: Buffer;
}

/**
 * What the map API reads (the app's reader runs the queries on worker threads; tests may run
 * them in place). `version` is cheap and synchronous; the rest may take a while.
 */
export interface MapReader {
  version(): LotMapVersion | null;
  layer(query: MapQuery): Promise<MapBody>;
  search(search: LotSearch): Promise<MapBody>;
  kommuner(): Promise<MapBody>;
  /** Every active lot in the old `/api/lots` shape (whole polygons, styles): deprecated, kept for old callers. */
  all(): Promise<MapBody>;
  close(): Promise<void>;
}

export interface MapRouterOptions {
  reader: MapReader;
  /** Bytes of answers kept in memory (both encodings), across versions: the newest kept first. */
  cacheBytes?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const shortHash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

export type MapAnswer = (
  req: Request,
  res: Response,
  key: string,
  produce: () => Promise<MapBody>,
) => Promise<void>;

/**
 * Answers a question from the cache or by asking the reader, per map version: the ETag and
 * Last-Modified name the latest write that changed the map, a matching If-None-Match gets 304
 * without a query, and a new version empties the cache. Equal questions asked at once share one
 * query.
 */
export function mapAnswerer(options: MapRouterOptions): MapAnswer {
  const cache = new LRUCache<string, MapBody>({
    maxSize: options.cacheBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (body) => body.identity.length + body.gzip.length + 200,
  });
  const pending = new Map<string, Promise<MapBody>>();
  let cachedTag = '';
  return async (req, res, key, produce) => {
    const version = options.reader.version();
    const tag = versionTag(version);
    if (tag !== cachedTag) {
      cache.clear();
      cachedTag = tag;
    }
    const gzip = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
    res.set({
      etag: `"${tag}-${shortHash(key)}${gzip ? '-gz' : ''}"`,
      'cache-control': 'private, no-cache',
      vary: 'Accept-Encoding',
    });
    if (version) res.set('last-modified', new Date(version.changedAt).toUTCString());
    if (req.fresh) return void res.status(304).end();
    const cacheKey = `${tag} ${key}`;
    let body = cache.get(cacheKey);
    if (!body) {
      let shared = pending.get(cacheKey);
      if (!shared) {
        shared = produce().finally(() => pending.delete(cacheKey));
        pending.set(cacheKey, shared);
      }
      body = await shared;
      if (cachedTag === tag) cache.set(cacheKey, body);
    }
    res.type(JSON_TYPE);
    if (gzip) res.set('content-encoding', 'gzip');
    res.send(gzip ? body.gzip : body.identity);
  };
}

/**
 * `GET /lots?bbox&zoom&…filters` (a GeoJSON layer of clusters, label points or simplified
 * outlines, never more than MAP_BANDS.maxLots lots), `GET /search?q=45/12` (lots on a gnr/bnr)
 * and `GET /kommuner` (the kommuner with lots, for the filter), each through `answer`.
 */
export function mapRouter(reader: MapReader, answer: MapAnswer): Router {
  const router = Router();
  router.get('/lots', async (req, res) => {
    const query = mapQueryOf(req.query);
    await answer(req, res, `lots ${mapQueryKey(query)}`, () => reader.layer(query));
  });
  router.get('/search', async (req, res) => {
    const search = lotSearchOf(req.query);
    await answer(req, res, `search ${searchKey(search)}`, () => reader.search(search));
  });
  router.get('/kommuner', async (req, res) => {
    await answer(req, res, 'kommuner', () => reader.kommuner());
  });
  return router;
}
