import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import type {
  AirtableFields,
  AirtableRecord,
  AirtableRecordsClient,
  ListOptions,
  UpsertResult,
} from '../../sync/src/crm/airtable/types.js';
import {
  eiereTable,
  EiereField,
  tomterTable,
  TomterField,
  type TableSpec,
} from '../../sync/src/crm/schema/index.js';
import { SourceError } from '../../sync/src/util/errors.js';

/**
 * An in-memory AirtableRecordsClient with Airtable's documented record behaviour
 * (shared/reference/notes/airtable.md §0, §1.2–1.8):
 * - writes go out in requests of at most 10 records (each counted in `requests`);
 * - PATCH semantics: only the fields sent change; "", null, [] and false clear a cell;
 * - reads omit empty cells;
 * - upsert merges on fieldsToMergeOn: 0 matches creates, 1 updates, more than 1 fails the request;
 * - unknown field names, unknown select options (no typecast) and links to missing records fail
 *   with 422 like Airtable's UNKNOWN_FIELD_NAME / INVALID_MULTIPLE_CHOICE_OPTIONS / ROW_DOES_NOT_EXIST;
 * - link fields have their inverse kept by the "base" (Eiere.Tomter ↔ Tomter.Eiere);
 * - filterByFormula understands `{Field}='value'` and `OR(…)` of those, and fails on anything else.
 * Optional latency and a per-base request rate stand in for the network and the 5 req/s limiter.
 */
export interface FakeAirtableOptions {
  latencyMs?: number;
  requestsPerSecond?: number;
  /** Called after each update request has been applied (benchmarks time the writes with it). */
  onUpdate?: (table: string, records: Array<{ id: string; fields: Record<string, unknown> }>) => void;
}

export interface RecordedRequest {
  method: 'list' | 'get' | 'create' | 'update' | 'upsert';
  table: string;
  records: number;
  at: number;
}

type Cell = unknown;
interface StoredRecord {
  id: string;
  createdTime: string;
  fields: Record<string, Cell>;
}

const LINKS = [
  { table: eiereTable.name, field: EiereField.tomter, to: tomterTable.name, inverse: TomterField.eiere },
];

function fieldsOf(spec: TableSpec): Map<string, { type: string; choices?: string[] }> {
  const map = new Map<string, { type: string; choices?: string[] }>();
  for (const field of [spec.primary, ...spec.fields]) {
    const choices = (field.options?.choices as Array<{ name: string }> | undefined)?.map((c) => c.name);
    map.set(field.name, { type: field.type, ...(choices ? { choices } : {}) });
  }
  return map;
}

export class FakeAirtable implements AirtableRecordsClient {
  readonly tables = new Map<string, Map<string, StoredRecord>>();
  readonly requests: RecordedRequest[] = [];
  private readonly schema = new Map<string, Map<string, { type: string; choices?: string[] }>>();
  private readonly limiter: PQueue | null;
  private failures: Array<{ error: Error; method?: RecordedRequest['method'] }> = [];

  constructor(private readonly options: FakeAirtableOptions = {}) {
    for (const spec of [tomterTable, eiereTable]) {
      this.schema.set(spec.name, fieldsOf(spec));
      this.tables.set(spec.name, new Map());
    }
    for (const link of LINKS) {
      this.schema.get(link.table)!.set(link.field, { type: 'multipleRecordLinks' });
      this.schema.get(link.to)!.set(link.inverse, { type: 'multipleRecordLinks' });
    }
    this.limiter = options.requestsPerSecond
      ? new PQueue({ intervalCap: 1, interval: Math.ceil(1000 / options.requestsPerSecond) })
      : null;
  }

  /** The next request (of one method, when given) fails with this error. */
  failNext(error: Error, method?: RecordedRequest['method']): void {
    this.failures.push({ error, ...(method ? { method } : {}) });
  }

  /** Adds a record directly, as the team or the nightly sync would have. */
  seed(table: string, fields: Record<string, Cell>): string {
    const record = this.store(table, {});
    this.applyFields(table, record, fields);
    return record.id;
  }

  /** A record's cells as Airtable would return them. */
  read(table: string, id: string): Record<string, Cell> | undefined {
    const record = this.tables.get(table)?.get(id);
    return record ? this.visible(record).fields : undefined;
  }

  all(table: string): Array<AirtableRecord> {
    return [...(this.tables.get(table)?.values() ?? [])].map((r) => this.visible(r));
  }

  requestCount(method?: RecordedRequest['method']): number {
    return this.requests.filter((r) => !method || r.method === method).length;
  }

