import type { SyncedRecord, SyncedRecordStore } from '../../store/airtable-records.js';
import { unique } from '../../util/collections.js';
import type { AirtableRecord } from '../airtable/types.js';
import { lookupByKey } from './lookup.js';
import { dueGuards } from './plan.js';
import type { DesiredRecord, FailedRecord, TableSyncOptions } from './types.js';

/** What the store and Airtable know about the desired records before anything is planned. */
export interface TableState {
  /** What the store last wrote, per key (records with a record id). */
  synced: Map<string, SyncedRecord>;
  /** Keys the store remembers as not in Airtable (stored with record id ""). */
  knownAbsent: Set<string>;
  /** What Airtable holds for keys the store does not know, and for known keys with a guard due. */
  current: Map<string, AirtableRecord>;
  /** Keys found on more than one Airtable record. */
  duplicates: FailedRecord[];
}

type ReadOptions = Pick<TableSyncOptions, 'client' | 'state' | 'spec' | 'desired' | 'scopeFormula'>;

/**
 * Reads the store, then Airtable only where the store cannot answer: records it does not know
 * (first sync, lost store, crash) and the current value of team fields a guarded write is due on.
 */
export async function readTableState(options: ReadOptions): Promise<TableState> {
  const { synced, knownAbsent } = readStore(options.state, options.spec.name, options.desired);
  const { current, duplicates } = await lookUpUnknown(options, synced, knownAbsent);
  for (const [key, record] of await readGuardedFields(options, synced)) current.set(key, record);
  return { synced, knownAbsent, current, duplicates };
}

function readStore(state: SyncedRecordStore, table: string, desired: DesiredRecord[]) {
  const stored = state.get(
    table,
    desired.map((d) => d.key),
  );
  const synced = new Map([...stored].filter(([, r]) => r.recordId !== ''));
  const knownAbsent = new Set([...stored].filter(([, r]) => r.recordId === '').map(([key]) => key));
  return { synced, knownAbsent };
}

async function lookUpUnknown(
  options: ReadOptions,
  synced: Map<string, SyncedRecord>,
  knownAbsent: Set<string>,
): Promise<{ current: Map<string, AirtableRecord>; duplicates: FailedRecord[] }> {
  const { client, spec, desired } = options;
  const keyField = spec.primary.name;
  const unknown = desired
    .filter((d) => !synced.has(d.key) && !(d.create === false && knownAbsent.has(d.key)))
    .map((d) => d.key);
  const syncFields = unique(desired.flatMap((d) => Object.keys(d.fields)));
  const found = await lookupByKey(
    client,
    spec.name,
    keyField,
    unknown,
    [keyField, ...syncFields, ...guardFields(desired)],
    {
      scopeFormula: options.scopeFormula,
      knownInScope: synced.size,
    },
  );
  return separateDuplicates(found, spec.name, keyField);
}

/** One record per key; a key on several records is reported instead (an upsert on it would fail). */
function separateDuplicates(found: Map<string, AirtableRecord[]>, table: string, keyField: string) {
  const current = new Map<string, AirtableRecord>();
  const duplicates: FailedRecord[] = [];
  for (const [key, records] of found) {
    if (records.length > 1)
      duplicates.push({
        key,
        message: `${records.length} records in "${table}" have ${keyField} = ${key}; merge or delete the duplicates in Airtable`,
      });
    else current.set(key, records[0]!);
  }
  return { current, duplicates };
}

/** The team fields of known records whose guarded write is due: the guard needs their value now. */
async function readGuardedFields(
  options: ReadOptions,
  synced: Map<string, SyncedRecord>,
): Promise<Map<string, AirtableRecord>> {
  const { client, spec, desired } = options;
  const keyField = spec.primary.name;
  const keys = desired
    .filter((d) => synced.has(d.key) && dueGuards(d, synced.get(d.key)!.fieldHashes).length > 0)
    .map((d) => d.key);
  const read = new Map<string, AirtableRecord>();
  // Stryker disable next-line ObjectLiteral: with no scopeFormula lookupByKey always reads by key, whatever knownInScope says
  const found = await lookupByKey(client, spec.name, keyField, keys, [keyField, ...guardFields(desired)], {
    knownInScope: Number.POSITIVE_INFINITY,
  });
  for (const [key, records] of found) read.set(key, records[0]!);
  return read;
}

const guardFields = (desired: DesiredRecord[]) =>
  unique(desired.flatMap((d) => (d.guarded ?? []).map((g) => g.field)));
