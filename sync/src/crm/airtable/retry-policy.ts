import { backoffMs, TRANSIENT_ERROR_CODES, type RetryFailure } from '../../net/retry-policy.js';

/**
 * Whether a request may be sent again when Airtable may already have carried it out. Reads,
 * updates and upserts may (a repeat changes nothing more); a create may not, or it would make
 * the records twice.
 */
export type Repeatable = 'idempotent' | 'only-if-not-processed';

export interface AirtableRetrySettings {
  /** Further attempts after the first, per request. */
  maxRetries: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** How long every request to the base waits after a 429. */
  rateLimitPauseMs: number;
}

export interface AirtableRetryDecision {
  /** Milliseconds before the next attempt; null: give up, the failure goes to the caller. */
  delayMs: number | null;
  /** Hold every request to the base this long (0: no pause). */
  pauseBaseMs: number;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Statuses after which Airtable certainly did nothing (notes/airtable.md: errors; docs: rate-limits). */
const NOT_PROCESSED_STATUSES = new Set([429, 502, 503]);
/** No connection was made, so no request reached Airtable. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const TRANSIENT_CODES = new Set([...TRANSIENT_ERROR_CODES, ...NEVER_SENT_CODES]);

/**
 * Airtable's rules for a failed attempt. A 429 penalises the whole base for 30 s and Airtable
 * sends no Retry-After (docs: rate-limits), so it pauses the base and the retry waits in the
 * limiter with every other request. 5xx and lost connections are retried a bounded number of
 * times with exponential backoff, honouring Retry-After (documented for 503 only). A create is
 * repeated only when Airtable certainly did nothing: after a timeout or a reset it may have made
 * the records already.
 */
export function decideRetry(
  failure: RetryFailure,
  repeatable: Repeatable,
  settings: AirtableRetrySettings,
): AirtableRetryDecision {
  const pauseBaseMs = failure.status === 429 ? settings.rateLimitPauseMs : 0;
  const giveUp = { delayMs: null, pauseBaseMs };
  if (failure.attempt > settings.maxRetries) return giveUp;
  const { status, code } = failure;
  const transient =
    status !== null ? RETRYABLE_STATUSES.has(status) : code !== null && TRANSIENT_CODES.has(code);
  if (!transient) return giveUp;
  const notProcessed = status !== null ? NOT_PROCESSED_STATUSES.has(status) : NEVER_SENT_CODES.has(code!);
  if (repeatable === 'only-if-not-processed' && !notProcessed) return giveUp;
  if (status === 429) return { delayMs: 0, pauseBaseMs };
  const delayMs =
    failure.retryAfterMs !== null
      ? Math.min(failure.retryAfterMs, settings.maxRetryDelayMs)
      : backoffMs(failure.attempt, settings.retryDelayMs, settings.maxRetryDelayMs);
  return { delayMs, pauseBaseMs };
}
