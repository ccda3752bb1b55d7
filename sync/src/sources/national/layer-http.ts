import type { HttpCache } from '../../net/conditional-cache.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../../net/http-client.js';
import { SourceError } from '../../util/errors.js';
import type { SourceHttp } from '../checked-get.js';

export interface LayerHttpOptions {
  timeoutMs: number;
  maxRetries: number;
  /** The conditional-request cache shared with the other sources (ETag / Last-Modified). */
  cache: HttpCache | null;
  /** Tests: short retry delays. */
  http?: Partial<HttpClientOptions>;
}

/** Failures that say the host cannot be reached at all, not that one answer was bad. */
const UNREACHABLE: ReadonlySet<string> = new Set(['network', 'timeout']);

/**
 * One HTTP client per national layer (its name in errors and stats: `national:<layer>`), around
 * the shared conditional cache, with the layers' short timeout and few retries. A host that could
 * not be reached once is not asked again in this run: offline, every other layer on it fails at
 * once instead of waiting out its own retries.
 */
export class LayerHttp {
  private readonly clients = new Map<string, HttpClient>();
  private readonly down = new Map<string, string>();

  constructor(private readonly options: LayerHttpOptions) {}

  for(
    layer: string,
    rate: { perSecond: number; concurrency: number } = { perSecond: 5, concurrency: 2 },
  ): SourceHttp {
    let client = this.clients.get(layer);
    if (!client) {
      const perSecond = rate.perSecond;
      client = createHttpClient({
        source: `national:${layer}`,
        timeoutMs: this.options.timeoutMs,
        maxRetries: this.options.maxRetries,
        concurrency: rate.concurrency,
        rateLimit:
          perSecond >= 1
            ? { requests: Math.round(perSecond), perMs: 1000 }
            : { requests: 1, perMs: Math.round(1000 / perSecond) },
        headers: { 'user-agent': 'tomtejakt/0.1' },
        ...this.options.http,
        interceptors: [
          ...(this.options.cache ? [this.options.cache.interceptor()] : []),
          ...(this.options.http?.interceptors ?? []),
        ],
      });
      this.clients.set(layer, client);
    }
    return { client, cache: this.options.cache };
  }

  /** Why a host is skipped in this run, or null when it may be asked. */
  unreachable(url: string): string | null {
    return this.down.get(new URL(url).host) ?? null;
  }

  /** Remembers a host that could not be reached (a network error or a timeout). */
  noteFailure(url: string, error: unknown): void {
    const host = new URL(url).host;
    // The first cause stays: the requests dropped after it fail only because it happened.
    if (error instanceof SourceError && UNREACHABLE.has(error.kind) && !this.down.has(host))
      this.down.set(host, `${error.kind}: ${error.detail}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}
