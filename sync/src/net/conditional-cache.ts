import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';
import { redactUrl } from '../util/redact.js';

/** What is kept of a 200 response that carried a validator (ETag or Last-Modified). */
interface CachedMeta {
  key: string;
  etag: string | null;
  lastModified: string | null;
  headers: Record<string, string>;
  storedAt: string;
}

interface CachedEntry extends CachedMeta {
  body: Buffer;
}

export interface HttpCacheStats {
  /** GETs sent with If-None-Match / If-Modified-Since. */
  conditional: number;
  /** 304 answers replayed from the cache (no body transferred). */
  revalidated: number;
  /** 200 answers stored. */
  stored: number;
}

export interface HttpCacheOptions {
  /** Folder for the on-disk store; null keeps the cache in memory only. */
  dir: string | null;
  /** Bytes of response bodies kept in memory (default 64 MB). */
  memoryBytes?: number;
}

/** Set on a replayed response so callers and logs can tell it came from the cache. */
export const CACHE_HEADER = 'x-tomtejakt-cache';

/**
 * Conditional requests for every GET that goes through the HTTP layer: a 200 with an ETag or
 * Last-Modified is kept (lru-cache in memory, gzip files on disk), the next request for the
 * same URL asks If-None-Match / If-Modified-Since, and a 304 is answered downstream as the
 * stored 200. An unchanged kommune therefore costs one small request per URL per night.
 *
 * Responses are stored before the caller has checked them; a caller that finds a body unusable
 * calls `invalidate(url)` so the bad body is never replayed. Interrupted responses (reset
 * mid-body) are never stored.
 */
export class HttpCache {
  private readonly memory: LRUCache<string, CachedEntry>;
  private readonly counters: HttpCacheStats = { conditional: 0, revalidated: 0, stored: 0 };

  constructor(private readonly options: HttpCacheOptions) {
    this.memory = new LRUCache<string, CachedEntry>({
      maxSize: options.memoryBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.body.length),
    });
    if (options.dir) mkdirSync(options.dir, { recursive: true });
  }

  stats(): HttpCacheStats {
    return { ...this.counters };
  }

  /** Forgets a URL (its body failed the caller's checks). */
  invalidate(url: string | URL): void {
    const key = keyOf(new URL(String(url)));
    this.memory.delete(key);
    const file = this.fileOf(key);
    if (file) {
      rmSync(`${file}.json`, { force: true });
      rmSync(`${file}.body.gz`, { force: true });
    }
  }

  /** The undici interceptor; compose it inside the retry interceptor. */
  interceptor(): Dispatcher.DispatcherComposeInterceptor {
    return (dispatch) => (opts, handler) => {
      if ((opts.method ?? 'GET') !== 'GET') return dispatch(opts, handler);
      const key = keyOf(new URL(opts.path, String(opts.origin)));
      const cached = this.load(key);
      const headers = headerRecord(opts.headers);
      if (cached) {
        this.counters.conditional += 1;
        if (cached.etag) headers['if-none-match'] = cached.etag;
        if (cached.lastModified) headers['if-modified-since'] = cached.lastModified;
      }
      return dispatch({ ...opts, headers }, this.handlerFor(key, cached, handler));
    };
  }

  private handlerFor(
    key: string,
    cached: CachedEntry | undefined,
    downstream: Dispatcher.DispatchHandler,
  ): Dispatcher.DispatchHandler {
    let replay = false;
    let captured: Buffer[] | null = null;
    let captureMeta: CachedMeta | null = null;
    return {
      onRequestStart: (controller, context) => downstream.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) =>
        downstream.onRequestUpgrade?.(controller, statusCode, headers, socket),
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        if (statusCode === 304 && cached) {
          replay = true;
          this.counters.revalidated += 1;
          const merged: Record<string, string> = {
            ...cached.headers,
            ...flat(headers),
            [CACHE_HEADER]: 'revalidated',
          };
          delete merged['content-length'];
          return downstream.onResponseStart?.(controller, 200, merged, 'OK');
        }
        const flatHeaders = flat(headers);
        if (statusCode === 200 && (flatHeaders.etag || flatHeaders['last-modified'])) {
          captured = [];
          captureMeta = {
            key,
            etag: flatHeaders.etag ?? null,
            lastModified: flatHeaders['last-modified'] ?? null,
            headers: pick(flatHeaders, ['content-type', 'content-crs', 'etag', 'last-modified']),
            storedAt: new Date().toISOString(),
          };
        }
        return downstream.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => {
        if (replay) return;
        captured?.push(chunk);
        return downstream.onResponseData?.(controller, chunk);
      },
      onResponseEnd: (controller, trailers) => {
        if (replay && cached) {
          downstream.onResponseData?.(controller, cached.body);
        } else if (captured && captureMeta) {
          this.store({ ...captureMeta, body: Buffer.concat(captured) });
        }
        return downstream.onResponseEnd?.(controller, trailers);
      },
      onResponseError: (controller, error) => downstream.onResponseError?.(controller, error),
    };
  }

  private load(key: string): CachedEntry | undefined {
    const inMemory = this.memory.get(key);
    if (inMemory) return inMemory;
    const file = this.fileOf(key);
    if (!file) return undefined;
    try {
      const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CachedMeta;
      if (meta.key !== hashOf(key)) return undefined;
      const entry = { ...meta, key, body: gunzipSync(readFileSync(`${file}.body.gz`)) };
      this.memory.set(key, entry);
      return entry;
    } catch {
      return undefined; // absent or damaged: ask unconditionally
    }
  }

  private store(entry: CachedEntry): void {
    this.counters.stored += 1;
    this.memory.set(entry.key, entry);
    const file = this.fileOf(entry.key);
    if (!file) return;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const { body, ...meta } = entry;
      atomicWrite(`${file}.body.gz`, gzipSync(body));
      // On disk the URL is kept redacted (a kommune WFS may carry a key in its query string).
      atomicWrite(
        `${file}.json`,
        JSON.stringify({ ...meta, key: hashOf(meta.key), url: redactUrl(meta.key.slice(4)) }),
      );
    } catch {
      // A full or read-only disk costs a full download next time, never a failed run.
    }
  }

  private fileOf(key: string): string | null {
    if (!this.options.dir) return null;
    const hash = hashOf(key);
    return path.join(this.options.dir, hash.slice(0, 2), hash);
  }
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function keyOf(url: URL): string {
  return `GET ${url.origin}${url.pathname}${url.search}`;
}

function atomicWrite(file: string, data: string | Buffer): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

function flat(headers: Record<string, string | string[] | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) result[name] = headers[name];
  return result;
}

function headerRecord(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers) return result;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      result[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
    return result;
  }
  if (Symbol.iterator in (headers as object)) {
    for (const [name, value] of headers as Iterable<[string, string]>) result[name.toLowerCase()] = value;
    return result;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
