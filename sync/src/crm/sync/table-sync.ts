import PQueue from 'p-queue';
import type { SyncedRecord, SyncedRecordStore } from '../../store/airtable-records.js';
import { unique } from '../../util/collections.js';
import type { Logger } from '../../util/logger.js';
import { silentProgress, type Progress } from '../../util/progress.js';
import { AirtableError } from '../airtable/errors.js';
import type {
  AirtableFields,
  AirtableRecord,
  AirtableRecordsClient,
  UpsertResult,
} from '../airtable/types.js';
import type { FieldOwner, TableSpec } from '../schema/types.js';
import { MAX_RECORDS_PER_REQUEST } from '../airtable/client.js';
import { hashValue, isEmptyValue } from './field-hash.js';
import { lookupByKey } from './lookup.js';

/**
 * A write to a team field that happens only while the field still holds one of `onlyIf` (null =
 * empty), e.g. Status → "Utgått" only while Status is "Ny". Done once: afterwards the team's value
 * stands.
 */
export interface GuardedWrite {
  field: string;
  value: unknown;
  onlyIf: Array<string | null>;
}

/** What one record of a table should hold, in the fields the sync owns. */
export interface DesiredRecord {
  /** The merge-field (primary field) value. */
  key: string;
  /** Sync-owned fields; null or "" clears a cell. Written when their value changes. */
  fields: AirtableFields;
  /** Sync-owned fields sent along whenever the record is written, never a reason to write it. */
  companions?: AirtableFields;
  /** Team-owned starting values, sent only when the record is created. */
  onCreate?: AirtableFields;
  guarded?: GuardedWrite[];
  /** false: update the record when Airtable has it, never create it. */
  create?: boolean;
}

export interface PlannedWrite {
  key: string;
  kind: 'create' | 'update';
  recordId: string | null;
  /** What is sent (changed fields, companions, onCreate and applied guarded values). */
  fields: AirtableFields;
  changedFields: string[];
  guardsApplied: GuardedWrite[];
  /** Field hashes the store holds once the write succeeded. */
  hashes: Record<string, string>;
  /**
   * Field hashes the store holds while the write is under way: what is being sent is marked
   * unknown, so a crash after Airtable applied the write but before its answer was stored makes
   * the next sync send those fields again instead of trusting a stale hash.
   */
  pendingHashes: Record<string, string>;
}

export interface TableSyncResult {
  table: string;
  created: string[];
  updated: string[];
  unchanged: number;
  /** Keys that Airtable lacks and that were not to be created. */
  notInAirtable: string[];
  guardsApplied: Array<{ key: string; field: string; value: unknown }>;
  failed: Array<{ key: string; message: string }>;
  /** Every write, planned or done (the dry run prints these). */
  writes: PlannedWrite[];
}

export interface TableSyncOptions {
  client: AirtableRecordsClient;
  state: SyncedRecordStore;
  spec: TableSpec;
  desired: DesiredRecord[];
  /** Narrows look-ups to the part of the table these records live in, e.g. `{Kommunenummer}='3218'`. */
  scopeFormula?: string;
  /** Read, plan and report; write nothing to Airtable or the store. */
  dryRun?: boolean;
  /** Write requests in flight at once (the client's limiter still spaces them). */
  concurrency?: number;
  logger?: Logger;
  progress?: Progress;
  label?: string;
  now?: () => string;
}

const guardKey = (field: string) => `@guard:${field}`;
const PENDING = 'pending';
const guardHash = (guard: GuardedWrite) => hashValue({ value: guard.value, onlyIf: guard.onlyIf });
const currentValue = (value: unknown): string | null =>
  isEmptyValue(value) ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * The generic table sync: desired records of one table (only the fields the sync owns) are
 * compared with what was last written (hashes in the store) and only changed fields are sent,
 * by upsert on the merge field in requests of 10. Team fields are set on create and never again,
 * except through guarded writes. Each request's outcome is stored as soon as it lands, so an
 * interrupted sync resumes where it stopped and never duplicates a record.
 */
