import { describe, expect, it } from 'vitest';
import { decideRetry, type Repeatable } from '../../../../sync/src/crm/airtable/retry-policy.js';
import type { RetryFailure } from '../../../../sync/src/net/retry-policy.js';

const settings = { maxRetries: 4, retryDelayMs: 1_000, maxRetryDelayMs: 30_000, rateLimitPauseMs: 30_000 };

const status = (code: number, more: Partial<RetryFailure> = {}): RetryFailure => ({
  status: code,
  code: null,
  retryAfterMs: null,
  method: 'POST',
  attempt: 1,
  ...more,
});
const error = (code: string, more: Partial<RetryFailure> = {}): RetryFailure => ({
  status: null,
  code,
  retryAfterMs: null,
  method: 'POST',
  attempt: 1,
  ...more,
});

const retries = (failure: RetryFailure, repeatable: Repeatable) =>
  decideRetry(failure, repeatable, settings).delayMs !== null;

describe('Airtable retry policy', () => {
  it('repeats a create only when Airtable certainly did nothing', () => {
    const create = 'only-if-not-processed';
    expect([429, 502, 503].map((s) => retries(status(s), create))).toEqual([true, true, true]);
    // A 500/504 or a lost answer may come after the records were made.
    expect([500, 504].map((s) => retries(status(s), create))).toEqual([false, false]);
    expect(
      ['UND_ERR_HEADERS_TIMEOUT', 'ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT'].map((c) =>
        retries(error(c), create),
      ),
    ).toEqual([false, false, false, false]);
    // No connection, no request.
    expect(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT'].map((c) => retries(error(c), create))).toEqual([
      true,
      true,
    ]);
  });

  it('repeats reads, updates and upserts after any transient failure, never after a client error', () => {
    const read = 'idempotent';
    expect([429, 500, 502, 503, 504].every((s) => retries(status(s), read))).toBe(true);
    expect(
      ['UND_ERR_HEADERS_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED'].every((c) => retries(error(c), read)),
    ).toBe(true);
    expect([401, 403, 404, 413, 422].some((s) => retries(status(s), read))).toBe(false);
    // An abort is the caller's decision.
    expect(retries(error('UND_ERR_ABORTED'), read)).toBe(false);
  });

  it('pauses the base for every 429 and waits for nothing else: the limiter holds the retry', () => {
    expect(decideRetry(status(429), 'idempotent', settings)).toEqual({ delayMs: 0, pauseBaseMs: 30_000 });
    // Out of retries, the base is still penalised: the pause stands.
    expect(decideRetry(status(429, { attempt: 5 }), 'idempotent', settings)).toEqual({
      delayMs: null,
      pauseBaseMs: 30_000,
    });
    expect(decideRetry(status(503), 'idempotent', settings).pauseBaseMs).toBe(0);
  });

  it('backs off exponentially within the bound and honours Retry-After', () => {
    const delays = [1, 2, 3, 4].map((attempt) =>
      decideRetry(status(500, { attempt }), 'idempotent', settings),
    );
    delays.forEach((d, i) => {
      const ceiling = 1_000 * 2 ** i;
      expect(d.delayMs).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d.delayMs).toBeLessThanOrEqual(ceiling);
    });
    expect(decideRetry(status(500, { attempt: 5 }), 'idempotent', settings).delayMs).toBeNull();
    expect(decideRetry(status(503, { retryAfterMs: 7_000 }), 'idempotent', settings).delayMs).toBe(7_000);
    // Never longer than the longest backoff.
    expect(decideRetry(status(503, { retryAfterMs: 600_000 }), 'idempotent', settings).delayMs).toBe(30_000);
  });
});
