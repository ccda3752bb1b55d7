import { createHash } from 'node:crypto';
import { stableJson } from '../../util/stable-json.js';

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
