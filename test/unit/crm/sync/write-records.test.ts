import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { airtableErrorFor } from '../../../../sync/src/crm/airtable/errors.js';
import type {
  AirtableFields,
  AirtableRecord,
  AirtableRecordsClient,
  UpsertResult,
} from '../../../../sync/src/crm/airtable/types.js';
import { createWrite, planRecord } from '../../../../sync/src/crm/sync/plan.js';
import type { DesiredRecord, PlannedWrite } from '../../../../sync/src/crm/sync/types.js';
import { writeRecords } from '../../../../sync/src/crm/sync/write-records.js';
import { syncedRecordStore, type SyncedRecordStore } from '../../../../sync/src/store/airtable-records.js';
import { openStore, type Db } from '../../../../sync/src/store/database.js';
import { silentProgress } from '../../../../sync/src/util/progress.js';

type Sent = Array<{ id?: string; fields: Partial<AirtableFields> }>;
/** How the scripted Airtable answers the n-th upsert request (1-based): with records, or by throwing. */
type Script = (sent: Sent, n: number) => Promise<UpsertResult> | UpsertResult;

const KEY = 'Kommunenummer';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An Airtable whose upsert answers follow `script`; every request is recorded. */
function scriptedAirtable(script: Script) {
  const requests: Sent[] = [];
  const unused = () => Promise.reject(new Error('not used by the writer'));
  const client: AirtableRecordsClient = {
    listAll: unused,
    get: unused,
    create: unused,
    update: unused,
    upsert: async <F extends AirtableFields>(_table: string, records: Sent) => {
      requests.push(records);
      return (await script(records, requests.length)) as UpsertResult<F>;
    },
  };
  return { client, requests };
}

/** Airtable's answer when every record lands: known ones keep their id, new ones get `rec<key>`. */
const lands = (sent: Sent): UpsertResult => {
  const records: AirtableRecord[] = sent.map((r) => ({
    id: r.id ?? `rec${String(r.fields[KEY])}`,
    fields: r.fields,
  }));
  return {
    records,
    createdRecords: records.filter((_, i) => !sent[i]!.id).map((r) => r.id),
    updatedRecords: records.filter((_, i) => sent[i]!.id).map((r) => r.id),
  };
};
/** The error the client throws for an Airtable error response. */
const refusal = (status: number, type: string, message: string, sent: Sent = []) =>
  airtableErrorFor(
    status,
    JSON.stringify({ error: { type, message } }),
    { table: 'Kommuner', records: sent, keyField: KEY },
    'https://api.airtable.com/v0/appBase/Kommuner',
  );

const kommune = (nr: string, extra: Partial<DesiredRecord> = {}): DesiredRecord => ({
  key: nr,
  fields: { Kommune: `Kommune ${nr}`, Score: 61 },
  onCreate: { Prioritet: 'Middels' },
  ...extra,
});

let db: Db;
let state: SyncedRecordStore;
beforeEach(() => {
  db = openStore(':memory:');
  state = syncedRecordStore(db);
});
afterEach(() => db.close());

/** An update of a record written before (as `rec<key>`), its Score changed. */
const update = (record: DesiredRecord): PlannedWrite => {
  const before = createWrite(record);
  const prior = { key: record.key, recordId: `rec${record.key}`, fieldHashes: before.hashes, syncedAt: '' };
  state.save('Kommuner', [prior]);
  const write = planRecord({ ...record, fields: { ...record.fields, Score: 70 } }, prior, undefined);
  if (typeof write === 'string' || 'adopt' in write) throw new Error('expected a write');
  return write;
};
const write = (
  client: AirtableRecordsClient,
  writes: PlannedWrite[],
  desired: DesiredRecord[],
  concurrency = 1,
  recreate = true,
) =>
  writeRecords(
    {
      client,
      state,
      table: 'Kommuner',
      keyField: KEY,
      byKey: new Map(desired.map((d) => [d.key, d])),
      concurrency,
      recreate,
      progress: silentProgress.stage('Kommuner'),
      now: () => '2026-03-02T02:00:00Z',
    },
    writes,
  );
const stored = (key: string) => state.get('Kommuner', [key]).get(key);

