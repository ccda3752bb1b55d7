import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { readBody, startServer } from '../../helpers/http-server.js';
import { seeded as random } from '../../../scripts/sample/random.js';
import { evaluate, FormulaError, parseFormula, truthy } from './formula.js';
import {
  addField,
  airtableError,
  createTable,
  type DoubleBase,
  DoubleHttpError,
  type DoubleRecord,
  type DoubleTable,
  fieldByName,
  findTable,
  invalidRequest,
  mergeableField,
  modelNotFound,
  newId,
  recordJson,
  tableModel,
  validateFields,
  writeRecord,
} from './model.js';

export type FaultKind = 429 | 500 | 503 | 'timeout';

export type RequestKind =
  'list' | 'get' | 'create' | 'update' | 'upsert' | 'delete' | 'meta-read' | 'meta-write' | 'unknown';

export interface RecordedRequest {
  index: number;
  /** ms since the double started (performance clock). */
  time: number;
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  baseId: string | null;
  kind: RequestKind;
  status?: number;
  fault?: FaultKind;
}

export interface AirtableDoubleOptions {
  token?: string;
  baseIds?: string[];
  /** Scopes of the token; default all a sync needs. */
  scopes?: string[];
  /**
   * Airtable's limit: more than `requestsPerSecond` requests in any `windowMs` gets a 429, and
   * the base then answers 429 for `penaltyMs` (30 s at Airtable). `false` turns it off.
   */
  rateLimit?: { requestsPerSecond?: number; windowMs?: number; penaltyMs?: number } | false;
  /** Random faults on a share of requests (deterministic with `seed`). */
  faults?: FaultOptions | null;
  /** Called when a request has arrived, before it is handled (tests kill clients here). */
  onRequest?: (request: RecordedRequest) => void;
}

export interface FaultOptions {
  rate: number;
  kinds?: FaultKind[];
  seed?: number;
}

export interface AirtableDouble {
  url: string;
  token: string;
  baseId: string;
  requests: RecordedRequest[];
  base(baseId?: string): DoubleBase;
  table(name: string, baseId?: string): DoubleTable;
  /** Records of a table as the API returns them (empty cells omitted). */
  records(table: string, baseId?: string): Array<{ id: string; fields: Record<string, unknown> }>;
  /** Record-writing requests (create, update, upsert, delete). */
  writeRequests(): RecordedRequest[];
  /** What the sales team does in the Airtable UI: edit cells of a record directly. */
  editRecord(table: string, recordId: string, fields: Record<string, unknown>, baseId?: string): void;
  /** Adds a record directly, as a person would (e.g. a duplicate). */
  addRecord(table: string, fields: Record<string, unknown>, baseId?: string): string;
  deleteRecord(table: string, recordId: string, baseId?: string): void;
  setFaults(faults: FaultOptions | null): void;
  setRateLimit(rateLimit: AirtableDoubleOptions['rateLimit']): void;
  /** The next `count` requests matching `filter` get this fault. */
  injectFault(kind: FaultKind, count?: number, filter?: (request: RecordedRequest) => boolean): void;
  /** Forgets every list iterator, as after a server restart. */
  expireIterators(): void;
  clearRequests(): void;
  close(): Promise<void>;
}

const ALL_SCOPES = ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'];
const MAX_RECORDS = 10;

/**
 * A local Airtable: the Web API and Metadata API calls Tomtejakt makes, with Airtable's documented
 * behaviour (shared/reference/notes/airtable.md): list paging with pageSize ≤ 100 and offset,
 * create/update/upsert of at most 10 records, PATCH vs PUT, upsert failing on several matches,
 * empty cells omitted, its error bodies, 5 requests/s per base with a 30 s penalty, fault
 * injection and a record of every request.
 */
