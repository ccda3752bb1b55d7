import { createHttpClient, type HttpResponse } from '../../net/http-client.js';
import { limiterInterceptor } from '../../net/limiter-interceptor.js';
import type { RetryFailure, RetryPolicy } from '../../net/retry-policy.js';
import type { Logger } from '../../util/logger.js';
import { limiterForBase, type BaseLimiter } from './base-limiter.js';
import { airtableErrorFor, type SentCall } from './errors.js';
import { decideRetry, type AirtableRetrySettings, type Repeatable } from './retry-policy.js';

export interface AirtableClientOptions {
  apiUrl: string;
  token: string;
  baseId: string;
  /** Kept under Airtable's 5 requests/s per base. */
  requestsPerSecond?: number;
  timeoutMs?: number;
  /** Further attempts after a 429, a 5xx or a timeout, per request. */
  maxRetries?: number;
  /** How long every request to the base waits after a 429 (Airtable: 30 s). */
  rateLimitPauseMs?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Requests in flight at once (the limiter still spaces their starts). */
  concurrency?: number;
  logger?: Logger;
  /** A private limiter instead of the process-wide one for the base (tests, benchmarks). */
  limiter?: BaseLimiter;
}

export interface AirtableStats {
  /** Attempts sent to Airtable, retries included: what counts against its limits. */
  requests: number;
  writeRequests: number;
  retries: number;
  rateLimited: number;
  byStatus: Record<number, number>;
}

/** One Airtable API call: where it goes, what it carries, and whether it may be repeated. */
export interface Call extends SentCall {
  method: 'GET' | 'POST' | 'PATCH';
  /** From /v0 on. */
  path: string;
  body?: unknown;
  repeat: Repeatable;
  write?: boolean;
}

export interface AirtableTransport {
  readonly apiUrl: string;
  readonly baseId: string;
  send<T>(call: Call): Promise<T>;
  stats(): AirtableStats;
  close(): Promise<void>;
}

/**
 * Sends Airtable calls over the shared HTTP layer: every attempt, retries included, waits for
 * the base's limiter (an interceptor inside undici's retry interceptor), each call carries the
 * Airtable retry policy for its kind, and a refused response becomes an AirtableError.
 */
export function createTransport(options: AirtableClientOptions): AirtableTransport {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const limiter = options.limiter ?? limiterForBase(apiUrl, options.baseId, options.requestsPerSecond ?? 4.8);
  const settings: AirtableRetrySettings = {
    maxRetries: options.maxRetries ?? 4,
    retryDelayMs: options.retryDelayMs ?? 1_000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    rateLimitPauseMs: options.rateLimitPauseMs ?? 30_000,
  };
  const stats: AirtableStats = { requests: 0, writeRequests: 0, retries: 0, rateLimited: 0, byStatus: {} };
  const http = createHttpClient({
    source: 'airtable',
    timeoutMs: options.timeoutMs ?? 30_000,
    concurrency: options.concurrency ?? 5,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
    interceptors: [limiterInterceptor(limiter)],
  });

  async function send<T>(call: Call): Promise<T> {
    const url = `${apiUrl}${call.path}`;
    let response: HttpResponse;
    try {
      response = await http.request({
        url,
        method: call.method,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        acceptStatus: 'any',
        retry: retryPolicyFor(call, { settings, limiter, stats, logger: options.logger }),
      });
    } catch (error) {
      // The last attempt got no answer (timeout, reset) but still counted against the base's limit.
      countAttempt(stats, call, null);
      throw error;
    }
    countAttempt(stats, call, response.status);
    const text = response.text();
    if (response.status >= 200 && response.status < 300) return (text ? JSON.parse(text) : {}) as T;
    throw airtableErrorFor(response.status, text, call, url);
  }

  return {
    apiUrl,
    baseId: options.baseId,
    send,
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    close: () => http.close(),
  };
}

function countAttempt(stats: AirtableStats, call: Call, status: number | null): void {
  stats.requests += 1;
  if (call.write) stats.writeRequests += 1;
  if (status !== null) stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
}

/**
 * The retry policy of one call, for the HTTP layer: decideRetry's answer, applied. Every 429
 * pauses the base, retried or not, because Airtable penalises the base, not the request.
 */
function retryPolicyFor(
  call: Call,
  context: { settings: AirtableRetrySettings; limiter: BaseLimiter; stats: AirtableStats; logger?: Logger },
): RetryPolicy {
  const { settings, limiter, stats, logger } = context;
  return (failure: RetryFailure) => {
    const decision = decideRetry(failure, call.repeat, settings);
    if (failure.status === 429) {
      stats.rateLimited += 1;
      limiter.pause(decision.pauseBaseMs);
      logger?.warn('Airtable rate limit reached (429); pausing requests to the base', {
        table: call.table,
        pauseSeconds: Math.round(decision.pauseBaseMs / 1000),
      });
    }
    if (decision.delayMs === null) return null;
    // The attempt that failed; the one whose answer reaches the caller is counted in send.
    countAttempt(stats, call, failure.status);
    stats.retries += 1;
    logger?.debug('Airtable request failed, retrying', {
      table: call.table,
      reason: failure.status ?? failure.code,
    });
    return decision.delayMs;
  };
}
