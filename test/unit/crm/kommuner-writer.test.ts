import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKommunerToAirtable } from '../../../sync/src/crm/kommuner-writer.js';
import { kommunerTable, KommunerField } from '../../../sync/src/crm/schema/index.js';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import type { StoredRanking } from '../../../sync/src/store/kommune-ranking.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';
import { syncedRecordStore } from '../../../sync/src/store/airtable-records.js';
import { openStore } from '../../../sync/src/store/database.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { createTable } from '../../doubles/airtable/model.js';
import { admitUnderCeiling } from '../../../sync/src/jobs/admit-under-ceiling.js';
import { lastRecordCount } from '../../../sync/src/store/airtable-record-count.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';

/** The Airtable double with the Tomtejakt schema, a client for it and an empty store for sync state. */
async function airtableAndStore(): Promise<{
  double: AirtableDouble;
  write: (ranking: StoredRanking) => ReturnType<typeof writeKommunerToAirtable>;
}> {
  const double = await doubleWithBase();
  const client = clientFor(double, { requestsPerSecond: 1000 });
  const state = syncedRecordStore(openStore(':memory:'));
  doubles.push(double);
  return { double, write: (ranking) => writeKommunerToAirtable(client, ranking, { state }) };
}
const doubles: AirtableDouble[] = [];

let h: SsbHarness;
let first: StoredRanking;
let second: StoredRanking;
beforeAll(async () => {
  h = await startSsbHarness();
  await runKommuneRefresh({
    ssb: h.ssb,
    klass: h.klass,
    store: h.store,
    rules: h.rules,
    refreshDays: 7,
    clock: h.clock,
  });
  first = h.store.latestRanking()!;
  h.clock.advance(8 * 86_400_000);
  // Next week the team weights will to build higher: every kommune's score moves, most ranks too.
  const rules = { ...h.rules, weights: { ...h.rules.weights, byggevilje: 40 } };
  await runKommuneRefresh({
    ssb: h.ssb,
    klass: h.klass,
    store: h.store,
    rules,
    refreshDays: 7,
    clock: h.clock,
  });
  second = h.store.latestRanking()!;
});
afterAll(async () => {
  await h.close();
  await Promise.all(doubles.map((d) => d.close()));
});

const TEAM = [KommunerField.prioritet, KommunerField.notater];

/** The records sent by the double's recorded write requests. */
const sentRecords = (double: AirtableDouble) =>
  double
    .writeRequests()
    .map((r) => (r.body as { records: Array<{ fields: Record<string, unknown> }> }).records);
const kommune = (double: AirtableDouble, nr: string) =>
  double.records('Kommuner').find((r) => r.fields[KommunerField.kommunenummer] === nr)!;

