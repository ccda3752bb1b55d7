import { AirtableError } from './errors.js';
import type { AirtableTransport, Call } from './transport.js';
import type {
  AirtableFields,
  AirtableRecord,
  AirtableRecordsClient,
  ListOptions,
  UpsertResult,
  WriteOptions,
} from './types.js';

/** Airtable accepts at most 10 records per create/update/upsert/delete request (docs: create-records). */
export const MAX_RECORDS_PER_REQUEST = 10;
/** Longer GET URLs switch to POST listRecords (the API rejects URLs over 16,000 characters). */
const MAX_URL_LENGTH = 15_000;
/** Restarts of a listing whose offset expired before it gives up. */
const MAX_LIST_RESTARTS = 2;

/** The record calls (docs: list-records, get-record, create-records, update-multiple-records). */
export function recordsClient(transport: AirtableTransport): AirtableRecordsClient {
  return {
    listAll: (table, options) => listAll(transport, table, options),
    get: (table, recordId) => getRecord(transport, table, recordId),
    create: (table, records, write = {}) =>
      writeRecords(transport, table, records, write, { method: 'POST', repeat: 'only-if-not-processed' }),
    update: (table, records, write = {}) =>
      writeRecords(transport, table, records, write, { method: 'PATCH', repeat: 'idempotent' }),
    upsert: (table, records, fieldsToMergeOn, write = {}) =>
      upsertRecords(transport, table, records, fieldsToMergeOn, write),
  };
}

const tablePath = (transport: AirtableTransport, table: string) =>
  `/v0/${transport.baseId}/${encodeURIComponent(table)}`;

type Page<F extends AirtableFields> = { records: AirtableRecord<F>[]; offset?: string };

/** Every page of a listing, 100 records a request; starts over when the offset expired. */
async function listAll<F extends AirtableFields>(
  transport: AirtableTransport,
  table: string,
  options: ListOptions = {},
): Promise<AirtableRecord<F>[]> {
  const records: AirtableRecord<F>[] = [];
  let offset: string | undefined;
  let restarts = 0;
  for (;;) {
    let page: Page<F>;
    try {
      page = await listPage<F>(transport, table, options, offset);
    } catch (error) {
      // LIST_RECORDS_ITERATOR_NOT_AVAILABLE: the offset expired (an idle client, a server restart).
      const expired =
        error instanceof AirtableError && error.airtable.type === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE';
      if (!expired || restarts >= MAX_LIST_RESTARTS) throw error;
      restarts += 1;
      records.length = 0;
      offset = undefined;
      continue;
    }
    records.push(...page.records);
    if (!page.offset) return records;
    offset = page.offset;
  }
}

/** One page by GET, or by POST listRecords when the URL would be too long (a long formula). */
function listPage<F extends AirtableFields>(
  transport: AirtableTransport,
  table: string,
  options: ListOptions,
  offset: string | undefined,
): Promise<Page<F>> {
  const params = new URLSearchParams({ pageSize: '100' });
  if (offset) params.set('offset', offset);
  for (const field of options.fields ?? []) params.append('fields[]', field);
  if (options.filterByFormula) params.set('filterByFormula', options.filterByFormula);
  if (options.view) params.set('view', options.view);
  const getPath = `${tablePath(transport, table)}?${params.toString()}`;
  if (transport.apiUrl.length + getPath.length <= MAX_URL_LENGTH)
    return transport.send({ method: 'GET', path: getPath, table, repeat: 'idempotent' });
  return transport.send({
    method: 'POST',
    path: `${tablePath(transport, table)}/listRecords`,
    body: {
      pageSize: 100,
      ...(offset ? { offset } : {}),
      fields: options.fields,
      filterByFormula: options.filterByFormula,
      view: options.view,
    },
    table,
    repeat: 'idempotent',
  });
}

async function getRecord<F extends AirtableFields>(
  transport: AirtableTransport,
  table: string,
  recordId: string,
): Promise<AirtableRecord<F> | null> {
  try {
    return await transport.send<AirtableRecord<F>>({
      method: 'GET',
      path: `${tablePath(transport, table)}/${encodeURIComponent(recordId)}`,
      table,
      repeat: 'idempotent',
    });
  } catch (error) {
    if (error instanceof AirtableError && error.status === 404) return null;
    throw error;
  }
}

/** Create (POST) or update (PATCH: only the fields sent are touched). */
async function writeRecords<F extends AirtableFields>(
  transport: AirtableTransport,
  table: string,
  records: Array<{ id?: string; fields: Partial<F> }>,
  write: WriteOptions,
  request: Pick<Call, 'method' | 'repeat'>,
): Promise<AirtableRecord<F>[]> {
  const pages = await writeInChunks<{ records: AirtableRecord<F>[] }>(
    transport,
    table,
    records,
    write,
    request,
  );
  return pages.flatMap((page) => page.records);
}

async function upsertRecords<F extends AirtableFields>(
  transport: AirtableTransport,
  table: string,
  records: Array<{ id?: string; fields: Partial<F> }>,
  fieldsToMergeOn: string[],
  write: WriteOptions,
): Promise<UpsertResult<F>> {
  if (fieldsToMergeOn.length < 1 || fieldsToMergeOn.length > 3)
    throw new RangeError('fieldsToMergeOn takes 1 to 3 field names');
  for (const record of records) {
    if (record.id) continue;
    const missing = fieldsToMergeOn.find((f) => (record.fields as Record<string, unknown>)[f] == null);
    if (missing) throw new RangeError(`upsert into "${table}": a record lacks the merge field "${missing}"`);
  }
  const pages = await writeInChunks<UpsertResult<F>>(transport, table, records, write, {
    method: 'PATCH',
    repeat: 'idempotent',
    body: { performUpsert: { fieldsToMergeOn } },
    keyField: fieldsToMergeOn[0]!,
  });
  return {
    records: pages.flatMap((p) => p.records),
    createdRecords: pages.flatMap((p) => p.createdRecords ?? []),
    updatedRecords: pages.flatMap((p) => p.updatedRecords ?? []),
  };
}

/**
 * Sends records in requests of at most 10, all at once: the limiter spaces them, and a failed
 * chunk fails the call after the others have settled (their writes stand).
 */
async function writeInChunks<O>(
  transport: AirtableTransport,
  table: string,
  records: Array<{ id?: string; fields?: Record<string, unknown> }>,
  write: WriteOptions,
  request: Pick<Call, 'method' | 'repeat' | 'keyField'> & { body?: Record<string, unknown> },
): Promise<O[]> {
  const chunks: (typeof records)[] = [];
  for (let i = 0; i < records.length; i += MAX_RECORDS_PER_REQUEST)
    chunks.push(records.slice(i, i + MAX_RECORDS_PER_REQUEST));
  const settled = await Promise.allSettled(
    chunks.map((chunk) =>
      transport.send<O>({
        ...request,
        path: tablePath(transport, table),
        body: { ...request.body, records: chunk, typecast: write.typecast },
        table,
        write: true,
        records: chunk,
      }),
    ),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<O>).value);
}
