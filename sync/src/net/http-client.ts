import PQueue from 'p-queue';
import { Agent, interceptors, type Dispatcher, type RetryHandler } from 'undici';
import { redactUrl } from '../util/redact.js';
import { requestWithBody } from './http-body.js';
import { statusError, toSourceError } from './http-errors.js';
import { retryOptionsFor, TRANSIENT_ERROR_CODES, type RetryPolicy } from './retry-policy.js';

export { snippet } from './http-errors.js';

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
  const stats: HttpStats = { requests: 0, attempts: 0, byStatus: {} };
  const base = options.dispatcher ?? createAgent(options);
  const client: ClientParts = { options, stats, dispatcher: composeDispatcher(base, options, stats) };
  const queue = new PQueue({
    concurrency: options.concurrency ?? 8,
    ...(options.rateLimit
      ? { intervalCap: options.rateLimit.requests, interval: options.rateLimit.perMs }
      : {}),
  });
  let closed: Promise<void> | undefined;
  return {
    source: options.source,
    // A request still waiting for its turn is dropped when its signal aborts, not sent at the
    // limit's pace only to be refused (a kommune's 1,500 farmland samples once the host proved down).
    request: (request) =>
      queue
        .add(() => send(client, request), { throwOnTimeout: true, signal: request.signal })
        .catch((error: unknown) => {
          throw toSourceError(error, contextOf(options, request));
        }),
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    // A second close() waits for the first instead of asking undici to close a closed agent.
    close: () =>
      (closed ??= (async () => {
        await queue.onIdle();
        if (!options.dispatcher) await base.close();
      })()),
  };
}

/** What a request goes through once the queue lets it start. */
interface ClientParts {
  options: HttpClientOptions;
  stats: HttpStats;
  dispatcher: Dispatcher;
}

function createAgent(options: HttpClientOptions): Agent {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Agent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    connections: options.concurrency ?? 8,
  });
}

/**
 * compose() wraps in order, so the retry interceptor (last) is outermost: the attempt counter and
 * the caller's interceptors sit inside it and see every attempt, retries included.
 */
function composeDispatcher(base: Dispatcher, options: HttpClientOptions, stats: HttpStats): Dispatcher {
  const countAttempts: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
    stats.attempts += 1;
    return dispatch(opts, handler);
  };
  return base.compose(
    countAttempts,
    ...(options.interceptors ?? []),
    interceptors.retry(retryOptionsOf(options)),
  );
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

async function send(
  { options, stats, dispatcher }: ClientParts,
  request: HttpRequest,
): Promise<HttpResponse> {
  const url = new URL(String(request.url));
  const context = contextOf(options, request);
  stats.requests += 1;
  const { response, body } = await requestWithBody(
    dispatcher,
    { options: dispatchOptionsOf(options, request, url), signal: request.signal, context },
    {
      policy: request.retry ?? options.retry,
      maxRetries: options.maxRetries ?? 4,
      minRetryDelayMs: options.minRetryDelayMs ?? 500,
    },
  );
  const status = response.statusCode;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  const result: HttpResponse = {
    status,
    headers: flattenHeaders(response.headers),
    url: url.toString(),
    body,
    text: () => body.toString('utf8'),
  };
  options.onResponse?.(result);
  if ((status < 200 || status >= 300) && !isAccepted(request.acceptStatus, status))
    throw statusError(status, body, context);
  return result;
}

/** What every error of the request names: the source, the redacted URL, the kommune. */
function contextOf(options: HttpClientOptions, request: HttpRequest) {
  return { source: options.source, url: redactUrl(new URL(String(request.url))), kommune: request.kommune };
}

function dispatchOptionsOf(
  options: HttpClientOptions,
  request: HttpRequest,
  url: URL,
): Dispatcher.RequestOptions & { retryOptions?: RetryHandler.RetryOptions } {
  return {
    origin: url.origin,
    path: url.pathname + url.search,
    method: request.method ?? 'GET',
    headers: { ...options.headers, ...request.headers },
    body: request.body,
    signal: request.signal,
    // undici's retry interceptor merges per-request retryOptions over the client's.
    ...(request.retry ? { retryOptions: retryOptionsFor(request.retry) } : {}),
  };
}

function isAccepted(accept: HttpRequest['acceptStatus'], status: number): boolean {
  return accept === 'any' || (accept?.includes(status) ?? false);
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
