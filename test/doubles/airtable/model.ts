import { randomBytes } from 'node:crypto';

/**
 * The in-memory bases of the Airtable double: tables with typed fields (as the Metadata API
 * creates them) and records validated against them the way the Web API validates writes.
 *
 * Error types follow shared/reference/notes/airtable.md §1.8. Where Airtable's type for a case
 * is not documented (a write of more than 10 records, an ambiguous upsert, a duplicate field
 * name) the double answers 422 INVALID_REQUEST_UNKNOWN with a message saying what was wrong.
 */
export class DoubleHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export const airtableError = (status: number, type: string, message?: string) =>
  new DoubleHttpError(status, { error: message === undefined ? { type } : { type, message } });

export const modelNotFound = () =>
  airtableError(
    403,
    'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
    'Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.',
  );

export const invalidRequest = (message: string) => airtableError(422, 'INVALID_REQUEST_UNKNOWN', message);

export interface DoubleField {
  id: string;
  name: string;
  type: string;
  options?: Record<string, unknown>;
  description?: string;
}

export interface DoubleRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface DoubleTable {
  id: string;
  name: string;
  description?: string;
  primaryFieldId: string;
  fields: DoubleField[];
  records: Map<string, DoubleRecord>;
}

export interface DoubleBase {
  id: string;
  tables: DoubleTable[];
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Airtable ids: a prefix and 14 letters or digits (e.g. rec8Gq1wPz0aBcD12). */
export const newId = (prefix: string) =>
  prefix + [...randomBytes(14)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');

const TEXT_TYPES = new Set(['singleLineText', 'multilineText', 'url', 'email', 'phoneNumber', 'richText']);
const COMPUTED_TYPES = new Set([
  'formula',
  'rollup',
  'multipleLookupValues',
  'count',
  'autoNumber',
  'createdTime',
  'lastModifiedTime',
  'createdBy',
  'lastModifiedBy',
  'button',
]);
const PRIMARY_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'percent',
  'currency',
  'date',
  'dateTime',
  'autoNumber',
  'formula',
]);
const CREATABLE_TYPES = new Set([
  ...TEXT_TYPES,
  'number',
  'percent',
  'currency',
  'checkbox',
  'singleSelect',
  'multipleSelects',
  'date',
  'dateTime',
  'multipleRecordLinks',
  'multipleAttachments',
  'singleCollaborator',
  'multipleCollaborators',
  'rating',
  'duration',
]);
const MERGEABLE_TYPES = new Set([
  'singleLineText',
  'multilineText',
  'number',
  'singleSelect',
  'multipleSelects',
  'date',
  'email',
  'url',
  'phoneNumber',
]);
/** Long text and single line text cells hold at most 100,000 characters (support: "Using rich text"). */
export const MAX_TEXT_LENGTH = 100_000;
const COLORS = ['blueLight2', 'cyanLight2', 'tealLight2', 'greenLight2', 'yellowLight2', 'orangeLight2'];

export function findTable(base: DoubleBase, idOrName: string): DoubleTable {
  const table = base.tables.find((t) => t.id === idOrName || t.name === idOrName);
  if (!table) throw modelNotFound();
  return table;
}

export function fieldByName(table: DoubleTable, name: string): DoubleField | undefined {
  return table.fields.find((f) => f.name === name || f.id === name);
}

/** Validates a field config as the Metadata API does on create, and gives it ids. */
export function buildField(base: DoubleBase, table: { fields: DoubleField[] }, input: unknown): DoubleField {
  const field = input as Partial<DoubleField> | null;
  if (!field || typeof field.name !== 'string' || field.name.trim() === '')
    throw invalidRequest('Field name is missing or empty');
  if (table.fields.some((f) => f.name.toLowerCase() === field.name!.toLowerCase()))
    throw invalidRequest(
      `Field name "${field.name}" already exists in this table (names are case-insensitive)`,
    );
  if (typeof field.type !== 'string' || !CREATABLE_TYPES.has(field.type))
    throw invalidRequest(`Field type "${String(field.type)}" cannot be created through the API`);
  const options = (field.options ?? undefined) as Record<string, unknown> | undefined;
  const need = (ok: boolean, what: string) => {
    if (!ok) throw invalidRequest(`Field "${field.name}" of type ${field.type}: ${what}`);
  };
  let built = options;
  switch (field.type) {
    case 'number':
    case 'percent':
      need(
        typeof options?.precision === 'number' && options.precision >= 0 && options.precision <= 8,
        'options.precision (0–8) is required',
      );
      break;
    case 'currency':
      need(
        typeof options?.precision === 'number' && typeof options.symbol === 'string',
        'precision and symbol',
      );
      break;
    case 'singleSelect':
    case 'multipleSelects': {
      const choices = options?.choices;
      need(
        Array.isArray(choices) && choices.every((c) => typeof (c as { name?: unknown }).name === 'string'),
        'options.choices [{name}] is required',
      );
      built = {
        choices: (choices as Array<{ name: string; color?: string }>).map((c, i) => ({
          id: newId('sel'),
          name: c.name,
          color: c.color ?? COLORS[i % COLORS.length],
        })),
      };
      break;
    }
    case 'checkbox':
      need(typeof options?.color === 'string' && typeof options.icon === 'string', 'options.color and icon');
      break;
    case 'date':
      need(
        typeof (options?.dateFormat as { name?: unknown } | undefined)?.name === 'string',
        'options.dateFormat.name is required',
      );
      break;
    case 'dateTime':
      need(
        typeof options?.timeZone === 'string' && Boolean(options.dateFormat) && Boolean(options.timeFormat),
        'timeZone, dateFormat and timeFormat are required',
      );
      break;
    case 'multipleRecordLinks': {
      const linked = base.tables.find((t) => t.id === options?.linkedTableId);
      need(Boolean(linked), 'options.linkedTableId must name an existing table id');
      break;
    }
    default:
      need(options === undefined || Object.keys(options).length === 0, 'takes no options');
      built = undefined;
  }
  return {
    id: newId('fld'),
    name: field.name,
    type: field.type,
    ...(built ? { options: built } : {}),
    ...(typeof field.description === 'string' ? { description: field.description } : {}),
  };
}

