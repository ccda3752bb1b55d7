import { createHash } from 'node:crypto';

/** Airtable omits "", [], false and null from reads: all of them are one "empty" value here. */
export function isEmptyValue(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** A short, stable hash of a cell value, equal for every form of "empty". */
export function hashValue(value: unknown): string {
  if (isEmptyValue(value)) return 'empty';
  return createHash('sha1').update(stableJson(value)).digest('base64url').slice(0, 16);
}

/** JSON with object keys sorted, so equal values always hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
