import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** A response body prepared once: its bytes, their gzip and an ETag (per encoding). */
export interface CachedBody {
  type: string;
  identity: Buffer;
  gzip: Buffer;
  /** Hex digest of the uncompressed bytes (16 characters): a version for URLs and ETags. */
  hash: string;
}

export function cachedBody(text: string, type: string): CachedBody {
  const identity = Buffer.from(text, 'utf8');
  return {
    type,
    identity,
    // The default level: as small as level 9 on these bodies (JSON, HTML, CSV) and 4–5× faster.
    gzip: gzipSync(identity),
    hash: createHash('sha256').update(identity).digest('hex').slice(0, 16),
  };
}

/**
 * Sends a prepared body, gzipped when the client accepts it, with its ETag; express answers a
 * matching If-None-Match with 304 and no body.
 */
export function sendCached(req: Request, res: Response, body: CachedBody, cacheControl: string): void {
  const gzip = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
  res.type(body.type);
  res.set({
    'cache-control': cacheControl,
    vary: 'Accept-Encoding',
    etag: `"${body.hash}${gzip ? '-gz' : ''}"`,
  });
  if (gzip) res.set('content-encoding', 'gzip');
  res.send(gzip ? body.gzip : body.identity);
}
