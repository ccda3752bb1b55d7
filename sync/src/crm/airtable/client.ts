import { createHttpClient, type HttpClient } from '../../net/http-client.js';
import { SourceError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { limiterForBase, systemClock, type BaseLimiter } from './base-limiter.js';
import { AirtableError, locateRejectedValue, parseErrorBody } from './errors.js';
import type {
  AirtableFieldModel,
  AirtableFields,
  AirtableMetaClient,
  AirtableRecord,
  AirtableRecordsClient,
  AirtableTableModel,
  ListOptions,
  UpsertResult,
  WriteOptions,
} from './types.js';

/** Airtable accepts at most 10 records per create/update/upsert/delete request (docs: create-records). */
export const MAX_RECORDS_PER_REQUEST = 10;
/** Longer GET URLs switch to POST listRecords (the API rejects URLs over 16,000 characters). */
const MAX_URL_LENGTH = 15_000;

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

export interface AirtableClient extends AirtableRecordsClient, AirtableMetaClient {
  readonly baseId: string;
  stats(): AirtableStats;
  close(): Promise<void>;
}

/**
 * When a failed attempt may be repeated. Reads, updates and upserts are idempotent; a create is
 * repeated only when Airtable certainly did nothing (429, 502, 503), never after a timeout, which
 * may have created the records already.
 */
type RetryPolicy = 'idempotent' | 'only-if-not-processed';

interface Call {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: unknown;
  table?: string;
  retry: RetryPolicy;
  write?: boolean;
  /** The records sent, to name the rejected field and value in a 422. */
  records?: Array<{ id?: string; fields?: Record<string, unknown> }>;
  keyField?: string;
}

const ERROR_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);
const NOT_PROCESSED = new Set([429, 502, 503]);
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * The Airtable Web API over undici (sources/http/client.ts), built for the sync's needs: a
 * per-base limiter, a base-wide 30 s pause after a 429, bounded retries with backoff on 5xx and
 * timeouts, writes split into requests of 10, upsert results kept, and errors that name the
 * table, field and value.
 */