export async function syncTable(options: TableSyncOptions): Promise<TableSyncResult> {
  const { client, state, spec, desired } = options;
  const table = spec.name;
  const keyField = spec.primary.name;
  const now = options.now ?? (() => new Date().toISOString());
  checkOwnership(spec, desired);
  const byKey = new Map<string, DesiredRecord>();
  for (const record of desired) {
    if (byKey.has(record.key)) throw new Error(`${table}: key ${record.key} appears twice in one sync`);
    byKey.set(record.key, record);
  }
  const result: TableSyncResult = {
    table,
    created: [],
    updated: [],
    unchanged: 0,
    notInAirtable: [],
    guardsApplied: [],
    failed: [],
    writes: [],
  };
  // A stored record id of "" means "not in Airtable when last looked" (records never to be created).
  const stored = state.get(table, [...byKey.keys()]);
  const synced = new Map([...stored].filter(([, r]) => r.recordId !== ''));
  const knownAbsent = new Set([...stored].filter(([, r]) => r.recordId === '').map(([key]) => key));
  const syncFields = unique(desired.flatMap((d) => Object.keys(d.fields)));
  const guardFields = unique(desired.flatMap((d) => (d.guarded ?? []).map((g) => g.field)));

  // What Airtable holds for records the store does not know (first sync, lost store, crash).
  const current = new Map<string, AirtableRecord>();
  const failedKeys = new Set<string>();
  const unknown = desired
    .filter((d) => !synced.has(d.key) && !(d.create === false && knownAbsent.has(d.key)))
    .map((d) => d.key);
  const found = await lookupByKey(
    client,
    table,
    keyField,
    unknown,
    [keyField, ...syncFields, ...guardFields],
    {
      ...(options.scopeFormula !== undefined ? { scopeFormula: options.scopeFormula } : {}),
      knownInScope: synced.size,
    },
  );
  for (const [key, records] of found) {
    if (records.length > 1) {
      failedKeys.add(key);
      result.failed.push({
        key,
        message: `${records.length} records in "${table}" have ${keyField} = ${key}; merge or delete the duplicates in Airtable`,
      });
    } else current.set(key, records[0]!);
  }
  // Current values of guarded fields of known records whose guarded write is due.
  const guardReads = desired
    .filter(
      (d) =>
        synced.has(d.key) &&
        (d.guarded ?? []).some((g) => synced.get(d.key)!.fieldHashes[guardKey(g.field)] !== guardHash(g)),
    )
    .map((d) => d.key);
  if (guardReads.length) {
    const read = await lookupByKey(client, table, keyField, guardReads, [keyField, ...guardFields], {
      knownInScope: Number.POSITIVE_INFINITY,
    });
    for (const [key, records] of read) current.set(key, records[0]!);
  }

  const adopted: SyncedRecord[] = [];
  const writes: PlannedWrite[] = [];
  for (const record of desired) {
    if (failedKeys.has(record.key)) continue;
    const write = planRecord(record, synced.get(record.key), current.get(record.key));
    if (write === 'unchanged') result.unchanged += 1;
    else if (write === 'absent') {
      result.notInAirtable.push(record.key);
      if (!knownAbsent.has(record.key))
        adopted.push({ key: record.key, recordId: '', fieldHashes: {}, syncedAt: now() });
    } else if ('adopt' in write) {
      adopted.push({ ...write.adopt, syncedAt: now() });
      result.unchanged += 1;
    } else writes.push(write);
  }
  result.writes = writes;
  for (const write of writes)
    for (const guard of write.guardsApplied)
      result.guardsApplied.push({ key: write.key, field: guard.field, value: guard.value });
  if (options.dryRun) {
    for (const write of writes) (write.kind === 'create' ? result.created : result.updated).push(write.key);
    return result;
  }
  if (adopted.length) state.save(table, adopted);

  const progress = (options.progress ?? silentProgress).stage(
    options.label ?? `Airtable ${table}`,
    writes.length,
  );
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  let fatal: unknown = null;

  const fail = (error: unknown) => {
    if (!fatal) {
      fatal = error;
      queue.clear();
    }
  };
  /**
   * A single write Airtable refused. A record deleted in Airtable (by the team) is made again in
   * full when it may be created, and otherwise remembered as absent; anything else is reported.
   */
  const recordFailure = (write: PlannedWrite, error: AirtableError) => {
    const deleted =
      write.recordId !== null && (error.status === 404 || error.airtable.type === 'ROW_DOES_NOT_EXIST');
    const record = byKey.get(write.key)!;
    if (!deleted) result.failed.push({ key: write.key, message: error.message });
    else if (record.create === false) {
      state.save(table, [{ key: write.key, recordId: '', fieldHashes: {}, syncedAt: now() }]);
      result.notInAirtable.push(write.key);
    } else send([createWrite(record)]);
  };
  const send = (chunk: PlannedWrite[]): void => {
    void queue.add(async () => {
      try {
        if (fatal) return;
        const known = chunk.filter((w) => w.recordId !== null);
        if (known.length)
          state.save(
            table,
            known.map((w) => ({
              key: w.key,
              recordId: w.recordId!,
              fieldHashes: w.pendingHashes,
              syncedAt: now(),
            })),
          );
        let response: UpsertResult;
        try {
          // Known records go by id (an upsert never creates for an id); new ones merge on the key.
          response = await client.upsert(
            table,
            chunk.map((w) => ({
              ...(w.recordId ? { id: w.recordId } : {}),
              fields: { [keyField]: w.key, ...w.fields },
            })),
            [keyField],
          );
        } catch (error) {
          if (error instanceof AirtableError && (error.status === 422 || error.status === 404)) {
            // One bad value or one deleted record rejects the whole request: isolate it.
            if (chunk.length > 1) for (const write of chunk) send([write]);
            else recordFailure(chunk[0]!, error);
            return;
          }
          throw error;
        }
        const ids = new Map<string, string>();
        for (const record of response.records) {
          const key = record.fields[keyField];
          if (typeof key === 'string') ids.set(key, record.id);
        }
        const created = new Set(response.createdRecords);
        const saved: SyncedRecord[] = [];
        for (const write of chunk) {
          const id = ids.get(write.key);
          if (!id) continue;
          saved.push({ key: write.key, recordId: id, fieldHashes: write.hashes, syncedAt: now() });
          (write.kind === 'create' || created.has(id) ? result.created : result.updated).push(write.key);
        }
        state.save(table, saved);
        progress.tick(chunk.length);
      } catch (error) {
        fail(error);
      }
    });
  };

  for (let i = 0; i < writes.length; i += MAX_RECORDS_PER_REQUEST)
    send(writes.slice(i, i + MAX_RECORDS_PER_REQUEST));
  await queue.onIdle();
  progress.done(
    `${result.created.length} created, ${result.updated.length} updated, ${result.unchanged} unchanged` +
      (result.failed.length ? `, ${result.failed.length} failed` : ''),
  );
  if (fatal) throw fatal;
  for (const failure of result.failed)
    options.logger?.warn('Airtable rejected a record', { table, key: failure.key, error: failure.message });
  return result;
}

