import PQueue from 'p-queue';
import { Agent, errors as undiciErrors, interceptors, type Dispatcher, type RetryHandler } from 'undici';
import { SourceError } from '../util/errors.js';
import { redactUrl } from '../util/redact.js';
import { retryOptionsFor, TRANSIENT_ERROR_CODES, type RetryPolicy } from './retry-policy.js';

export interface RateLimit {
  /** At most `requests` started per `perMs` milliseconds. */
  requests: number;
  perMs: number;
}

export interface HttpClientOptions {
  /** Name used in errors and logs: "nap", "teig-wfs", "ssb", "matrikkel" … */
  source: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** Requests in flight at once (per client; each client talks to one service). */
  concurrency?: number;
  rateLimit?: RateLimit;
  /** Methods safe to retry. POST is added by clients whose POSTs are reads (SSB data, SOAP reads). */
  retryMethods?: string[];
  retryStatusCodes?: number[];
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Decides every retry instead of maxRetries/retryMethods/retryStatusCodes and the delays above;
   * when it stops, the failed response (with its body) is what the caller gets.
   */
  retry?: RetryPolicy;
  headers?: Record<string, string>;
  /** Called with every final response (after retries), e.g. to read rate-limit headers. */
  onResponse?: (response: HttpResponse) => void;
  /**
   * Extra interceptors (the cache, a limiter), innermost first, composed inside the retry
   * interceptor: they see every attempt, retries included.
   */
  interceptors?: Dispatcher.DispatcherComposeInterceptor[];
  /** Replace the network (tests). */
  dispatcher?: Dispatcher;
}

export interface HttpRequest {
  url: string | URL;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Statuses returned to the caller instead of raising (e.g. 304, 404 where "absent" is an
   * answer); 'any' returns every response, for callers that map errors themselves.
   */
  acceptStatus?: number[] | 'any';
  /** This request's retry policy, instead of the client's (e.g. a write that must not be repeated). */
  retry?: RetryPolicy;
  /** Put in every error this request raises. */
  kommune?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  url: string;
  body: Buffer;
  text(): string;
}

export interface HttpStats {
  /** Requests made by callers. */
  requests: number;
  /** Attempts that reached the network (requests + retries). */
  attempts: number;
  byStatus: Record<number, number>;
}

export interface HttpClient {
  readonly source: string;
  request(request: HttpRequest): Promise<HttpResponse>;
  stats(): HttpStats;
  close(): Promise<void>;
}