export function createTable(base: DoubleBase, input: unknown): DoubleTable {
  const spec = input as { name?: unknown; description?: unknown; fields?: unknown } | null;
  if (!spec || typeof spec.name !== 'string' || spec.name.trim() === '')
    throw invalidRequest('Table name is missing');
  if (base.tables.some((t) => t.name.toLowerCase() === (spec.name as string).toLowerCase()))
    throw invalidRequest(`A table named "${spec.name}" already exists`);
  if (typeof spec.description === 'string' && spec.description.length > 20_000)
    throw invalidRequest('Table description is longer than 20,000 characters');
  if (!Array.isArray(spec.fields) || spec.fields.length === 0)
    throw invalidRequest('A table needs at least one field');
  const table: DoubleTable = {
    id: newId('tbl'),
    name: spec.name,
    ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
    primaryFieldId: '',
    fields: [],
    records: new Map(),
  };
  for (const input of spec.fields) {
    if ((input as { type?: string }).type === 'multipleRecordLinks')
      throw invalidRequest('Create link fields after the table (the linked table must exist)');
    table.fields.push(buildField(base, table, input));
  }
  if (!PRIMARY_TYPES.has(table.fields[0]!.type))
    throw invalidRequest(`Field type ${table.fields[0]!.type} cannot be the primary field`);
  table.primaryFieldId = table.fields[0]!.id;
  base.tables.push(table);
  return table;
}

/** Adds a field; a link field also gets its inverse in the linked table, named after this table. */
export function addField(base: DoubleBase, table: DoubleTable, input: unknown): DoubleField {
  const field = buildField(base, table, input);
  if (field.type === 'multipleRecordLinks') {
    const linked = base.tables.find((t) => t.id === field.options!.linkedTableId)!;
    let name = table.name;
    for (let n = 2; linked.fields.some((f) => f.name.toLowerCase() === name.toLowerCase()); n += 1)
      name = `${table.name} ${n}`;
    const inverse: DoubleField = {
      id: newId('fld'),
      name,
      type: 'multipleRecordLinks',
      options: {
        linkedTableId: table.id,
        inverseLinkFieldId: field.id,
        isReversed: false,
        prefersSingleRecordLink: false,
      },
    };
    field.options = {
      ...field.options,
      inverseLinkFieldId: inverse.id,
      isReversed: false,
      prefersSingleRecordLink: false,
    };
    if (linked !== table) linked.fields.push(inverse);
  }
  table.fields.push(field);
  return field;
}

export function tableModel(table: DoubleTable) {
  return {
    id: table.id,
    name: table.name,
    primaryFieldId: table.primaryFieldId,
    ...(table.description ? { description: table.description } : {}),
    fields: table.fields.map((f) => ({ ...f })),
    views: [{ id: `viw${table.id.slice(3)}`, name: 'Grid view', type: 'grid' }],
  };
}

const cannotAccept = (field: DoubleField) =>
  airtableError(422, 'INVALID_VALUE_FOR_COLUMN', `Field "${field.name}" cannot accept the provided value`);

