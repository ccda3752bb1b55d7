import { SourceError, type SourceFailureKind } from '../../util/errors.js';
import { EiereField, eiereTable } from '../schema/eiere.js';

/** Values never put in an error message: owners' personal data (logs must not hold it). */
const PERSONAL_FIELDS: Record<string, string[]> = {
  [eiereTable.name]: [EiereField.navn, EiereField.telefon, EiereField.epost, EiereField.notater],
};

export interface AirtableErrorDetail {
  /** Airtable's error type, e.g. INVALID_VALUE_FOR_COLUMN; null when the body had none. */
  type: string | null;
  message: string | null;
  table?: string;
  field?: string;
  /** The value we sent for `field`, shortened. */
  value?: string;
  /** The merge key (or record id) of the record that carried the value. */
  record?: string;
}

/**
 * An Airtable request that failed for good. The message names the table, and for a rejected
 * write the field and the value we sent, because Airtable's own message names only the field.
 */
export class AirtableError extends SourceError {
  constructor(
    kind: SourceFailureKind,
    readonly airtable: AirtableErrorDetail,
    context: { url?: string; status?: number },
    hint?: string,
  ) {
    super(kind, describe(airtable, hint), { source: 'airtable', ...context });
    this.name = 'AirtableError';
  }

  get status(): number | undefined {
    return this.context.status;
  }
}

function describe(detail: AirtableErrorDetail, hint?: string): string {
  const parts = [
    detail.table ? `table "${detail.table}"` : null,
    [detail.type, detail.message].filter(Boolean).join(' ') || null,
    detail.field
      ? `field "${detail.field}"${detail.value !== undefined ? `, value ${detail.value}` : ''}` +
        (detail.record ? ` (record ${detail.record})` : '')
      : null,
    hint ?? null,
  ];
  return parts.filter(Boolean).join(': ');
}

/** What was sent, so that an error can name the table, the rejected field and its value. */
export interface SentCall {
  table?: string;
  records?: SentRecord[];
  /** The merge field whose value names a record in a 422 (e.g. Tomt-ID). */
  keyField?: string;
}

/** The error for a response Airtable refused for good, with what to do about it. */
export function airtableErrorFor(status: number, text: string, call: SentCall, url: string): AirtableError {
  const body = parseErrorBody(text);
  const detail = { type: body.type, message: body.message, table: call.table };
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

/** Reads `{"error": {"type", "message"}}`, or the bare `{"error": "NOT_FOUND"}` Airtable sends for bad routes. */
export function parseErrorBody(text: string): { type: string | null; message: string | null } {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return { type: body.error, message: null };
    if (body.error && typeof body.error === 'object') {
      const error = body.error as { type?: unknown; message?: unknown };
      return {
        type: typeof error.type === 'string' ? error.type : null,
        message: typeof error.message === 'string' ? error.message : null,
      };
    }
  } catch {
    // not JSON: an HTML error page from a proxy
  }
  return { type: null, message: text.trim() ? text.trim().slice(0, 200) : null };
}

type SentRecord = { id?: string; fields?: Record<string, unknown> };

/**
 * Which field (and value) a 422 is about. Airtable names the field in the message
 * (`Field "X" cannot accept the provided value`, `Unknown field name: "X"`) or only the value
 * (`Insufficient permissions to create new select option ""X""`); the other half comes from what
 * we sent.
 */
export function locateRejectedValue(
  message: string | null,
  records: SentRecord[],
  keyField?: string,
  table?: string,
): Pick<AirtableErrorDetail, 'field' | 'value' | 'record'> {
  if (!message) return {};
  const fieldMatch = /Field "([^"]+)"/.exec(message) ?? /Unknown field name: "([^"]+)"/.exec(message);
  const optionMatch = /select option "+([^"]+)"+/.exec(message);
  for (const record of records) {
    const fields = record.fields ?? {};
    for (const [name, value] of Object.entries(fields)) {
      const hit = fieldMatch
        ? name === fieldMatch[1]
        : optionMatch
          ? value === optionMatch[1] || (Array.isArray(value) && value.includes(optionMatch[1]))
          : false;
      if (hit) {
        const key =
          keyField && typeof fields[keyField] === 'string' ? (fields[keyField] as string) : record.id;
        const personal = table !== undefined && PERSONAL_FIELDS[table]?.includes(name);
        return {
          field: name,
          value: personal ? '(personal data, not shown)' : shorten(value),
          record: key,
        };
      }
    }
  }
  return fieldMatch ? { field: fieldMatch[1]! } : {};
}

export function shorten(value: unknown, max = 80): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
