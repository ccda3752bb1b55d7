import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HttpCache } from '../../../sync/src/net/conditional-cache.js';
import { LastGoodStore } from '../../../sync/src/sources/last-good-store.js';
import { SourceRegistry } from '../../../sync/src/sources/source-registry.js';
import { parseSourcesFile } from '../../../sync/src/sources/sources-config.js';

export const NAP_CREDENTIALS = { id: 'tomtejakt-test', key: 'k3y-not-a-secret-but-redacted' };

/** A data folder for one test run (HTTP cache + last-good store), removed by `remove`. */
export function dataFolder() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-sources-test-'));
  return {
    dir,
    cacheDir: path.join(dir, 'http-cache'),
    lastGood: new LastGoodStore(path.join(dir, 'sources')),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The real SourceRegistry pointed at doubles by base URL (the settings a user changes in .env),
 * with test-speed retry delays and no rate limit. A new HttpCache over the same folder stands for
 * the next night's process.
 */
export function registryFor(options: {
  napUrl?: string;
  teigUrl?: string;
  kommuneinfoUrl?: string;
  sources?: unknown;
  cacheDir?: string | null;
  maxRetries?: number;
  timeoutMs?: number;
  credentials?: { id: string; key: string } | null;
}) {
  const cache = options.cacheDir === null ? null : new HttpCache({ dir: options.cacheDir ?? null });
  const credentials = options.credentials === undefined ? NAP_CREDENTIALS : options.credentials;
  const registry = new SourceRegistry({
    env: {
      NAP_BASE_URL: options.napUrl ?? 'http://127.0.0.1:9',
      NAP_CLIENT_ID: credentials?.id,
      NAP_CLIENT_KEY: credentials?.key,
      TEIG_WFS_URL: options.teigUrl ?? 'http://127.0.0.1:9',
      KOMMUNEINFO_URL: options.kommuneinfoUrl ?? 'http://127.0.0.1:9',
      HTTP_TIMEOUT_MS: options.timeoutMs ?? 2_000,
      HTTP_MAX_RETRIES: options.maxRetries ?? 3,
    },
    file: parseSourcesFile(options.sources ?? {}),
    cache,
    http: { minRetryDelayMs: 5, maxRetryDelayMs: 40, rateLimit: { requests: 10_000, perMs: 1000 } },
  });
  return { registry, cache };
}
