import type {
  AirtableFields,
  AirtableRecord,
  AirtableRecordsClient,
  ListOptions,
  UpsertResult,
} from '../../../sync/src/crm/airtable/types.js';

/**
 * An in-memory AirtableRecordsClient that keeps Airtable's rules (notes/airtable.md): ≤ 10
 * records per write (422 otherwise), empty values ("", false, null, []) left out of reads,
 * PATCH touching only the fields sent (null clears), upsert failing the whole request when the
 * merge key matches several records. Counts requests.
 */
export class FakeAirtableRecords implements AirtableRecordsClient {
  readonly tables = new Map<string, Map<string, AirtableFields>>();
  readonly writes: Array<{ table: string; method: string; records: Array<{ fields: AirtableFields }> }> = [];
  listRequests = 0;
  private nextId = 1;

  table(name: string): Map<string, AirtableFields> {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new Map()));
    return table;
  }

  /** What the team does in the Airtable UI. */
  edit(table: string, id: string, fields: AirtableFields): void {
    Object.assign(this.table(table).get(id)!, fields);
  }

  insert(table: string, fields: AirtableFields): string {
    const id = `rec${String(this.nextId++).padStart(14, '0')}`;
    this.table(table).set(id, { ...fields });
    return id;
  }

  async listAll<F extends AirtableFields>(
    table: string,
    options: ListOptions = {},
  ): Promise<AirtableRecord<F>[]> {
    const rows = [...this.table(table)];
    this.listRequests += Math.max(1, Math.ceil(rows.length / 100));
    return rows.map(([id, fields]) => ({ id, fields: read(fields, options.fields) as Partial<F> }));
  }

  async get<F extends AirtableFields>(table: string, recordId: string): Promise<AirtableRecord<F> | null> {
    const fields = this.table(table).get(recordId);
    return fields ? { id: recordId, fields: read(fields) as Partial<F> } : null;
  }

  async create<F extends AirtableFields>(
    table: string,
    records: Array<{ fields: Partial<F> }>,
  ): Promise<AirtableRecord<F>[]> {
    this.check(table, 'create', records);
    return records.map((r) => {
      const id = this.insert(table, clean(r.fields));
      return { id, fields: read(this.table(table).get(id)!) as Partial<F> };
    });
  }

  async update<F extends AirtableFields>(
    table: string,
    records: Array<{ id: string; fields: Partial<F> }>,
  ): Promise<AirtableRecord<F>[]> {
    this.check(table, 'update', records);
    for (const r of records) if (!this.table(table).has(r.id)) throw new Error('422 ROW_DOES_NOT_EXIST');
    return records.map((r) => {
      const current = this.table(table).get(r.id)!;
      patch(current, r.fields);
      return { id: r.id, fields: read(current) as Partial<F> };
    });
  }

  async upsert<F extends AirtableFields>(
    table: string,
    records: Array<{ fields: Partial<F> }>,
    fieldsToMergeOn: string[],
  ): Promise<UpsertResult<F>> {
    this.check(table, 'upsert', records);
    const rows = this.table(table);
    const matches = records.map((r) =>
      [...rows]
        .filter(([, fields]) => fieldsToMergeOn.every((f) => fields[f] === r.fields[f]))
        .map(([id]) => id),
    );
    if (matches.some((m) => m.length > 1))
      throw new Error('422 INVALID_VALUE_FOR_COLUMN: more than one record matches');
    const result: UpsertResult<F> = { records: [], createdRecords: [], updatedRecords: [] };
    records.forEach((r, i) => {
      const id = matches[i]![0] ?? this.insert(table, {});
      patch(rows.get(id)!, r.fields);
      (matches[i]![0] ? result.updatedRecords : result.createdRecords).push(id);
      result.records.push({ id, fields: read(rows.get(id)!) as Partial<F> });
    });
    return result;
  }

  private check(table: string, method: string, records: Array<{ fields: AirtableFields }>) {
    if (records.length > 10)
      throw new Error(`422 INVALID_REQUEST_UNKNOWN: ${records.length} records in one request (max 10)`);
    this.writes.push({ table, method, records: records.map((r) => ({ fields: { ...r.fields } })) });
  }
}

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);

function clean(fields: AirtableFields): AirtableFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => !isEmpty(v)));
}

function patch(target: AirtableFields, fields: AirtableFields): void {
  for (const [k, v] of Object.entries(fields)) {
    if (isEmpty(v)) delete target[k];
    else target[k] = v;
  }
}

function read(fields: AirtableFields, only?: string[]): AirtableFields {
  return Object.fromEntries(
    Object.entries(fields).filter(([k, v]) => !isEmpty(v) && (!only || only.includes(k))),
  );
}
