/**
 * The Airtable calls the service makes, as an interface: the real client (over undici, with the
 * per-base limiter) implements it, and everything that writes to Airtable (lot sync, kommune
 * ranking, owner lookup) depends only on this.
 */
export type AirtableFields = Record<string, unknown>;

export interface AirtableRecord<F extends AirtableFields = AirtableFields> {
  id: string;
  createdTime?: string;
  /** Airtable omits empty values ("", [], false): a missing key means empty. */
  fields: Partial<F>;
}

export interface UpsertResult<F extends AirtableFields = AirtableFields> {
  records: AirtableRecord<F>[];
  createdRecords: string[];
  updatedRecords: string[];
}

export interface ListOptions {
  fields?: string[];
  filterByFormula?: string;
  view?: string;
}

export interface WriteOptions {
  typecast?: boolean;
}

/** Record calls. Writes of any length are split into requests of at most 10 records. */
export interface AirtableRecordsClient {
  listAll<F extends AirtableFields>(table: string, options?: ListOptions): Promise<AirtableRecord<F>[]>;
  get<F extends AirtableFields>(table: string, recordId: string): Promise<AirtableRecord<F> | null>;
  create<F extends AirtableFields>(
    table: string,
    records: Array<{ fields: Partial<F> }>,
    options?: WriteOptions,
  ): Promise<AirtableRecord<F>[]>;
  /** PATCH: only the fields sent are touched. */
  update<F extends AirtableFields>(
    table: string,
    records: Array<{ id: string; fields: Partial<F> }>,
    options?: WriteOptions,
  ): Promise<AirtableRecord<F>[]>;
  /**
   * PATCH with performUpsert.fieldsToMergeOn; keeps Airtable's createdRecords/updatedRecords.
   * A record given with `id` updates that record (and fails if it is gone) instead of merging.
   */
  upsert<F extends AirtableFields>(
    table: string,
    records: Array<{ id?: string; fields: Partial<F> }>,
    fieldsToMergeOn: string[],
    options?: WriteOptions,
  ): Promise<UpsertResult<F>>;
}

export interface AirtableFieldModel {
  id: string;
  name: string;
  type: string;
  options?: Record<string, unknown>;
  description?: string;
}

export interface AirtableTableModel {
  id: string;
  name: string;
  primaryFieldId: string;
  description?: string;
  fields: AirtableFieldModel[];
}

/** Metadata API calls (setup-base). */
export interface AirtableMetaClient {
  listTables(): Promise<AirtableTableModel[]>;
  createTable(table: {
    name: string;
    description?: string;
    fields: Array<Omit<AirtableFieldModel, 'id'>>;
  }): Promise<AirtableTableModel>;
  createField(tableId: string, field: Omit<AirtableFieldModel, 'id'>): Promise<AirtableFieldModel>;
}
