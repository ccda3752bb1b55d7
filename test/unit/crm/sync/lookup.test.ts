import { beforeEach, describe, expect, it } from 'vitest';
import type { AirtableFields, AirtableRecord, ListOptions } from '../../../../sync/src/crm/airtable/types.js';
import { TomterField as F, tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { KEYS_PER_LOOKUP, lookupByKey, type LookupPlan } from '../../../../sync/src/crm/sync/lookup.js';
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
const KEY = F.tomtId;
const AAS = `{${F.kommunenummer}}='3218'`;
const tomtId = (kommune: string, n: number) => `${kommune}-${n}/1-a1b2c3`;
const ids = (kommune: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => tomtId(kommune, from + i));

let airtable: RecordingAirtable;
beforeEach(() => {
  airtable = new RecordingAirtable();
});
/** Lots already in Airtable, numbered from `from`. */
const seedLots = (kommune: string, from: number, count: number) => {
  for (const id of ids(kommune, from, count))
    airtable.seed(TOMTER, { [KEY]: id, [F.kommunenummer]: kommune, [F.score]: 50 });
};
const lookUp = (keys: string[], plan: LookupPlan) =>
  lookupByKey(airtable, TOMTER, KEY, keys, [KEY, F.score], plan);
const listRequests = () => airtable.requestCount('list');

describe('looking records up by key', () => {
  it('asks for 100 keys a request and finds each record once', async () => {
    seedLots('3218', 0, 120);
    seedLots('3207', 0, 200);
    const keys = [...ids('3218', 0, 120), ...ids('3218', 500, 30)];
    const found = await lookUp(keys, { knownInScope: 0 });
    expect(listRequests()).toBe(2);
    expect(airtable.listings.map((l) => l.fields)).toEqual([
      [KEY, F.score],
      [KEY, F.score],
    ]);
    expect(found.size).toBe(120);
    expect([...found.values()].every((records) => records.length === 1)).toBe(true);
    expect(found.get(tomtId('3218', 7))![0]!.fields).toEqual({ [KEY]: tomtId('3218', 7), [F.score]: 50 });
  });

  it('sends no request for no keys', async () => {
    seedLots('3218', 0, 10);
    expect((await lookUp([], { knownInScope: 0 })).size).toBe(0);
    expect((await lookUp([], { scopeFormula: AAS, knownInScope: 10 })).size).toBe(0);
    expect(listRequests()).toBe(0);
  });

  it('sends one request for exactly 100 keys', async () => {
    seedLots('3218', 0, 100);
    const found = await lookUp(ids('3218', 0, KEYS_PER_LOOKUP), { knownInScope: 0 });
    expect(found.size).toBe(100);
    expect(listRequests()).toBe(1);
  });

  it('reads a kommune’s first sync as one scope listing instead of one request per 100 keys', async () => {
    seedLots('3207', 0, 250);
    const found = await lookUp(ids('3218', 0, 150), { scopeFormula: AAS, knownInScope: 0 });
    expect(found.size).toBe(0);
    expect(airtable.listings).toEqual([{ fields: [KEY, F.score], filterByFormula: AAS }]);
    expect(listRequests()).toBe(1);
  });

  it('from a scope listing, returns only the keys asked for, with duplicates', async () => {
    seedLots('3218', 0, 40);
    seedLots('3218', 2, 1);
    airtable.seed(TOMTER, { [F.kommunenummer]: '3218', [F.notater]: 'Tomt uten ID, lagt inn for hånd' });
    airtable.seed(TOMTER, { [F.kommunenummer]: '3218', [F.notater]: 'Enda en' });
    seedLots('3207', 0, 250);
    const found = await lookUp([tomtId('3218', 1), tomtId('3218', 2), tomtId('3218', 99)], {
      scopeFormula: AAS,
      knownInScope: 0,
    });
    expect(airtable.listings.map((l) => l.filterByFormula)).toEqual([AAS]);
    expect(listRequests()).toBe(1);
    expect(new Map([...found].map(([key, records]) => [key, records.length]))).toEqual(
      new Map([
        [tomtId('3218', 1), 1],
        [tomtId('3218', 2), 2],
      ]),
    );
  });

  it('reads a few new lots by key rather than paging through the many the store knows', async () => {
    seedLots('3218', 0, 252);
    const found = await lookUp([tomtId('3218', 250), tomtId('3218', 251), tomtId('3218', 900)], {
      scopeFormula: AAS,
      knownInScope: 250,
    });
    expect([...found.keys()]).toEqual([tomtId('3218', 250), tomtId('3218', 251)]);
    expect(listRequests()).toBe(1);
    expect(airtable.listings[0]!.filterByFormula).not.toBe(AAS);
  });

  it('counts the known and the unknown records of the scope together', async () => {
    // A crash after 50 lots were created and before they were stored: 100 known, 50 to find.
    seedLots('3218', 0, 150);
    const found = await lookUp(ids('3218', 100, 50), { scopeFormula: AAS, knownInScope: 100 });
    expect(found.size).toBe(50);
    expect(listRequests()).toBe(1);
    expect(airtable.listings[0]!.filterByFormula).not.toBe(AAS);
  });

  it('without a scope formula, never lists the whole table', async () => {
    seedLots('3218', 0, 5);
    seedLots('3207', 0, 250);
    const found = await lookUp([tomtId('3218', 1), tomtId('3218', 9)], { knownInScope: 0 });
    expect([...found.keys()]).toEqual([tomtId('3218', 1)]);
    expect(listRequests()).toBe(1);
    expect(airtable.listings[0]!.filterByFormula).toBeDefined();
  });
});