describe('Kommuner writer (Airtable double)', () => {
  it('creates every kommune in batches of at most 10, with every factor field and never a team field', async () => {
    const { double, write } = await airtableAndStore();
    const result = await write(first);
    expect(result).toMatchObject({
      created: 357,
      updated: 0,
      unchanged: 0,
      duplicates: [],
      writeRequests: 36,
    });
    const batches = sentRecords(double);
    expect(batches).toHaveLength(36);
    expect(batches.every((records) => records.length <= 10)).toBe(true);
    const sent = batches.flat().flatMap((r) => Object.keys(r.fields));
    expect(TEAM.some((f) => sent.includes(f))).toBe(false);
    const known = new Set([kommunerTable.primary, ...kommunerTable.fields].map((f) => f.name));
    expect([...new Set(sent)].filter((f) => !known.has(f))).toEqual([]);
    const oslo = kommune(double, '0301').fields;
    expect(oslo).toMatchObject({
      Kommune: 'Oslo - Oslove',
      Fylke: 'Oslo',
      'Befolkningsvekst år': '2026',
      'Byggevilje år': '2025',
      Folketall: 728_714,
    });
    expect(kommune(double, '1151').fields['Under minstegrense']).toBe(true); // Utsira
    expect(oslo['Forklaring']).toMatch(/^Oslo - Oslove \(0301\) er nr\. \d+ av 357 med score/);
    expect(oslo['Forklaring']).not.toMatch(/Tallene er fra/); // the date is in Oppdatert
    expect(oslo['Igangsatte boliger per 1 000']).toBeGreaterThan(0);
    expect(oslo['Framskrevet tilvekst personer']).toBeGreaterThan(0);
    expect(oslo['Befolkningsvekst 0–1']).toBeGreaterThanOrEqual(0);
  });

  it('sends nothing for unchanged rows and leaves Prioritet and Notater as the team set them', async () => {
    const { double, write } = await airtableAndStore();
    await write(first);
    const osloId = kommune(double, '0301').id;
    double.editRecord('Kommuner', osloId, { Prioritet: 'Høy', Notater: 'Møte med plansjefen i april' });
    const writes = double.writeRequests().length;
    const again = await write({
      ...first,
      refresh: { ...first.refresh, finishedAt: '2026-03-24T11:00:00.000Z' },
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 357, writeRequests: 0 });
    expect(double.writeRequests()).toHaveLength(writes);

    const changed = await write(second);
    expect(changed.updated).toBeGreaterThan(300);
    expect(double.writeRequests().length - writes).toBe(Math.ceil(changed.updated / 10));
    const oslo = kommune(double, '0301').fields;
    expect(oslo).toMatchObject({
      Prioritet: 'Høy',
      Notater: 'Møte med plansjefen i april',
      Oppdatert: second.refresh.finishedAt!.slice(0, 10),
    });
    expect(oslo.Score).toBeCloseTo(
      second.kommuner.find((k) => k.kommune.kommunenummer === '0301')!.score!,
      1,
    );
  });

  it('leaves kommuner that appear on several records alone (an upsert on them would fail its batch)', async () => {
    const { double, write } = await airtableAndStore();
    double.addRecord('Kommuner', { Kommunenummer: '0301', Notater: 'kopi' });
    double.addRecord('Kommuner', { Kommunenummer: '0301' });
    const result = await write(first);
    expect(result).toMatchObject({ created: 356, duplicates: ['0301'] });
    expect(double.records('Kommuner').filter((r) => r.fields.Kommunenummer === '0301')).toHaveLength(2);
  });

  it('creates the kommuner only when all of them fit under 95 % of the record limit; updates always go', async () => {
    const double = await doubleWithBase();
    doubles.push(double);
    const client = clientFor(double, { requestsPerSecond: 1000 });
    const db = openStore(':memory:');
    const state = syncedRecordStore(db);
    const logger = createMemoryLogger();
    // The team's own table: 600 records. With a limit of 1,000 the ceiling is 950, so 357 more do not fit.
    createTable(double.base(), { name: 'Kontakter', fields: [{ name: 'Navn', type: 'singleLineText' }] });
    for (let i = 0; i < 600; i += 1) double.addRecord('Kontakter', { Navn: `Kontakt ${i}` });
    const admitCreates = (limit: number) =>
      admitUnderCeiling({ client, db, limit, table: 'Kommuner', now: () => '2026-03-02T02:00:00Z', logger });

    const held = await writeKommunerToAirtable(client, first, { state, admitCreates: admitCreates(1_000) });
    expect(held).toMatchObject({ created: 0, updated: 0 });
    expect(held.heldBack).toHaveLength(first.kommuner.length);
    expect(double.records('Kommuner')).toHaveLength(0);
    expect(logger.lines.join('\n')).toMatch(
      /Kommuner: new records held back.*records=600 creates=357 ceiling=950/,
    );
    expect(lastRecordCount(db)!.total).toBe(600);

    // 957 records under a limit of 1,008 (ceiling 957): exactly at the ceiling is allowed.
    const admitted = await writeKommunerToAirtable(client, first, {
      state,
      admitCreates: admitCreates(1_008),
    });
    expect(admitted).toMatchObject({ created: first.kommuner.length, heldBack: [] });
    expect(lastRecordCount(db)!).toMatchObject({ total: 957, tables: { Kommuner: 357, Kontakter: 600 } });

    // Full base: the next week's changed figures are still written; there is nothing to create.
    const next = await writeKommunerToAirtable(client, second, { state, admitCreates: admitCreates(1_000) });
    expect(next.updated).toBeGreaterThan(0);
    expect(next.heldBack).toEqual([]);
  });
});