  async listAll<F extends AirtableFields>(
    table: string,
    options: ListOptions = {},
  ): Promise<AirtableRecord<F>[]> {
    const records = [...this.table(table).values()];
    const matches = options.filterByFormula ? this.filter(table, options.filterByFormula) : () => true;
    const selected = records.filter(matches);
    // Pages of 100, one request each, like the real list endpoint.
    for (let page = 0; page === 0 || page * 100 < selected.length; page++) {
      await this.request('list', table, Math.min(100, selected.length - page * 100));
    }
    return selected.map((record) => {
      const visible = this.visible(record);
      if (options.fields) {
        visible.fields = Object.fromEntries(
          Object.entries(visible.fields).filter(([k]) => options.fields!.includes(k)),
        );
      }
      return visible as AirtableRecord<F>;
    });
  }

  async get<F extends AirtableFields>(table: string, recordId: string): Promise<AirtableRecord<F> | null> {
    await this.request('get', table, 1);
    const record = this.table(table).get(recordId);
    return record ? (this.visible(record) as AirtableRecord<F>) : null;
  }

  async create<F extends AirtableFields>(
    table: string,
    records: Array<{ fields: Partial<F> }>,
  ): Promise<AirtableRecord<F>[]> {
    const out: AirtableRecord<F>[] = [];
    for (const chunk of chunks(records)) {
      await this.request('create', table, chunk.length);
      chunk.forEach((r) => this.validate(table, r.fields));
      for (const r of chunk) {
        const record = this.store(table, {});
        this.applyFields(table, record, r.fields);
        out.push(this.visible(record) as AirtableRecord<F>);
      }
    }
    return out;
  }

  async update<F extends AirtableFields>(
    table: string,
    records: Array<{ id: string; fields: Partial<F> }>,
  ): Promise<AirtableRecord<F>[]> {
    const out: AirtableRecord<F>[] = [];
    for (const chunk of chunks(records)) {
      await this.request('update', table, chunk.length);
      for (const r of chunk) {
        if (!this.table(table).has(r.id))
          throw error(404, 'NOT_FOUND', `Record ${r.id} not found in ${table}`);
        this.validate(table, r.fields);
      }
      for (const r of chunk) {
        const record = this.table(table).get(r.id)!;
        this.applyFields(table, record, r.fields);
        out.push(this.visible(record) as AirtableRecord<F>);
      }
      this.options.onUpdate?.(table, chunk as Array<{ id: string; fields: Record<string, unknown> }>);
    }
    return out;
  }

  async upsert<F extends AirtableFields>(
    table: string,
    records: Array<{ fields: Partial<F> }>,
    fieldsToMergeOn: string[],
  ): Promise<UpsertResult<F>> {
    const result: UpsertResult<F> = { records: [], createdRecords: [], updatedRecords: [] };
    for (const chunk of chunks(records)) {
      await this.request('upsert', table, chunk.length);
      const plan = chunk.map((r) => {
        this.validate(table, r.fields);
        const matches = [...this.table(table).values()].filter((existing) =>
          fieldsToMergeOn.every((f) => existing.fields[f] === (r.fields as Record<string, Cell>)[f]),
        );
        if (matches.length > 1) {
          throw error(422, 'INVALID_REQUEST_UNKNOWN', `More than one record matches the fields to merge on`);
        }
        return { fields: r.fields, match: matches[0] };
      });
      for (const { fields, match } of plan) {
        const record = match ?? this.store(table, {});
        this.applyFields(table, record, fields);
        (match ? result.updatedRecords : result.createdRecords).push(record.id);
        result.records.push(this.visible(record) as AirtableRecord<F>);
      }
    }
    return result;
  }

  private async request(method: RecordedRequest['method'], table: string, records: number): Promise<void> {
    const go = async () => {
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      this.requests.push({ method, table, records, at: Date.now() });
      const index = this.failures.findIndex((f) => !f.method || f.method === method);
      if (index >= 0) throw this.failures.splice(index, 1)[0]!.error;
      if (!this.tables.has(table)) {
        throw error(
          403,
          'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
          `Invalid permissions, or the requested model was not found`,
        );
      }
    };
    await (this.limiter ? this.limiter.add(go) : go());
  }