describe('writing planned records', () => {
  it('reports new records as created and known ones as updated, storing their ids', async () => {
    const { client, requests } = scriptedAirtable(lands);
    const changed = update(kommune('3207'));
    const outcome = await write(client, [createWrite(kommune('3218')), changed], []);
    expect(outcome).toMatchObject({ created: ['3218'], updated: ['3207'], failed: [], fatal: null });
    expect(requests[0]!.map((r) => r.id)).toEqual([undefined, 'rec3207']);
    expect(stored('3218')!.recordId).toBe('rec3218');
    expect(stored('3207')!.fieldHashes).toEqual(changed.hashes);
  });

  for (const [status, type] of [
    [404, 'NOT_FOUND'],
    [422, 'ROW_DOES_NOT_EXIST'],
  ] as const)
    it(`creates again in full a record the team deleted (Airtable answers ${status} ${type})`, async () => {
      const record = kommune('3218');
      const { client, requests } = scriptedAirtable((sent, n) => {
        if (n === 1) throw refusal(status, type, 'Record ID rec3218 does not exist', sent);
        return lands(sent.map((r) => ({ ...r, id: undefined })));
      });
      const outcome = await write(client, [update(record)], [record]);
      expect(outcome).toMatchObject({ created: ['3218'], updated: [], failed: [], fatal: null });
      expect(requests[1]).toEqual([
        { fields: { [KEY]: '3218', Kommune: 'Kommune 3218', Score: 61, Prioritet: 'Middels' } },
      ]);
    });

  it('remembers a deleted record that is not to be created as absent', async () => {
    const record = kommune('3218', { create: false });
    const { client, requests } = scriptedAirtable((sent) => {
      throw refusal(404, 'NOT_FOUND', 'Could not find what you are looking for', sent);
    });
    const outcome = await write(client, [update(record)], [record]);
    expect(outcome).toMatchObject({ notInAirtable: ['3218'], failed: [], fatal: null });
    expect(requests).toHaveLength(1);
    expect(stored('3218')!.recordId).toBe('');
  });

  it('does not make a deleted record again while the sync’s creates are held back (record ceiling)', async () => {
    const record = kommune('3218');
    const { client, requests } = scriptedAirtable((sent) => {
      throw refusal(404, 'NOT_FOUND', 'Could not find what you are looking for', sent);
    });
    const outcome = await write(client, [update(record)], [record], 1, false);
    expect(outcome).toMatchObject({ created: [], notInAirtable: ['3218'], failed: [], fatal: null });
    expect(requests).toHaveLength(1);
    expect(stored('3218')!.recordId).toBe('');
  });

  it('reports a value Airtable refused on a known record, which is not taken for deleted', async () => {
    const record = kommune('3218', { create: false });
    const { client, requests } = scriptedAirtable((sent) => {
      throw refusal(422, 'INVALID_VALUE_FOR_COLUMN', 'Field "Score" cannot accept the provided value', sent);
    });
    const outcome = await write(client, [update(record)], [record]);
    expect(outcome.notInAirtable).toEqual([]);
    expect(outcome.failed).toEqual([
      { key: '3218', message: expect.stringContaining('field "Score", value 70') },
    ]);
    expect(requests).toHaveLength(1);
    expect(stored('3218')!.recordId).toBe('rec3218');
  });

  it('reports a new record refused for a link to a deleted record, without creating it again', async () => {
    const record = kommune('3218');
    const { client, requests } = scriptedAirtable((sent, n) => {
      if (n > 3) throw new Error('the writer keeps retrying');
      throw refusal(422, 'ROW_DOES_NOT_EXIST', 'Record ID recOwner1 does not exist', sent);
    });
    const outcome = await write(client, [createWrite(record)], [record]);
    expect(outcome).toMatchObject({ created: [], notInAirtable: [], fatal: null });
    expect(outcome.failed.map((f) => f.key)).toEqual(['3218']);
    expect(requests).toHaveLength(1);
  });

  it('stores and counts only the records Airtable’s answer names', async () => {
    const { client } = scriptedAirtable((sent) => lands(sent.filter((r) => r.fields[KEY] !== '3207')));
    const outcome = await write(client, [createWrite(kommune('3218')), createWrite(kommune('3207'))], []);
    expect(outcome).toMatchObject({ created: ['3218'], fatal: null });
    expect(stored('3218')!.recordId).toBe('rec3218');
    expect(stored('3207')).toBeUndefined();
  });

  it('after an error not about one record, sends nothing more, not even a refused request split up', async () => {
    const desired = Array.from({ length: 20 }, (_, i) => kommune(String(3200 + i)));
    const { client, requests } = scriptedAirtable(async (sent, n) => {
      if (n === 1) {
        await sleep(20);
        throw refusal(
          422,
          'INVALID_VALUE_FOR_COLUMN',
          'Field "Score" cannot accept the provided value',
          sent,
        );
      }
      if (n === 2) throw refusal(503, 'SERVICE_UNAVAILABLE', 'Try again later');
      return lands(sent);
    });
    const outcome = await write(client, desired.map(createWrite), desired, 2);
    expect(outcome.fatal).toMatchObject({ status: 503 });
    expect(requests).toHaveLength(2);
    expect(outcome.created).toEqual([]);
  });

  it('returns the first error that stopped the writes, not a later one', async () => {
    const desired = Array.from({ length: 20 }, (_, i) => kommune(String(3200 + i)));
    const { client } = scriptedAirtable(async (_sent, n) => {
      if (n === 1) throw refusal(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
      await sleep(20);
      throw refusal(503, 'SERVICE_UNAVAILABLE', 'Try again later');
    });
    const outcome = await write(client, desired.map(createWrite), desired, 2);
    expect(outcome.fatal).toMatchObject({ status: 401, message: expect.stringContaining('AIRTABLE_TOKEN') });
  });
  it('splits a refused request to write every record but the refused one', async () => {
    const desired = Array.from({ length: 10 }, (_, i) => kommune(String(3200 + i)));
    const { client, requests } = scriptedAirtable((sent) => {
      if (sent.some((r) => r.fields[KEY] === '3204'))
        throw refusal(
          422,
          'INVALID_VALUE_FOR_COLUMN',
          'Field "Score" cannot accept the provided value',
          sent,
        );
      return lands(sent);
    });
    const outcome = await write(client, desired.map(createWrite), desired);
    expect(requests.map((r) => r.length)).toEqual([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(outcome.created).toHaveLength(9);
    expect(outcome.failed.map((f) => f.key)).toEqual(['3204']);
  });

  it('after an error not about one record, sends none of the requests still waiting', async () => {
    const desired = Array.from({ length: 30 }, (_, i) => kommune(String(3200 + i)));
    const { client, requests } = scriptedAirtable((sent, n) => {
      if (n === 2) throw refusal(503, 'SERVICE_UNAVAILABLE', 'Try again later');
      return lands(sent);
    });
    const outcome = await write(client, desired.map(createWrite), desired);
    expect(requests).toHaveLength(2);
    expect(outcome.created).toHaveLength(10);
    expect(outcome.fatal).toMatchObject({ status: 503 });
  });
});