export async function startAirtableDouble(options: AirtableDoubleOptions = {}): Promise<AirtableDouble> {
  const token =
    options.token ?? 'patDOUBLE0000000.0000000000000000000000000000000000000000000000000000000000000000';
  const scopes = new Set(options.scopes ?? ALL_SCOPES);
  const bases = new Map<string, DoubleBase>(
    (options.baseIds ?? ['appDOUBLE00000001']).map((id) => [id, { id, tables: [] }]),
  );
  const limitOf = (rateLimit: AirtableDoubleOptions['rateLimit']) =>
    rateLimit === false ? null : { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000, ...rateLimit };
  let limit = limitOf(options.rateLimit);
  const windows = new Map<string, { starts: number[]; penaltyUntil: number }>();
  const iterators = new Map<
    string,
    { tableId: string; ids: string[]; fields?: string[]; pageSize: number }
  >();
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const injected: Array<{ kind: FaultKind; filter?: (r: RecordedRequest) => boolean }> = [];
  let faults = options.faults ?? null;
  let nextRandom = random(faults?.seed ?? 1);
  const started = performance.now();

  function pickFault(request: RecordedRequest): FaultKind | undefined {
    const i = injected.findIndex((f) => !f.filter || f.filter(request));
    if (i >= 0) return injected.splice(i, 1)[0]!.kind;
    if (!faults || nextRandom() >= faults.rate) return undefined;
    const kinds = faults.kinds ?? [429, 500, 503, 'timeout'];
    return kinds[Math.floor(nextRandom() * kinds.length)];
  }

  function overLimit(baseId: string, now: number): boolean {
    if (!limit) return false;
    const w = windows.get(baseId) ?? { starts: [], penaltyUntil: 0 };
    windows.set(baseId, w);
    if (now < w.penaltyUntil) return true;
    while (w.starts.length && now - w.starts[0]! >= limit.windowMs) w.starts.shift();
    if (w.starts.length >= limit.requestsPerSecond) {
      w.penaltyUntil = now + limit.penaltyMs;
      return true;
    }
    w.starts.push(now);
    return false;
  }

  const server = await startServer(async (req, res) => {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://double');
    const request: RecordedRequest = {
      index: requests.length,
      time: performance.now() - started,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: null,
      baseId: null,
      kind: 'unknown',
    };
    requests.push(request);
    const send = (status: number, body: unknown) => {
      request.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      if (text) {
        try {
          request.body = JSON.parse(text);
        } catch {
          throw new DoubleHttpError(400, {
            error: { type: 'INVALID_REQUEST_UNKNOWN', message: 'Could not parse request body' },
          });
        }
      }
      const route = routeOf(request);
      request.kind = route.kind;
      request.baseId = route.baseId;
      options.onRequest?.(request);
      if (req.headers.authorization !== `Bearer ${token}`)
        throw airtableError(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
      if (route.kind === 'unknown') throw new DoubleHttpError(404, { error: 'NOT_FOUND' });
      const base = bases.get(route.baseId!);
      if (!base) throw airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for');
      if (overLimit(base.id, performance.now())) {
        throw airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later');
      }
      const fault = pickFault(request);
      request.fault = fault;
      if (fault === 429)
        throw airtableError(429, 'RATE_LIMIT_REACHED', 'Rate limit exceeded. Please try again later');
      if (fault === 500) throw airtableError(500, 'SERVER_ERROR', 'Server error');
      if (fault === 503)
        throw airtableError(503, 'RETRIABLE_ERROR', 'Service temporarily unavailable. Please retry shortly.');
      requireScope(route.kind);
      const result = handle(base, route, request);
      if (fault === 'timeout') {
        // Processed, but the answer never comes: the client cannot know whether the write happened.
        request.status = 0;
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      send(200, result);
    } catch (error) {
      if (error instanceof DoubleHttpError) send(error.status, error.body);
      else send(500, { error: { type: 'SERVER_ERROR', message: String(error) } });
    }
  });

  function requireScope(kind: RequestKind) {
    const needed =
      kind === 'meta-read'
        ? 'schema.bases:read'
        : kind === 'meta-write'
          ? 'schema.bases:write'
          : kind === 'list' || kind === 'get'
            ? 'data.records:read'
            : 'data.records:write';
    if (!scopes.has(needed)) throw modelNotFound();
  }

  function handle(base: DoubleBase, route: Route, request: RecordedRequest): unknown {
    const body = (request.body ?? {}) as Record<string, unknown>;
    switch (route.kind) {
      case 'meta-read':
        return { tables: base.tables.map(tableModel) };
      case 'meta-write': {
        if (!route.tableId) return tableModel(createTable(base, body));
        const table = base.tables.find((t) => t.id === route.tableId);
        if (!table) throw modelNotFound();
        return { ...addField(base, table, body) };
      }
      case 'list': {
        const table = findTable(base, route.table!);
        const params =
          request.method === 'POST' ? listParamsFromBody(body) : listParamsFromQuery(request.query);
        return list(table, params);
      }
      case 'get': {
        const table = findTable(base, route.table!);
        const record = table.records.get(route.recordId!);
        if (!record) throw airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for');
        return recordJson(record);
      }
      case 'create':
        return create(base, findTable(base, route.table!), body);
      case 'update':
      case 'upsert':
        return update(base, findTable(base, route.table!), body, request.method === 'PUT', route.recordId);
      case 'delete':
        return remove(
          findTable(base, route.table!),
          route.recordId ? [route.recordId] : request.query.getAll('records[]'),
          Boolean(route.recordId),
        );
      default:
        throw new DoubleHttpError(404, { error: 'NOT_FOUND' });
    }
  }

  interface ListParams {
    pageSize: number;
    offset?: string;
    fields?: string[];
    filterByFormula?: string;
    maxRecords?: number;
  }

  function listParamsFromQuery(query: URLSearchParams): ListParams {
    const fields = query.getAll('fields[]');
    return {
      pageSize: query.has('pageSize') ? Number(query.get('pageSize')) : 100,
      ...(query.get('offset') ? { offset: query.get('offset')! } : {}),
      ...(fields.length ? { fields } : {}),
      ...(query.get('filterByFormula') ? { filterByFormula: query.get('filterByFormula')! } : {}),
      ...(query.has('maxRecords') ? { maxRecords: Number(query.get('maxRecords')) } : {}),
    };
  }

  function listParamsFromBody(body: Record<string, unknown>): ListParams {
    return {
      pageSize: body.pageSize === undefined ? 100 : Number(body.pageSize),
      ...(typeof body.offset === 'string' ? { offset: body.offset } : {}),
      ...(Array.isArray(body.fields) ? { fields: body.fields as string[] } : {}),
      ...(typeof body.filterByFormula === 'string' ? { filterByFormula: body.filterByFormula } : {}),
      ...(body.maxRecords !== undefined ? { maxRecords: Number(body.maxRecords) } : {}),
    };
  }

  function list(table: DoubleTable, params: ListParams) {
    if (!Number.isInteger(params.pageSize) || params.pageSize < 1 || params.pageSize > 100)
      throw invalidRequest('pageSize must be a whole number from 1 to 100');
    for (const name of params.fields ?? []) {
      if (!fieldByName(table, name))
        throw airtableError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
    }
    let state;
    if (params.offset) {
      state = iterators.get(params.offset);
      if (!state || state.tableId !== table.id)
        throw airtableError(
          422,
          'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
          'Iteration timed out. Please restart the listing.',
        );
      iterators.delete(params.offset);
    } else {
      let ids = [...table.records.keys()];
      if (params.filterByFormula) {
        let formula;
        try {
          formula = parseFormula(params.filterByFormula);
        } catch (error) {
          throw airtableError(
            422,
            'INVALID_FILTER_BY_FORMULA',
            `The formula for filtering records is invalid: ${(error as Error).message}`,
          );
        }
        const names = new Set(table.fields.map((f) => f.name));
        try {
          ids = ids.filter((id) => truthy(evaluate(formula, table.records.get(id)!, names)));
        } catch (error) {
          if (error instanceof FormulaError)
            throw airtableError(
              422,
              'INVALID_FILTER_BY_FORMULA',
              `The formula for filtering records is invalid: ${error.message}`,
            );
          throw error;
        }
      }
      if (params.maxRecords !== undefined) ids = ids.slice(0, params.maxRecords);
      state = {
        tableId: table.id,
        ids,
        ...(params.fields ? { fields: params.fields } : {}),
        pageSize: params.pageSize,
      };
    }
    const page = state.ids.slice(0, params.pageSize);
    const rest = state.ids.slice(params.pageSize);
    const fieldNames = state.fields?.map((n) => fieldByName(table, n)!.name);
    const records = page
      .map((id) => table.records.get(id))
      .filter((r): r is DoubleRecord => Boolean(r))
      .map((r) => recordJson(r, fieldNames));
    if (!rest.length) return { records };
    const offset = `itr${randomBytes(8).toString('base64url')}/${rest[0]}`;
    iterators.set(offset, { ...state, ids: rest });
    return { records, offset };
  }

  function checkBatch(records: unknown): Array<Record<string, unknown>> {
    if (!Array.isArray(records) || records.length === 0)
      throw airtableError(
        422,
        'INVALID_REQUEST_MISSING_FIELDS',
        'Could not find field "records" in the request body',
      );
    if (records.length > MAX_RECORDS)
      throw invalidRequest(
        `Too many records: at most ${MAX_RECORDS} records per request, got ${records.length}`,
      );
    return records as Array<Record<string, unknown>>;
  }

  function create(base: DoubleBase, table: DoubleTable, body: Record<string, unknown>) {
    const typecast = body.typecast === true;
    const single = !('records' in body);
    const inputs = single ? [{ fields: body.fields }] : checkBatch(body.records);
    const validated = inputs.map((r) => validateFields(base, table, r.fields, typecast));
    const created = validated.map((fields) => {
      const record: DoubleRecord = { id: newId('rec'), createdTime: new Date().toISOString(), fields: {} };
      table.records.set(record.id, record);
      writeRecord(base, table, record, fields, false);
      return recordJson(record);
    });
    return single ? created[0] : { records: created };
  }

  function update(
    base: DoubleBase,
    table: DoubleTable,
    body: Record<string, unknown>,
    replace: boolean,
    recordId?: string,
  ) {
    const typecast = body.typecast === true;
    if (recordId) {
      const record = table.records.get(recordId);
      if (!record) throw airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for');
      writeRecord(base, table, record, validateFields(base, table, body.fields, typecast), replace);
      return recordJson(record);
    }
    const inputs = checkBatch(body.records);
    const upsert = body.performUpsert as { fieldsToMergeOn?: unknown } | undefined;
    const plan: Array<{ record: DoubleRecord | null; fields: Record<string, unknown> }> = [];
    if (upsert) {
      const merge = upsert.fieldsToMergeOn;
      if (!Array.isArray(merge) || merge.length < 1 || merge.length > 3)
        throw invalidRequest('performUpsert.fieldsToMergeOn must list 1 to 3 fields');
      const mergeFields = (merge as string[]).map((name) => mergeableField(table, name).name);
      const seenKeys = new Set<string>();
      for (const input of inputs) {
        const fields = validateFields(base, table, input.fields, typecast);
        if (typeof input.id === 'string') {
          const record = table.records.get(input.id);
          if (!record) throw airtableError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${input.id} does not exist`);
          plan.push({ record, fields });
          continue;
        }
        const key = JSON.stringify(mergeFields.map((f) => fields[f] ?? null));
        if (seenKeys.has(key))
          throw invalidRequest(
            `Two records in the request have the same values in the fields to merge on: ${key}`,
          );
        seenKeys.add(key);
        const matches = [...table.records.values()].filter((r) =>
          mergeFields.every((f) => JSON.stringify(r.fields[f] ?? null) === JSON.stringify(fields[f] ?? null)),
        );
        if (matches.length > 1)
          throw invalidRequest(
            `Cannot upsert: ${matches.length} records match ${key} in the fields to merge on (${mergeFields.join(', ')})`,
          );
        plan.push({ record: matches[0] ?? null, fields });
      }
    } else {
      for (const input of inputs) {
        if (typeof input.id !== 'string') throw invalidRequest('Each record to update needs an id');
        const record = table.records.get(input.id);
        if (!record) throw airtableError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${input.id} does not exist`);
        plan.push({ record, fields: validateFields(base, table, input.fields, typecast) });
      }
    }
    const createdRecords: string[] = [];
    const updatedRecords: string[] = [];
    const records = plan.map(({ record, fields }) => {
      if (record) {
        writeRecord(base, table, record, fields, replace);
        updatedRecords.push(record.id);
        return recordJson(record);
      }
      const created: DoubleRecord = { id: newId('rec'), createdTime: new Date().toISOString(), fields: {} };
      table.records.set(created.id, created);
      writeRecord(base, table, created, fields, false);
      createdRecords.push(created.id);
      return recordJson(created);
    });
    return upsert ? { records, createdRecords, updatedRecords } : { records };
  }

  function remove(table: DoubleTable, ids: string[], single: boolean) {
    if (ids.length === 0 || ids.length > MAX_RECORDS)
      throw invalidRequest(`Delete takes 1 to ${MAX_RECORDS} record ids, got ${ids.length}`);
    for (const id of ids) {
      if (!table.records.has(id))
        throw airtableError(404, 'NOT_FOUND', 'Could not find what you are looking for');
    }
    for (const id of ids) table.records.delete(id);
    const records = ids.map((id) => ({ id, deleted: true }));
    return single ? records[0] : { records };
  }

  const firstBase = [...bases.keys()][0]!;
  const baseOf = (id = firstBase) => {
    const base = bases.get(id);
    if (!base) throw new Error(`no base ${id} in the double`);
    return base;
  };

  return {
    url: server.url,
    token,
    baseId: firstBase,
    requests,
    base: baseOf,
    table: (name, baseId) => findTable(baseOf(baseId), name),
    records: (name, baseId) =>
      [...findTable(baseOf(baseId), name).records.values()].map((r) => recordJson(r)),
    writeRequests: () => requests.filter((r) => ['create', 'update', 'upsert', 'delete'].includes(r.kind)),
    editRecord(name, recordId, fields, baseId) {
      const base = baseOf(baseId);
      const table = findTable(base, name);
      const record = table.records.get(recordId);
      if (!record) throw new Error(`no record ${recordId} in ${name}`);
      writeRecord(base, table, record, validateFields(base, table, fields, false), false);
    },
    addRecord(name, fields, baseId) {
      const base = baseOf(baseId);
      const table = findTable(base, name);
      const record: DoubleRecord = { id: newId('rec'), createdTime: new Date().toISOString(), fields: {} };
      table.records.set(record.id, record);
      writeRecord(base, table, record, validateFields(base, table, fields, false), false);
      return record.id;
    },
    deleteRecord(name, recordId, baseId) {
      findTable(baseOf(baseId), name).records.delete(recordId);
    },
    setRateLimit(next) {
      limit = limitOf(next);
      windows.clear();
    },
    setFaults(next) {
      faults = next;
      nextRandom = random(next?.seed ?? 1);
    },
    injectFault(kind, count = 1, filter) {
      for (let i = 0; i < count; i += 1) injected.push(filter ? { kind, filter } : { kind });
    },
    expireIterators: () => iterators.clear(),
    clearRequests: () => {
      requests.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      await server.close();
    },
  };
}

interface Route {
  kind: RequestKind;
  baseId: string | null;
  table?: string;
  tableId?: string;
  recordId?: string;
}

function routeOf(request: RecordedRequest): Route {
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method;
  if (parts[0] !== 'v0') return { kind: 'unknown', baseId: null };
  if (parts[1] === 'meta' && parts[2] === 'bases' && parts[3] && parts[4] === 'tables') {
    const baseId = parts[3];
    if (parts.length === 5 && method === 'GET') return { kind: 'meta-read', baseId };
    if (parts.length === 5 && method === 'POST') return { kind: 'meta-write', baseId };
    if (parts.length === 7 && parts[6] === 'fields' && method === 'POST')
      return { kind: 'meta-write', baseId, tableId: parts[5]! };
    return { kind: 'unknown', baseId };
  }
  const [, baseId, table, third] = parts;
  if (!baseId || !table || parts.length > 4) return { kind: 'unknown', baseId: baseId ?? null };
  if (third === 'listRecords' && method === 'POST') return { kind: 'list', baseId, table };
  if (third) {
    if (method === 'GET') return { kind: 'get', baseId, table, recordId: third };
    if (method === 'PATCH' || method === 'PUT') return { kind: 'update', baseId, table, recordId: third };
    if (method === 'DELETE') return { kind: 'delete', baseId, table, recordId: third };
    return { kind: 'unknown', baseId };
  }
  if (method === 'GET') return { kind: 'list', baseId, table };
  if (method === 'POST') return { kind: 'create', baseId, table };
  if (method === 'PATCH' || method === 'PUT') {
    const upsert = Boolean((request.body as { performUpsert?: unknown } | null)?.performUpsert);
    return { kind: upsert ? 'upsert' : 'update', baseId, table };
  }
  if (method === 'DELETE') return { kind: 'delete', baseId, table };
  return { kind: 'unknown', baseId };
}