function planRecord(
  record: DesiredRecord,
  prior: SyncedRecord | undefined,
  current: AirtableRecord | undefined,
): PlannedWrite | 'unchanged' | 'absent' | { adopt: Omit<SyncedRecord, 'syncedAt'> } {
  if (!prior && !current) return record.create === false ? 'absent' : createWrite(record);
  const recordId = prior?.recordId ?? current!.id;
  const before: Record<string, string> = prior
    ? prior.fieldHashes
    : Object.fromEntries(Object.keys(record.fields).map((f) => [f, hashValue(current!.fields[f])]));
  const changed = Object.keys(record.fields).filter((f) => hashValue(record.fields[f]) !== before[f]);
  const due = (record.guarded ?? []).filter((g) => before[guardKey(g.field)] !== guardHash(g));
  const hashes: Record<string, string> = { ...before };
  for (const field of changed) hashes[field] = hashValue(record.fields[field]);
  for (const guard of due) hashes[guardKey(guard.field)] = guardHash(guard);
  const applied = due.filter((g) => g.onlyIf.includes(currentValue(current?.fields[g.field])));
  if (changed.length === 0 && applied.length === 0) {
    if (prior && due.length === 0) return 'unchanged';
    return { adopt: { key: record.key, recordId, fieldHashes: hashes } };
  }
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

function createWrite(record: DesiredRecord): PlannedWrite {
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

const emptyAsNull = (value: unknown) => (isEmptyValue(value) && typeof value !== 'boolean' ? null : value);

function checkOwnership(spec: TableSpec, desired: DesiredRecord[]): void {
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
  const checked = new Set<string>();
  for (const record of desired) {
    for (const field of [...Object.keys(record.fields), ...Object.keys(record.companions ?? {})]) {
      if (checked.has(field)) continue;
      check(field, ['sync'], 'synced');
      checked.add(field);
    }
    for (const field of Object.keys(record.onCreate ?? {})) check(field, ['team', 'sync'], 'set on create');
    for (const guard of record.guarded ?? []) check(guard.field, ['team'], 'a guarded write');
    if (spec.primary.name in record.fields)
      throw new Error(`${spec.name}: the merge field goes in "key", not in "fields"`);
  }
}
