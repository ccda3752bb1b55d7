/** Field types the Metadata API can create (airtable.com/developers/web/api/field-model). */
export type AirtableFieldType =
  | 'singleLineText'
  | 'multilineText'
  | 'number'
  | 'percent'
  | 'checkbox'
  | 'singleSelect'
  | 'multipleSelects'
  | 'date'
  | 'dateTime'
  | 'url'
  | 'email'
  | 'phoneNumber'
  | 'multipleRecordLinks'
  | 'multipleAttachments';

/**
 * Who writes a field. `sync`: the nightly job, every night it changes. `team`: the sales team;
 * set once when a record is created (if at all) and never written again by the service.
 * `lookup`: the owner-lookup job (owners, lookup state), never the nightly sync.
 * `enrichment`: the owner enrichment from the Enhetsregisteret (Utbygger marks); not a sign the
 * team has worked the record.
 */
export type FieldOwner = 'sync' | 'team' | 'lookup' | 'enrichment';

export interface FieldSpec {
  name: string;
  type: AirtableFieldType;
  options?: Record<string, unknown>;
  owner: FieldOwner;
  description?: string;
}

export interface TableSpec {
  name: string;
  description: string;
  /** The first field; also the merge key for upserts. */
  primary: FieldSpec;
  fields: FieldSpec[];
}

export const precision = (digits: number) => ({ precision: digits });
export const choices = (...names: string[]) => ({ choices: names.map((name) => ({ name })) });
export const isoDate = { dateFormat: { name: 'iso' } };
