import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AirtableFields, AirtableRecord, ListOptions } from '../../../../sync/src/crm/airtable/types.js';
import { LotStatus, TomterField as F, tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { createWrite } from '../../../../sync/src/crm/sync/plan.js';
import { readTableState } from '../../../../sync/src/crm/sync/read-state.js';
import type { DesiredRecord } from '../../../../sync/src/crm/sync/types.js';
import { syncedRecordStore, type SyncedRecordStore } from '../../../../sync/src/store/airtable-records.js';
import { openStore, type Db } from '../../../../sync/src/store/database.js';
import { FakeAirtable } from '../../../helpers/fake-airtable-records.js';

/** The fake base, remembering what each listing asked for. */
class RecordingAirtable extends FakeAirtable {
  readonly listings: ListOptions[] = [];
  override listAll<F extends AirtableFields>(
    table: string,
    options: ListOptions = {},
  ): Promise<AirtableRecord<F>[]> {
    this.listings.push(options);
    return super.listAll<F>(table, options);
  }
}

const TOMTER = tomterTable.name;
const AAS = `{${F.kommunenummer}}='3218'`;
const tomtId = (n: number) => `3218-${n}/1-a1b2c3`;
const expiring = { field: F.status, value: LotStatus.utgatt, onlyIf: [LotStatus.ny, null] };
const lot = (n: number, extra: Partial<DesiredRecord> = {}): DesiredRecord => ({
  key: tomtId(n),
  fields: { [F.kommunenummer]: '3218', [F.score]: 40 + n },
  ...extra,
});

let airtable: RecordingAirtable;
let db: Db;
let state: SyncedRecordStore;
beforeEach(() => {
  airtable = new RecordingAirtable();
  db = openStore(':memory:');
  state = syncedRecordStore(db);
});
afterEach(() => db.close());

const inAirtable = (record: DesiredRecord, team: Record<string, unknown> = {}) =>
  airtable.seed(TOMTER, { [F.tomtId]: record.key, ...record.fields, ...team });
/** What the store holds after `record` was written to Airtable as `recordId` ("" = not in Airtable). */
const remember = (record: DesiredRecord, recordId: string, hashes = createWrite(record).hashes) =>
  state.save(TOMTER, [{ key: record.key, recordId, fieldHashes: hashes, syncedAt: '2026-03-02T02:00:00Z' }]);
const read = (desired: DesiredRecord[], scopeFormula?: string) =>
  readTableState({
    client: airtable,
    state,
    spec: tomterTable,
    desired,
    ...(scopeFormula ? { scopeFormula } : {}),
  });

describe('reading a table’s state before planning', () => {
  it('tells the records it wrote from those it remembers as absent, and looks up only the others', async () => {
    const written = lot(1);
    const absent = lot(2, { create: false });
    const fresh = lot(3);
    remember(written, inAirtable(written));
    remember(absent, '', {});
    const state = await read([written, absent, fresh]);
    expect([...state.synced.keys()]).toEqual([written.key]);
    expect(state.knownAbsent).toEqual(new Set([absent.key]));
    expect(state.current.size).toBe(0);
    expect(airtable.listings.map((l) => l.filterByFormula)).toEqual([`{${F.tomtId}}='${fresh.key}'`]);
  });

  it('looks up a record not to be created when the store does not know it', async () => {
    const existing = lot(4, { create: false });
    const id = inAirtable(existing);
    const state = await read([existing]);
    expect(state.current.get(existing.key)?.id).toBe(id);
  });

  it('looks again for a record remembered as absent once it may be created', async () => {
    const returned = lot(5);
    remember(returned, '', {});
    const id = inAirtable(returned);
    const state = await read([returned]);
    expect(state.current.get(returned.key)?.id).toBe(id);
  });

  it('reads only the key, the sync’s fields and the guarded fields, not the team’s notes', async () => {
    // The lot vanished since the last sync: its guarded write is due.
    const known = lot(6, { guarded: [expiring] });
    const fresh = lot(7, { guarded: [expiring] });
    remember(lot(6), inAirtable(known, { [F.status]: LotStatus.ny, [F.notater]: 'Ring eier' }));
    inAirtable(fresh, { [F.notater]: 'Ring eier' });
    const state = await read([known, fresh]);
    expect(airtable.listings.map((l) => l.fields)).toEqual([
      [F.tomtId, F.kommunenummer, F.score, F.status],
      [F.tomtId, F.status],
    ]);
    expect(state.current.get(known.key)!.fields).toEqual({ [F.tomtId]: known.key, [F.status]: LotStatus.ny });
    expect(state.current.get(fresh.key)!.fields[F.notater]).toBeUndefined();
  });

  it('reads no guarded field once the guarded write was done', async () => {
    const known = lot(8, { guarded: [expiring] });
    remember(known, inAirtable(known));
    const state = await read([known]);
    expect(state.current.size).toBe(0);
    expect(airtable.requestCount()).toBe(0);
  });

  it('looks up a kommune’s new lots through its scope', async () => {
    const desired = Array.from({ length: 150 }, (_, i) => lot(100 + i));
    inAirtable(desired[0]!);
    const state = await read(desired, AAS);
    expect(airtable.listings.map((l) => l.filterByFormula)).toEqual([AAS]);
    expect([...state.current.keys()]).toEqual([desired[0]!.key]);
  });
});
