import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKommunerToAirtable } from '../../../sync/src/crm/kommuner-writer.js';
import { kommunerTable, KommunerField } from '../../../sync/src/crm/schema/index.js';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import type { StoredRanking } from '../../../sync/src/store/kommune-ranking.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';
import { FakeAirtableRecords } from './fake-airtable-records.js';

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
  // Next week the team weights politics higher: every kommune's score moves, most ranks too.
  const rules = { ...h.rules, weights: { ...h.rules.weights, politikk: 40 } };
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
afterAll(() => h.close());

const TEAM = [KommunerField.prioritet, KommunerField.notater];

describe('Kommuner writer (Airtable)', () => {
  it('creates every kommune in batches of at most 10, with every factor field and never a team field', async () => {
    const airtable = new FakeAirtableRecords();
    const result = await writeKommunerToAirtable(airtable, first);
    expect(result).toMatchObject({
      created: 357,
      updated: 0,
      unchanged: 0,
      duplicates: [],
      writeRequests: 36,
    });
    expect(airtable.writes.every((w) => w.records.length <= 10 && w.method === 'upsert')).toBe(true);
    const sent = airtable.writes.flatMap((w) => w.records.map((r) => Object.keys(r.fields))).flat();
    expect(TEAM.some((f) => sent.includes(f))).toBe(false);
    const known = new Set([kommunerTable.primary, ...kommunerTable.fields].map((f) => f.name));
    expect([...new Set(sent)].filter((f) => !known.has(f))).toEqual([]);
    const oslo = [...airtable.table('Kommuner').values()].find(
      (f) => f[KommunerField.kommunenummer] === '0301',
    )!;
    expect(oslo).toMatchObject({
      Kommune: 'Oslo - Oslove',
      Fylke: 'Oslo',
      'Befolkningsvekst år': '2026',
      'Kommunestyrevalg år': '2023',
    });
    expect(oslo['Befolkningsvekst 0–1']).toBeGreaterThanOrEqual(0);
  });

  it('sends nothing for unchanged rows and leaves Prioritet and Notater as the team set them', async () => {
    const airtable = new FakeAirtableRecords();
    await writeKommunerToAirtable(airtable, first);
    const osloId = [...airtable.table('Kommuner')].find(
      ([, f]) => f[KommunerField.kommunenummer] === '0301',
    )![0];
    airtable.edit('Kommuner', osloId, { Prioritet: 'Høy', Notater: 'Møte med plansjefen i april' });
    const writes = airtable.writes.length;
    const again = await writeKommunerToAirtable(airtable, {
      ...first,
      refresh: { ...first.refresh, finishedAt: '2026-03-24T11:00:00.000Z' },
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 357, writeRequests: 0 });
    expect(airtable.writes).toHaveLength(writes);

    const changed = await writeKommunerToAirtable(airtable, second);
    expect(changed.updated).toBeGreaterThan(300);
    expect(changed.writeRequests).toBe(Math.ceil(changed.updated / 10));
    const oslo = airtable.table('Kommuner').get(osloId)!;
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
    const airtable = new FakeAirtableRecords();
    airtable.insert('Kommuner', { Kommunenummer: '0301', Notater: 'kopi' });
    airtable.insert('Kommuner', { Kommunenummer: '0301' });
    const result = await writeKommunerToAirtable(airtable, first);
    expect(result).toMatchObject({ created: 356, duplicates: ['0301'] });
    expect([...airtable.table('Kommuner').values()].filter((f) => f.Kommunenummer === '0301')).toHaveLength(
      2,
    );
  });
});
