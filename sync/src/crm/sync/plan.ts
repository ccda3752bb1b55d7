import type { SyncedRecord } from '../../store/airtable-records.js';
import type { AirtableFields, AirtableRecord } from '../airtable/types.js';
import { hashValue, isEmptyValue } from './field-hash.js';
import type { DesiredRecord, GuardedWrite, PlannedWrite, TableSyncResult } from './types.js';

/** A record to store without writing it: found already right, or (recordId "") not in Airtable. */
export type Adoption = Omit<SyncedRecord, 'syncedAt'>;

export type RecordPlan = PlannedWrite | 'unchanged' | 'absent' | { adopt: Adoption };

export interface PlanInput {
  desired: DesiredRecord[];
  /** What the store last wrote, per key (only records with a record id). */
  synced: Map<string, SyncedRecord>;
  /** What Airtable holds for keys the store does not know, and for known keys with a guard due. */
  current: Map<string, AirtableRecord>;
  /** Keys the store remembers as not in Airtable. */
  knownAbsent: Set<string>;
  /** Keys not to plan at all (reported elsewhere, e.g. duplicates in Airtable). */
  skip: Set<string>;
}

export interface TablePlan {
  writes: PlannedWrite[];
  adopted: Adoption[];
  unchanged: number;
  notInAirtable: string[];
}

// The store keeps, next to the field hashes, which guarded write was last done on a record.
const guardKey = (field: string) => `@guard:${field}`;
const guardHash = (guard: GuardedWrite) => hashValue({ value: guard.value, onlyIf: guard.onlyIf });
const PENDING = 'pending';
/**
 * A field with no stored hash was added to the table after the record was last written, so its
 * cell is still empty: an empty value is no change (adding a field costs no write per record).
 */
const NEW_FIELD = hashValue(null);

const currentValue = (value: unknown): string | null =>
  isEmptyValue(value) ? null : typeof value === 'string' ? value : JSON.stringify(value);

const emptyAsNull = (value: unknown) => (isEmptyValue(value) && typeof value !== 'boolean' ? null : value);

/** Every record's plan, in the order of `desired`. Reads nothing and writes nothing. */
export function planTable(input: PlanInput): TablePlan {
  const plan: TablePlan = { writes: [], adopted: [], unchanged: 0, notInAirtable: [] };
  for (const record of input.desired) {
    if (input.skip.has(record.key)) continue;
    const write = planRecord(record, input.synced.get(record.key), input.current.get(record.key));
    if (write === 'unchanged') plan.unchanged += 1;
    else if (write === 'absent') {
      plan.notInAirtable.push(record.key);
      if (!input.knownAbsent.has(record.key))
        plan.adopted.push({ key: record.key, recordId: '', fieldHashes: {} });
    } else if ('adopt' in write) {
      plan.adopted.push(write.adopt);
      plan.unchanged += 1;
    } else plan.writes.push(write);
  }
  return plan;
}

/**
 * One record's write, from what the store last wrote (`prior`) or, when the store does not know
 * the record, from what Airtable holds (`current`).
 */
export function planRecord(
  record: DesiredRecord,
  prior: SyncedRecord | undefined,
  current: AirtableRecord | undefined,
): RecordPlan {
  if (!prior && !current) return record.create === false ? 'absent' : createWrite(record);
  const recordId = prior?.recordId ?? current!.id;
  const before = prior ? prior.fieldHashes : hashesOf(record, current!);
  const changed = Object.keys(record.fields).filter(
    (f) => hashValue(record.fields[f]) !== (before[f] ?? NEW_FIELD),
  );
  const due = dueGuards(record, before);
  const hashes: Record<string, string> = { ...before };
  for (const field of changed) hashes[field] = hashValue(record.fields[field]);
  for (const guard of due) hashes[guardKey(guard.field)] = guardHash(guard);
  const applied = due.filter((g) => g.onlyIf.includes(currentValue(current?.fields[g.field])));
  if (changed.length === 0 && applied.length === 0) {
    if (prior && due.length === 0) return 'unchanged';
    return { adopt: { key: record.key, recordId, fieldHashes: hashes } };
  }
  return updateWrite(record, recordId, changed, applied, hashes);
}

/** The guarded writes not yet done on a record whose stored hashes are `hashes`. */
export function dueGuards(record: DesiredRecord, hashes: Record<string, string>): GuardedWrite[] {
  return (record.guarded ?? []).filter((g) => hashes[guardKey(g.field)] !== guardHash(g));
}

/** The hashes of what Airtable holds in the record's sync fields. */
function hashesOf(record: DesiredRecord, current: AirtableRecord): Record<string, string> {
  return Object.fromEntries(Object.keys(record.fields).map((f) => [f, hashValue(current.fields[f])]));
}

function updateWrite(
  record: DesiredRecord,
  recordId: string,
  changed: string[],
  applied: GuardedWrite[],
  hashes: Record<string, string>,
): PlannedWrite {
  const fields: AirtableFields = { ...record.companions };
  for (const field of changed) fields[field] = emptyAsNull(record.fields[field]);
  for (const guard of applied) fields[guard.field] = guard.value;
  const pendingHashes = { ...hashes };
  for (const field of changed) pendingHashes[field] = PENDING;
  for (const guard of applied) pendingHashes[guardKey(guard.field)] = PENDING;
  return {
    key: record.key,
    kind: 'update',
    recordId,
    fields,
    changedFields: changed,
    guardsApplied: applied,
    hashes,
    pendingHashes,
  };
}

/**
 * The record in full, with the team's starting values; empty cells are left out (Airtable has
 * nothing to clear yet). A guard allowed on an empty cell applies unless onCreate sets its field.
 */
export function createWrite(record: DesiredRecord): PlannedWrite {
  const fields: AirtableFields = {};
  for (const [field, value] of Object.entries({ ...record.fields, ...record.companions }))
    if (!isEmptyValue(value)) fields[field] = value;
  Object.assign(fields, record.onCreate);
  const hashes: Record<string, string> = {};
  for (const [field, value] of Object.entries(record.fields)) hashes[field] = hashValue(value);
  const applied: GuardedWrite[] = [];
  for (const guard of record.guarded ?? []) {
    hashes[guardKey(guard.field)] = guardHash(guard);
    if (!(guard.field in fields) && guard.onlyIf.includes(null)) {
      fields[guard.field] = guard.value;
      applied.push(guard);
    }
  }
  return {
    key: record.key,
    kind: 'create',
    recordId: null,
    fields,
    changedFields: Object.keys(record.fields),
    guardsApplied: applied,
    hashes,
    pendingHashes: {},
  };
}

export function guardsAppliedOf(writes: PlannedWrite[]): TableSyncResult['guardsApplied'] {
  return writes.flatMap((w) => w.guardsApplied.map((g) => ({ key: w.key, field: g.field, value: g.value })));
}