  private table(name: string): Map<string, StoredRecord> {
    const table = this.tables.get(name);
    if (!table) throw error(403, 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND', 'model not found');
    return table;
  }

  private store(table: string, fields: Record<string, Cell>): StoredRecord {
    const record = {
      id: `rec${randomBytes(10).toString('base64url').replace(/[-_]/g, 'x').slice(0, 14)}`,
      createdTime: new Date().toISOString(),
      fields,
    };
    this.table(table).set(record.id, record);
    return record;
  }

  private validate(table: string, fields: Record<string, Cell>): void {
    const schema = this.schema.get(table)!;
    for (const [name, value] of Object.entries(fields)) {
      const field = schema.get(name);
      if (!field) throw error(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
      if (field.choices && typeof value === 'string' && value !== '' && !field.choices.includes(value)) {
        throw error(
          422,
          'INVALID_MULTIPLE_CHOICE_OPTIONS',
          `Insufficient permissions to create new select option ""${value}""`,
        );
      }
      if (field.type === 'multipleRecordLinks' && value !== null) {
        const link =
          LINKS.find((l) => l.table === table && l.field === name) ??
          LINKS.find((l) => l.to === table && l.inverse === name);
        const target = link ? (link.table === table ? link.to : link.table) : '';
        if (!Array.isArray(value))
          throw error(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${name}" cannot accept the provided value`);
        for (const id of value) {
          if (!this.tables.get(target)?.has(String(id)))
            throw error(422, 'ROW_DOES_NOT_EXIST', `Record ID ${String(id)} does not exist`);
        }
      }
      if (field.type === 'number' && value !== null && typeof value !== 'number') {
        throw error(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${name}" cannot accept the provided value`);
      }
    }
  }

  private applyFields(table: string, record: StoredRecord, fields: Record<string, Cell>): void {
    for (const [name, value] of Object.entries(fields)) {
      const link =
        LINKS.find((l) => l.table === table && l.field === name) ??
        LINKS.find((l) => l.to === table && l.inverse === name);
      if (link) {
        const before = (record.fields[name] as string[] | undefined) ?? [];
        const after = (value as string[] | null) ?? [];
        const [otherTable, otherField] =
          link.table === table ? [link.to, link.inverse] : [link.table, link.field];
        for (const id of before.filter((id) => !after.includes(id))) {
          const other = this.tables.get(otherTable)!.get(id);
          if (other)
            other.fields[otherField] = ((other.fields[otherField] as string[] | undefined) ?? []).filter(
              (x) => x !== record.id,
            );
        }
        for (const id of after.filter((id) => !before.includes(id))) {
          const other = this.tables.get(otherTable)!.get(id)!;
          other.fields[otherField] = [
            ...new Set([...((other.fields[otherField] as string[] | undefined) ?? []), record.id]),
          ];
        }
      }
      if (isEmpty(value)) delete record.fields[name];
      else record.fields[name] = Array.isArray(value) ? [...new Set(value)] : value;
    }
  }

  private visible(record: StoredRecord): AirtableRecord {
    return {
      id: record.id,
      createdTime: record.createdTime,
      fields: Object.fromEntries(
        Object.entries(record.fields)
          .filter(([, v]) => !isEmpty(v))
          .map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
      ),
    };
  }

  /** `{Field}='v'` or `OR({Field}='v', …)`; anything else is an INVALID_FILTER_BY_FORMULA. */
  private filter(table: string, formula: string): (record: StoredRecord) => boolean {
    const term = String.raw`\{([^}]+)\}\s*=\s*'((?:[^'\\]|\\.)*)'`;
    const single = new RegExp(`^${term}$`);
    const orMatch = /^OR\((.*)\)$/s.exec(formula.trim());
    const parts = orMatch ? splitTerms(orMatch[1]!) : [formula.trim()];
    const conditions = parts.map((part) => {
      const m = single.exec(part.trim());
      if (!m)
        throw error(
          422,
          'INVALID_FILTER_BY_FORMULA',
          `The formula for filtering records is invalid: ${formula}`,
        );
      const field = m[1]!;
      if (!this.schema.get(table)!.has(field))
        throw error(422, 'INVALID_FILTER_BY_FORMULA', `Unknown field names: ${field}`);
      return { field, value: m[2]!.replace(/\\(.)/g, '$1') };
    });
    return (record) => conditions.some((c) => String(record.fields[c.field] ?? '') === c.value);
  }
}

function splitTerms(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[++i] ?? '');
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function isEmpty(value: unknown): boolean {
  return (
    value === '' ||
    value === null ||
    value === undefined ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 10) out.push(items.slice(i, i + 10));
  return out;
}

function error(status: number, type: string, message: string): SourceError {
  return new SourceError(status === 429 ? 'rate-limited' : 'http-status', `${type}: ${message}`, {
    source: 'airtable',
    status,
  });
}