export function createAirtableClient(options: AirtableClientOptions): AirtableClient {
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const baseId = options.baseId;
  const maxRetries = options.maxRetries ?? 4;
  const pauseMs = options.rateLimitPauseMs ?? 30_000;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const limiter = options.limiter ?? limiterForBase(apiUrl, baseId, options.requestsPerSecond ?? 4.8);
  const logger = options.logger;
  const stats: AirtableStats = { requests: 0, writeRequests: 0, retries: 0, rateLimited: 0, byStatus: {} };
  const http: HttpClient = createHttpClient({
    source: 'airtable',
    timeoutMs: options.timeoutMs ?? 30_000,
    // Retries are ours (Airtable's rules differ): the shared retry interceptor stays out of it.
    maxRetries: 0,
    retryStatusCodes: [],
    retryMethods: [],
    concurrency: options.concurrency ?? 5,
    headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
  });

  async function send<T>(call: Call): Promise<T> {
    const url = `${apiUrl}${call.path}`;
    for (let attempt = 0; ; attempt += 1) {
      await limiter.acquire();
      stats.requests += 1;
      if (call.write) stats.writeRequests += 1;
      let status: number;
      let text: string;
      let retryAfterMs: number | null = null;
      try {
        const response = await http.request({
          url,
          method: call.method,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          acceptStatus: ERROR_STATUSES,
        });
        status = response.status;
        text = response.text();
        const retryAfter = Number(response.headers['retry-after']);
        if (Number.isFinite(retryAfter) && retryAfter > 0)
          retryAfterMs = Math.min(retryAfter * 1000, 300_000);
      } catch (error) {
        const failure = error instanceof SourceError ? error : null;
        const transient = failure?.kind === 'timeout' || failure?.kind === 'network';
        // A refused connection never reached Airtable; a timeout or reset may have been processed.
        const processedMaybe = !/ECONNREFUSED/.test(failure?.message ?? '');
        const mayRetry = transient && (call.retry === 'idempotent' || !processedMaybe);
        if (mayRetry && attempt < maxRetries) {
          stats.retries += 1;
          logger?.debug('Airtable request failed, retrying', { table: call.table, reason: failure?.kind });
          await systemClock.sleep(backoff(attempt));
          continue;
        }
        throw error;
      }
      stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
      if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;

      if (RETRYABLE.has(status) && attempt < maxRetries) {
        const allowed = call.retry === 'idempotent' || NOT_PROCESSED.has(status);
        if (allowed) {
          stats.retries += 1;
          if (status === 429) {
            stats.rateLimited += 1;
            limiter.pause(pauseMs);
            logger?.warn('Airtable rate limit reached (429); pausing requests to the base', {
              table: call.table,
              pauseSeconds: Math.round(pauseMs / 1000),
            });
          } else {
            logger?.debug('Airtable server error, retrying', { table: call.table, status });
            await systemClock.sleep(retryAfterMs ?? backoff(attempt));
          }
          continue;
        }
      }
      if (status === 429) stats.rateLimited += 1;
      throw errorFor(status, text, call, url);
    }
  }

  function backoff(attempt: number): number {
    const ceiling = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** attempt);
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  const tablePath = (table: string) => `/v0/${baseId}/${encodeURIComponent(table)}`;

  /** Sends records in requests of at most 10 (in parallel; the limiter spaces them). */
  async function writeInChunks<R extends { fields?: unknown }, O>(
    table: string,
    records: R[],
    request: {
      method: 'POST' | 'PATCH';
      retry: RetryPolicy;
      body?: Record<string, unknown>;
      keyField?: string;
    },
    write: WriteOptions,
  ): Promise<O[]> {
    const chunks: R[][] = [];
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_REQUEST)
      chunks.push(records.slice(i, i + MAX_RECORDS_PER_REQUEST));
    const settled = await Promise.allSettled(
      chunks.map((chunk) =>
        send<O>({
          method: request.method,
          path: tablePath(table),
          body: { ...request.body, records: chunk, ...(write.typecast ? { typecast: true } : {}) },
          table,
          retry: request.retry,
          write: true,
          records: chunk as Call['records'],
          ...(request.keyField ? { keyField: request.keyField } : {}),
        }),
      ),
    );
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<O>).value);
  }

  const client: AirtableClient = {
    baseId,

    async listAll<F extends AirtableFields>(table: string, list: ListOptions = {}) {
      const records: AirtableRecord<F>[] = [];
      let offset: string | undefined;
      let restarts = 0;
      for (;;) {
        const params = new URLSearchParams({ pageSize: '100' });
        if (offset) params.set('offset', offset);
        for (const field of list.fields ?? []) params.append('fields[]', field);
        if (list.filterByFormula) params.set('filterByFormula', list.filterByFormula);
        if (list.view) params.set('view', list.view);
        const getPath = `${tablePath(table)}?${params.toString()}`;
        let page: { records: AirtableRecord<F>[]; offset?: string };
        try {
          page =
            apiUrl.length + getPath.length <= MAX_URL_LENGTH
              ? await send({ method: 'GET', path: getPath, table, retry: 'idempotent' })
              : await send({
                  method: 'POST',
                  path: `${tablePath(table)}/listRecords`,
                  body: {
                    pageSize: 100,
                    ...(offset ? { offset } : {}),
                    ...(list.fields ? { fields: list.fields } : {}),
                    ...(list.filterByFormula ? { filterByFormula: list.filterByFormula } : {}),
                    ...(list.view ? { view: list.view } : {}),
                  },
                  table,
                  retry: 'idempotent',
                });
        } catch (error) {
          // The offset expired (idle client or server restart): page again from the start.
          if (
            error instanceof AirtableError &&
            error.airtable.type === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' &&
            restarts < 2
          ) {
            restarts += 1;
            records.length = 0;
            offset = undefined;
            continue;
          }
          throw error;
        }
        records.push(...page.records);
        if (!page.offset) return records;
        offset = page.offset;
      }
    },

    async get<F extends AirtableFields>(table: string, recordId: string) {
      try {
        return await send<AirtableRecord<F>>({
          method: 'GET',
          path: `${tablePath(table)}/${encodeURIComponent(recordId)}`,
          table,
          retry: 'idempotent',
        });
      } catch (error) {
        if (error instanceof AirtableError && error.status === 404) return null;
        throw error;
      }
    },

    async create<F extends AirtableFields>(
      table: string,
      records: Array<{ fields: Partial<F> }>,
      write: WriteOptions = {},
    ) {
      const pages = await writeInChunks<{ fields: Partial<F> }, { records: AirtableRecord<F>[] }>(
        table,
        records,
        { method: 'POST', retry: 'only-if-not-processed' },
        write,
      );
      return pages.flatMap((page) => page.records);
    },

    async update<F extends AirtableFields>(
      table: string,
      records: Array<{ id: string; fields: Partial<F> }>,
      write: WriteOptions = {},
    ) {
      const pages = await writeInChunks<{ id: string; fields: Partial<F> }, { records: AirtableRecord<F>[] }>(
        table,
        records,
        { method: 'PATCH', retry: 'idempotent' },
        write,
      );
      return pages.flatMap((page) => page.records);
    },

    async upsert<F extends AirtableFields>(
      table: string,
      records: Array<{ id?: string; fields: Partial<F> }>,
      fieldsToMergeOn: string[],
      write: WriteOptions = {},
    ) {
      if (fieldsToMergeOn.length < 1 || fieldsToMergeOn.length > 3)
        throw new RangeError('fieldsToMergeOn takes 1 to 3 field names');
      for (const record of records) {
        if (record.id) continue;
        const missing = fieldsToMergeOn.find((f) => (record.fields as Record<string, unknown>)[f] == null);
        if (missing)
          throw new RangeError(`upsert into "${table}": a record lacks the merge field "${missing}"`);
      }
      const pages = await writeInChunks<{ id?: string; fields: Partial<F> }, UpsertResult<F>>(
        table,
        records,
        {
          method: 'PATCH',
          retry: 'idempotent',
          body: { performUpsert: { fieldsToMergeOn } },
          keyField: fieldsToMergeOn[0]!,
        },
        write,
      );
      return {
        records: pages.flatMap((p) => p.records),
        createdRecords: pages.flatMap((p) => p.createdRecords ?? []),
        updatedRecords: pages.flatMap((p) => p.updatedRecords ?? []),
      };
    },

    async listTables() {
      const body = await send<{ tables: AirtableTableModel[] }>({
        method: 'GET',
        path: `/v0/meta/bases/${baseId}/tables`,
        retry: 'idempotent',
      });
      return body.tables;
    },

    async createTable(table) {
      return send<AirtableTableModel>({
        method: 'POST',
        path: `/v0/meta/bases/${baseId}/tables`,
        body: table,
        table: table.name,
        retry: 'only-if-not-processed',
        write: true,
      });
    },

    async createField(tableId, field) {
      return send<AirtableFieldModel>({
        method: 'POST',
        path: `/v0/meta/bases/${baseId}/tables/${tableId}/fields`,
        body: field,
        table: tableId,
        retry: 'only-if-not-processed',
        write: true,
        records: [{ fields: { [field.name]: field.type } }],
      });
    },

    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    close: () => http.close(),
  };
  return client;
}

function errorFor(status: number, text: string, call: Call, url: string): AirtableError {
  const body = parseErrorBody(text);
  const detail = { type: body.type, message: body.message, ...(call.table ? { table: call.table } : {}) };
  const context = { url, status };
  if (status === 401)
    return new AirtableError('auth', detail, context, 'the token was not accepted; check AIRTABLE_TOKEN');
  if (status === 403)
    return new AirtableError(
      'auth',
      detail,
      context,
      body.type === 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND'
        ? 'the table or field does not exist, or the token lacks the scope or access to the base: run `tomtejakt setup-base` and check the token (data.records:read/write, schema.bases:read/write)'
        : 'the token or its user may not write here',
    );
  if (status === 422)
    return new AirtableError(
      'service-exception',
      { ...detail, ...locateRejectedValue(body.message, call.records ?? [], call.keyField, call.table) },
      context,
    );
  if (status === 429) return new AirtableError('rate-limited', detail, context, 'gave up after retries');
  if (status >= 500)
    return new AirtableError('http-status', detail, context, 'Airtable failed; gave up after retries');
  return new AirtableError('http-status', detail, context);
}
