import type { RetryHandler } from 'undici';

/** Errors without a response that are worth another attempt (the connection, not the request, failed). */
export const TRANSIENT_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
];

/** One failed attempt, as a retry policy sees it. */
export interface RetryFailure {
  /** The failed response's status; null when no response came (refused, reset, timed out). */
  status: number | null;
  /** The error code when no response came: ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT … */
  code: string | null;
  /** The response's Retry-After in milliseconds (seconds or an HTTP date); null without one. */
  retryAfterMs: number | null;
  method: string;
  /** Failed attempts of this request so far, this one included: 1 on the first failure. */
  attempt: number;
}

/**
 * Decides after each failed attempt: milliseconds to wait before the next one, or null to stop
 * (the failed response, body included, or the error then reaches the caller).
 */
export type RetryPolicy = (failure: RetryFailure) => number | null;

/**
 * The policy as the `retry` callback of undici's retry interceptor (lib/handler/retry-handler.js).
 * With `throwOnError: false` undici calls it for every response ≥ 300, with the response paused,
 * and for every error before or during the response; `callback(null)` repeats the request,
 * `callback(error)` hands the response (or the error) downstream. The paused response keeps its
 * connection during the delay, so a long wait shared by many requests (a service-wide penalty)
 * belongs in a limiter interceptor, with the policy returning 0.
 */
export function retryCallback(policy: RetryPolicy): RetryHandler.RetryCallback {
  return (error, { state, opts }, callback) => {
    if (isFailedResume(error)) {
      // The body broke off and the server ignored Range: another ranged attempt cannot help, so
      // the error goes on and the HTTP client asks the whole request again (its body loop).
      callback(error);
      return;
    }
    let delay: number | null;
    try {
      delay = policy(failureOf(error, state.counter, opts.method));
    } catch (policyError) {
      callback(policyError as Error);
      return;
    }
    if (delay === null) callback(error);
    else if (delay <= 0) callback(null);
    else setTimeout(() => callback(null), delay);
  };
}

/** The retry options that hand every decision to `policy` (for the interceptor or one request). */
export function retryOptionsFor(policy: RetryPolicy): RetryHandler.RetryOptions {
  return { throwOnError: false, retry: retryCallback(policy) };
}

/** undici's RequestRetryError for a resumed body that did not fit (not a failed status). */
function isFailedResume(error: Error): boolean {
  const { code, statusCode } = error as Error & { code?: string; statusCode?: number };
  return code === 'UND_ERR_REQ_RETRY' && typeof statusCode === 'number' && statusCode < 300;
}

function failureOf(error: Error, attempt: number, method: string): RetryFailure {
  const { code, statusCode, headers } = error as Error & {
    code?: string;
    statusCode?: number;
    headers?: Record<string, string | string[] | undefined>;
  };
  // undici raises UND_ERR_REQ_RETRY (RequestRetryError) for a response it may retry; any other
  // error means no usable response arrived.
  const response = code === 'UND_ERR_REQ_RETRY' && typeof statusCode === 'number';
  return {
    status: response ? statusCode : null,
    code: response ? null : (code ?? null),
    retryAfterMs: response ? parseRetryAfter(headers?.['retry-after']) : null,
    method,
    attempt,
  };
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text?.trim()) return null;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter: between half and all of min(max, base·2^(attempt−1)), so
 * clients that failed together do not come back together.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