/**
 * One HTTP layer for every external service: an undici agent composed with the retry
 * interceptor (bounded attempts, exponential backoff, Retry-After honoured; or a caller's retry
 * policy, see retry-policy.ts) and, per client, a p-queue that caps concurrency and the request
 * rate. Failures become SourceErrors that name the source and the URL with credentials redacted.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stats: HttpStats = { requests: 0, attempts: 0, byStatus: {} };
  const base =
    options.dispatcher ??
    new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 10_000),
      connections: options.concurrency ?? 8,
    });
  const countAttempts: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    stats.attempts += 1;
    return dispatch(opts, handler);
  };
  const dispatcher = base.compose(
    countAttempts,
    ...(options.interceptors ?? []),
    interceptors.retry(retryOptionsOf(options)),
  );
  const queue = new PQueue({
    concurrency: options.concurrency ?? 8,
    ...(options.rateLimit
      ? { intervalCap: options.rateLimit.requests, interval: options.rateLimit.perMs }
      : {}),
  });

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const url = new URL(String(request.url));
    const context = { source: options.source, url: redactUrl(url), kommune: request.kommune };
    stats.requests += 1;
    const policy = request.retry ?? options.retry;
    const dispatchOptions: Dispatcher.RequestOptions & { retryOptions?: RetryHandler.RetryOptions } = {
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method ?? 'GET',
      headers: { ...options.headers, ...request.headers },
      body: request.body,
      signal: request.signal,
      // undici's retry interceptor merges per-request retryOptions over the client's.
      ...(request.retry ? { retryOptions: retryOptionsFor(request.retry) } : {}),
    };
    let response: Dispatcher.ResponseData;
    let body: Buffer;
    for (let round = 0; ; round++) {
      try {
        response = await dispatcher.request(dispatchOptions);
      } catch (error) {
        throw toSourceError(error, context);
      }
      try {
        body = Buffer.from(await response.body.arrayBuffer());
        break;
      } catch (error) {
        // The retry interceptor resumes a body cut off mid-way only where the server honours Range;
        // otherwise (most WFS/GeoServer answers) the whole request is asked again, within the same bound.
        const delay =
          isInterruptedBody(error) && !request.signal?.aborted
            ? bodyRetryDelay(options, policy, dispatchOptions.method, round, error)
            : null;
        if (delay === null) throw toSourceError(error, context);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    stats.byStatus[response.statusCode] = (stats.byStatus[response.statusCode] ?? 0) + 1;
    const result: HttpResponse = {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      url: url.toString(),
      body,
      text: () => body.toString('utf8'),
    };
    options.onResponse?.(result);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    if (!ok && !isAccepted(request.acceptStatus, response.statusCode)) {
      throw new SourceError(
        response.statusCode === 429
          ? 'rate-limited'
          : response.statusCode === 401 || response.statusCode === 403
            ? 'auth'
            : 'http-status',
        snippet(body),
        { ...context, status: response.statusCode },
      );
    }
    return result;
  }

  let closed: Promise<void> | undefined;
  return {
    source: options.source,
    request: (request) => queue.add(() => send(request), { throwOnTimeout: true }),
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    // A second close() waits for the first instead of asking undici to close a closed agent.
    close: () =>
      (closed ??= (async () => {
        await queue.onIdle();
        if (!options.dispatcher) await base.close();
      })()),
  };
}

function retryOptionsOf(options: HttpClientOptions): RetryHandler.RetryOptions {
  if (options.retry) return retryOptionsFor(options.retry);
  return {
    maxRetries: options.maxRetries ?? 4,
    minTimeout: options.minRetryDelayMs ?? 500,
    maxTimeout: options.maxRetryDelayMs ?? 30_000,
    timeoutFactor: 2,
    retryAfter: true,
    methods: options.retryMethods ?? ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'],
    statusCodes: options.retryStatusCodes ?? [429, 500, 502, 503, 504],
    errorCodes: [...TRANSIENT_ERROR_CODES],
  };
}

/** Before asking a whole request again after its body broke off: ms to wait, or null to give up. */
function bodyRetryDelay(
  options: HttpClientOptions,
  policy: RetryPolicy | undefined,
  method: string,
  round: number,
  error: unknown,
): number | null {
  if (!policy) {
    return round < (options.maxRetries ?? 4) ? (options.minRetryDelayMs ?? 500) * 2 ** round : null;
  }
  // A body undici could not resume by Range is still a connection that broke off mid-body.
  const code = error instanceof undiciErrors.RequestRetryError ? 'UND_ERR_SOCKET' : codeOf(error);
  return policy({ status: null, code, retryAfterMs: null, method, attempt: round + 1 });
}

function isAccepted(accept: HttpRequest['acceptStatus'], status: number): boolean {
  return accept === 'any' || (accept?.includes(status) ?? false);
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The start of a body, for error messages: enough to recognise an error page, never a whole document. */
export function snippet(body: Buffer | string, max = 200): string {
  const text = (typeof body === 'string' ? body : body.subarray(0, max * 4).toString('utf8'))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text || '(empty body)';
}

function toSourceError(
  error: unknown,
  context: { source: string; url: string; kommune?: string },
): SourceError {
  if (error instanceof SourceError) return error;
  if (isInterruptedBody(error)) {
    return new SourceError(
      'network',
      `the connection broke off mid-body: ${(error as Error).message}`,
      context,
      {
        cause: error,
      },
    );
  }
  if (error instanceof undiciErrors.RequestRetryError) {
    const status = error.statusCode;
    return new SourceError(
      status === 429 ? 'rate-limited' : 'http-status',
      `gave up after retries: ${error.message}`,
      { ...context, status },
      { cause: error },
    );
  }
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (/TIMEOUT/.test(code) || (error as Error).name === 'TimeoutError') {
    return new SourceError('timeout', message, context, { cause: error });
  }
  return new SourceError('network', `${code ? `${code}: ` : ''}${message}`, context, { cause: error });
}

/** A response whose body was cut off after the headers (reset, closed socket, body timeout). */
function isInterruptedBody(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  if (error instanceof undiciErrors.RequestRetryError) return /partially consumed/.test(message);
  return (
    ['UND_ERR_SOCKET', 'ECONNRESET', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED'].includes(code) &&
    !/aborted/i.test(message)
  );
}
