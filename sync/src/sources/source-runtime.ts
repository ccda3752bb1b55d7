import path from 'node:path';
import type { Env } from '../config/env.js';
import { HttpCache } from '../net/conditional-cache.js';
import { LastGoodStore } from './last-good-store.js';
import { SourceRegistry } from './source-registry.js';
import { loadSourcesFile, type SourcesFile } from './sources-config.js';

export interface SourceRuntime {
  registry: SourceRegistry;
  cache: HttpCache;
  lastGood: LastGoodStore;
  close(): Promise<void>;
}

/**
 * The sources as the service runs them: SOURCES_FILE (or the defaults), the conditional HTTP
 * cache under HTTP_CACHE_DIR, last-good data under DATA_DIR/sources. The nightly job and the
 * CLI build it once and pass `registry` and `lastGood` to loadKommuneData.
 */
export function createSourceRuntime(
  env: Env,
  file: SourcesFile = loadSourcesFile(env.SOURCES_FILE),
): SourceRuntime {
  const cache = new HttpCache({ dir: env.httpCacheDir });
  const registry = new SourceRegistry({ env, file, cache });
  return {
    registry,
    cache,
    lastGood: new LastGoodStore(lastGoodDir(env)),
    close: () => registry.close(),
  };
}

export function lastGoodDir(env: Pick<Env, 'DATA_DIR'>): string {
  return path.resolve(env.DATA_DIR, 'sources');
}
