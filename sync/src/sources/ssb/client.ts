import type { Dispatcher } from 'undici';
import { SourceError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { redactUrl } from '../../util/redact.js';
import { createHttpClient, snippet, type HttpClient, type HttpResponse } from '../../net/http-client.js';
import { systemClock, type Clock } from './clock.js';
import { JsonStatError, readJsonStat, type JsonStatDataset } from './jsonstat.js';
import { inSsbQuietHours } from './maintenance-window.js';
import { readSsbMetadata, type SsbTableMetadata } from './metadata.js';
import { createPacer, type Pacer } from './pacer.js';
import {
  dataUrl,
  halveQuery,
  missingMandatory,
  normaliseQuery,
  postBody,
  postParams,
  splitQuery,
  type SsbQuery,
} from './query.js';
import {
  ssbCodelistSchema,
  ssbProblemSchema,
  ssbTableInfoSchema,
  type SsbCodelist,
  type SsbTableInfo,
} from './table-info.js';

export const SSB_SOURCE = 'ssb';
/** SSB's cell limit per extract, empty cells included (`/config` maxDataCells). */
export const SSB_MAX_CELLS = 800_000;
/** Longer GET URLs answer 404 (measured at ~2,100 characters; janbrus troubleshooting.md). */
export const SSB_MAX_GET_URL = 2_000;
const RATE_WINDOW_MS = 60_000;
/** On 429, wait until the window has passed: at most 60 s with SSB's policy. */
const MAX_RATE_LIMIT_WAIT_MS = 60_000;

export interface SsbClientOptions {
  baseUrl: string;
  lang?: 'no' | 'en';
  clock?: Clock;
  /** ≤ 30 by SSB's user guide. */
  queriesPerMinute?: number;
  maxCells?: number;
  maxGetUrlLength?: number;
  /** 429s answered by waiting before the request is given up. */
  maxRateLimitWaits?: number;
  timeoutMs?: number;
  maxRetries?: number;
  minRetryDelayMs?: number;
  /** Refuse to query during SSB's 05:00–08:15 update (default true). */
  respectQuietHours?: boolean;
  logger?: Logger;
  dispatcher?: Dispatcher;
}

export interface SsbClientStats {
  /** Requests sent to SSB (every attempt, 429s included). */
  requests: number;
  rateLimited: number;
  /** Extra requests caused by splitting over the cell limit. */
  splits: number;
  postRequests: number;
  /** When each request started (clock time). */
  starts: number[];
}

export interface SsbClient {
  /** `GET /tables/{id}`; null when the table does not exist (404). */
  tableInfo(tableId: string): Promise<SsbTableInfo | null>;
  metadata(tableId: string): Promise<SsbTableMetadata>;
  codelist(codelistId: string): Promise<SsbCodelist>;
  /** The extract, as one dataset per request it took (a query over the cell limit is split). */
  data(tableId: string, query: SsbQuery, metadata?: SsbTableMetadata): Promise<JsonStatDataset[]>;
  stats(): SsbClientStats;
  close(): Promise<void>;
}

/** SSB refuses queries between 05:00 and 08:15 Oslo time: nothing was sent. */
export class SsbQuietHoursError extends SourceError {
  constructor(url: string) {
    super(
      'rate-limited',
      'SSB updates its tables 05:00–08:15 Oslo time; no query is sent then (try after 08:15)',
      { source: SSB_SOURCE, url },
    );
    this.name = 'SsbQuietHoursError';
  }
}

/**
 * PxWebApi v2 client for SSB (data.ssb.no/api/pxwebapi/v2): table info, metadata, codelists and
 * data, sequential and paced to ≤ 30 queries a minute. GET while the URL stays short, POST when
 * it would not; duplicate codes dropped; queries over the cell limit split before sending and
 * again when the server answers "Too many cells selected" (400, or 403 as the spec says).
 */
export function createSsbClient(options: SsbClientOptions): SsbClient {
  const clock = options.clock ?? systemClock;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const lang = options.lang ?? 'no';
  const maxCells = options.maxCells ?? SSB_MAX_CELLS;
  const maxGetUrl = options.maxGetUrlLength ?? SSB_MAX_GET_URL;
  const maxWaits = options.maxRateLimitWaits ?? 3;
  const pacer: Pacer = createPacer({
    limit: Math.min(options.queriesPerMinute ?? 30, 30),
    windowMs: RATE_WINDOW_MS,
    clock,
  });
  const stats = { requests: 0, rateLimited: 0, splits: 0, postRequests: 0 };
  const http: HttpClient = createHttpClient({
    source: SSB_SOURCE,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries ?? 2,
    minRetryDelayMs: options.minRetryDelayMs,
    concurrency: 1,
    // 429 and 503 are answered here (wait for the window; report the maintenance), not retried blindly.
    retryStatusCodes: [502, 504],
    retryMethods: ['GET', 'POST'],
    headers: { accept: 'application/json' },
    dispatcher: options.dispatcher,
  });

  async function send(
    url: string,
    init: { method?: 'GET' | 'POST'; body?: string } = {},
  ): Promise<HttpResponse> {
    for (let waits = 0; ; waits += 1) {
      if (options.respectQuietHours !== false && inSsbQuietHours(clock.now()))
        throw new SsbQuietHoursError(redactUrl(url));
      await pacer.acquire();
      stats.requests += 1;
      if (init.method === 'POST') stats.postRequests += 1;
      const response = await http.request({
        url,
        method: init.method ?? 'GET',
        body: init.body,
        headers: init.body ? { 'content-type': 'application/json' } : undefined,
        acceptStatus: [400, 403, 404, 429, 503],
      });
      pacer.observe(response.headers);
      if (response.status === 429) {
        stats.rateLimited += 1;
        if (waits >= maxWaits)
          throw new SourceError('rate-limited', `still 429 after ${waits} waits`, {
            source: SSB_SOURCE,
            url: redactUrl(url),
            status: 429,
          });
        const retryAfter = Number(response.headers['retry-after']) * 1000;
        const wait =
          Number.isFinite(retryAfter) && retryAfter > 0
            ? Math.min(retryAfter, MAX_RATE_LIMIT_WAIT_MS)
            : MAX_RATE_LIMIT_WAIT_MS;
        options.logger?.warn('SSB rate limit reached; waiting', { seconds: Math.round(wait / 1000) });
        pacer.pause(wait);
        continue;
      }
      if (response.status === 503)
        throw new SourceError('http-status', `SSB is unavailable (maintenance): ${snippet(response.body)}`, {
          source: SSB_SOURCE,
          url: redactUrl(url),
          status: 503,
        });
      return response;
    }
  }

  function failure(response: HttpResponse, what: string): SourceError {
    return new SourceError('http-status', `${what}: ${problemTitle(response) ?? snippet(response.body)}`, {
      source: SSB_SOURCE,
      url: redactUrl(response.url),
      status: response.status,
    });
  }

  function json(response: HttpResponse): unknown {
    try {
      return JSON.parse(response.text());
    } catch {
      throw new SourceError('malformed', `not JSON: ${snippet(response.body)}`, {
        source: SSB_SOURCE,
        url: redactUrl(response.url),
        status: response.status,
      });
    }
  }

  function parsed<T>(response: HttpResponse, parse: (value: unknown) => T): T {
    try {
      return parse(json(response));
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new SourceError('malformed', (error as Error).message, {
        source: SSB_SOURCE,
        url: redactUrl(response.url),
      });
    }
  }

  async function dataRequest(
    tableId: string,
    query: SsbQuery,
    metadata?: SsbTableMetadata,
  ): Promise<JsonStatDataset[]> {
    const url = dataUrl(baseUrl, tableId, { lang, outputFormat: 'json-stat2' }, query);
    let response: HttpResponse;
    if (url.length <= maxGetUrl) {
      response = await send(url);
      // A GET that is too long for the server answers 404, not 400: try the same query by POST.
      if (response.status === 404 && url.length > 1_000) response = await postData(tableId, query);
    } else {
      response = await postData(tableId, query);
    }
    if ((response.status === 400 || response.status === 403) && isTooManyCells(response)) {
      const halves = halveQuery(query);
      if (!halves) throw failure(response, `table ${tableId}`);
      stats.splits += 1;
      options.logger?.debug('SSB: too many cells; splitting', { table: tableId });
      const first = await dataRequest(tableId, halves[0], metadata);
      const second = await dataRequest(tableId, halves[1], metadata);
      return [...first, ...second];
    }
    if (response.status !== 200) throw failure(response, `table ${tableId}`);
    return [
      parsed(response, (value) => {
        try {
          return readJsonStat(value);
        } catch (error) {
          if (error instanceof JsonStatError) throw new Error(error.message);
          throw error;
        }
      }),
    ];
  }

  function postData(tableId: string, query: SsbQuery): Promise<HttpResponse> {
    const url = dataUrl(baseUrl, tableId, { lang, outputFormat: 'json-stat2', ...postParams(query) });
    return send(url, { method: 'POST', body: postBody(query) });
  }

  return {
    async tableInfo(tableId) {
      const response = await send(`${baseUrl}/tables/${encodeURIComponent(tableId)}?lang=${lang}`);
      if (response.status === 404) return null;
      if (response.status !== 200) throw failure(response, `table ${tableId}`);
      return parsed(response, (value) => ssbTableInfoSchema.parse(value));
    },
    async metadata(tableId) {
      const response = await send(`${baseUrl}/tables/${encodeURIComponent(tableId)}/metadata?lang=${lang}`);
      if (response.status !== 200) throw failure(response, `metadata of table ${tableId}`);
      return parsed(response, (value) => readSsbMetadata(value, tableId));
    },
    async codelist(codelistId) {
      const response = await send(`${baseUrl}/codeLists/${encodeURIComponent(codelistId)}?lang=${lang}`);
      if (response.status !== 200) throw failure(response, `codelist ${codelistId}`);
      return parsed(response, (value) => ssbCodelistSchema.parse(value));
    },
    async data(tableId, query, metadata) {
      const normalised = normaliseQuery(query);
      const missing = missingMandatory(normalised, metadata);
      if (missing.length > 0)
        throw new Error(`table ${tableId}: the query must select ${missing.join(', ')} (never eliminable)`);
      const parts = splitQuery(normalised, maxCells, metadata);
      stats.splits += parts.length - 1;
      const datasets: JsonStatDataset[] = [];
      for (const part of parts) datasets.push(...(await dataRequest(tableId, part, metadata)));
      return datasets;
    },
    stats: () => ({ ...stats, starts: pacer.starts() }),
    close: () => http.close(),
  };
}

function problemTitle(response: HttpResponse): string | undefined {
  try {
    const problem = ssbProblemSchema.safeParse(JSON.parse(response.text()));
    return problem.success ? problem.data.title : undefined;
  } catch {
    return undefined;
  }
}

function isTooManyCells(response: HttpResponse): boolean {
  return /too many cells/i.test(problemTitle(response) ?? response.text());
}
