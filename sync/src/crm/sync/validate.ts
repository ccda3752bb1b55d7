import type { FieldOwner, TableSpec } from '../schema/types.js';
import type { DesiredRecord } from './types.js';

/**
 * Refuses (throws) a sync that would write a field the sync does not own: fields and companions
 * must be the sync's, onCreate may set team fields, guarded writes go only to team fields.
 */
export function checkOwnership(spec: TableSpec, desired: DesiredRecord[]): void {
  const owners = new Map<string, FieldOwner>([
    [spec.primary.name, spec.primary.owner],
    ...spec.fields.map((f) => [f.name, f.owner] as const),
  ]);
  const check = (field: string, allowed: FieldOwner[], role: string) => {
    const owner = owners.get(field);
    if (!owner) throw new Error(`${spec.name}: field "${field}" is not in the table's schema`);
    if (!allowed.includes(owner))
      throw new Error(`${spec.name}: field "${field}" is owned by ${owner} and cannot be ${role}`);
  };
  for (const record of desired) {
    for (const field of [...Object.keys(record.fields), ...Object.keys(record.companions ?? {})])
      check(field, ['sync'], 'synced');
    for (const field of Object.keys(record.onCreate ?? {})) check(field, ['team', 'sync'], 'set on create');
    for (const guard of record.guarded ?? []) check(guard.field, ['team'], 'a guarded write');
    if (spec.primary.name in record.fields)
      throw new Error(`${spec.name}: the merge field goes in "key", not in "fields"`);
  }
}

/** The desired records by key; a key twice would make two writes race for one record. */
export function indexByKey(table: string, desired: DesiredRecord[]): Map<string, DesiredRecord> {
  const byKey = new Map<string, DesiredRecord>();
  for (const record of desired) {
    if (byKey.has(record.key)) throw new Error(`${table}: key ${record.key} appears twice in one sync`);
    byKey.set(record.key, record);
  }
  return byKey;
}