/** Checks one cell value against its field; returns the value to store (after typecast). */
export function validateCell(
  base: DoubleBase,
  field: DoubleField,
  value: unknown,
  typecast: boolean,
): unknown {
  if (COMPUTED_TYPES.has(field.type))
    throw airtableError(
      422,
      'INVALID_VALUE_FOR_COLUMN',
      `Field "${field.name}" cannot accept a value because the field is computed`,
    );
  if (value === null || value === undefined) return null;
  if (TEXT_TYPES.has(field.type)) {
    if (typeof value !== 'string') {
      if (typecast && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
      throw cannotAccept(field);
    }
    if (value.length > MAX_TEXT_LENGTH) throw cannotAccept(field);
    return value;
  }
  switch (field.type) {
    case 'number':
    case 'percent':
    case 'currency':
    case 'rating':
    case 'duration': {
      const n = typecast && typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw cannotAccept(field);
      return n;
    }
    case 'checkbox':
      if (typeof value !== 'boolean') throw cannotAccept(field);
      return value;
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
        throw cannotAccept(field);
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw cannotAccept(field);
      return new Date(value).toISOString();
    case 'singleSelect':
      if (typeof value !== 'string') throw cannotAccept(field);
      return selectOption(field, value, typecast);
    case 'multipleSelects':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw cannotAccept(field);
      return (value as string[]).map((v) => selectOption(field, v, typecast));
    case 'multipleRecordLinks': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw cannotAccept(field);
      const linked = base.tables.find((t) => t.id === field.options?.linkedTableId);
      for (const id of value as string[]) {
        if (!linked?.records.has(id))
          throw airtableError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${id} does not exist`);
      }
      return [...new Set(value as string[])];
    }
    default:
      return value;
  }
}

function selectOption(field: DoubleField, name: string, typecast: boolean): string {
  const choices = (field.options?.choices ?? []) as Array<{ id: string; name: string; color?: string }>;
  if (choices.some((c) => c.name === name)) return name;
  if (!typecast)
    throw airtableError(
      422,
      'INVALID_MULTIPLE_CHOICE_OPTIONS',
      `Insufficient permissions to create new select option ""${name}""`,
    );
  choices.push({ id: newId('sel'), name, color: COLORS[choices.length % COLORS.length] });
  field.options = { ...field.options, choices };
  return name;
}

/** Airtable drops empty values from records: "", [], false and null read back as absent. */
export function isEmptyCell(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Validates a whole fields object; unknown names fail with UNKNOWN_FIELD_NAME. */
export function validateFields(
  base: DoubleBase,
  table: DoubleTable,
  fields: unknown,
  typecast: boolean,
): Record<string, unknown> {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields))
    throw airtableError(
      422,
      'INVALID_REQUEST_MISSING_FIELDS',
      'Could not find field "fields" in the request body',
    );
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields as Record<string, unknown>)) {
    const field = fieldByName(table, name);
    if (!field) throw airtableError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
    out[field.name] = validateCell(base, field, value, typecast);
  }
  return out;
}

export function mergeableField(table: DoubleTable, name: string): DoubleField {
  const field = fieldByName(table, name);
  if (!field) throw airtableError(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${name}"`);
  if (!MERGEABLE_TYPES.has(field.type))
    throw invalidRequest(`Field "${field.name}" of type ${field.type} cannot be used in fieldsToMergeOn`);
  return field;
}

/** Writes cells into a record (PATCH semantics, or PUT when `replace`), keeping link fields symmetric. */
export function writeRecord(
  base: DoubleBase,
  table: DoubleTable,
  record: DoubleRecord,
  fields: Record<string, unknown>,
  replace: boolean,
): void {
  const before = { ...record.fields };
  if (replace) record.fields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (isEmptyCell(value)) delete record.fields[name];
    else record.fields[name] = value;
  }
  for (const field of table.fields) {
    if (field.type !== 'multipleRecordLinks') continue;
    const was = (before[field.name] as string[] | undefined) ?? [];
    const now = (record.fields[field.name] as string[] | undefined) ?? [];
    if (was.join() === now.join()) continue;
    const linked = base.tables.find((t) => t.id === field.options?.linkedTableId);
    const inverse = linked?.fields.find((f) => f.id === field.options?.inverseLinkFieldId);
    if (!linked || !inverse) continue;
    for (const id of was.filter((id) => !now.includes(id))) {
      const other = linked.records.get(id);
      const list = ((other?.fields[inverse.name] as string[] | undefined) ?? []).filter(
        (x) => x !== record.id,
      );
      if (other) {
        if (list.length) other.fields[inverse.name] = list;
        else delete other.fields[inverse.name];
      }
    }
    for (const id of now.filter((id) => !was.includes(id))) {
      const other = linked.records.get(id);
      if (other)
        other.fields[inverse.name] = [...((other.fields[inverse.name] as string[]) ?? []), record.id];
    }
  }
}

export function recordJson(record: DoubleRecord, onlyFields?: string[]) {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.fields)) {
    if (!onlyFields || onlyFields.includes(name)) fields[name] = value;
  }
  return { id: record.id, createdTime: record.createdTime, fields };
}
