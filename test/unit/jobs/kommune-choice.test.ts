import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import { writeKommunerToAirtable } from '../../../sync/src/crm/kommuner-writer.js';
import { KommunerField } from '../../../sync/src/crm/schema/index.js';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { chooseKommuner, type KommuneChoiceDeps } from '../../../sync/src/jobs/kommune-choice.js';
import { syncedRecordStore } from '../../../sync/src/store/airtable-records.js';
import { saveKommunePins, storedKommunePins } from '../../../sync/src/store/kommune-pins.js';
import type { StoredRanking } from '../../../sync/src/store/kommune-ranking.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';

let h: SsbHarness;
let ranking: StoredRanking;
let double: AirtableDouble;
let client: AirtableClient;
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
  ranking = h.store.latestRanking()!;
  // The Kommuner table as the ranking wrote it; then the team sets Prioritet on three kommuner.
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000 });
  await writeKommunerToAirtable(client, ranking, { state: syncedRecordStore(h.db) });
  const record = (nr: string) =>
    double.records('Kommuner').find((r) => r.fields[KommunerField.kommunenummer] === nr)!.id;
  double.editRecord('Kommuner', record('3212'), { Prioritet: 'Alltid med' }); // Nesodden
  double.editRecord('Kommuner', record(topOslo()), { Prioritet: 'Ikke aktuell' });
  double.editRecord('Kommuner', record('3218'), { Prioritet: 'Høy' });
  double.clearRequests();
});
afterAll(async () => {
  await client.close();
  await double.close();
  await h.close();
});
afterEach(() => {
  h.db.prepare('DELETE FROM kommune_pin').run();
  h.db.prepare('DELETE FROM kommune_pin_read').run();
  double.clearRequests();
});

/** Oslo if the ranking puts it in the top 50 (it does on these figures), else the best-ranked kommune. */
function topOslo(): string {
  const oslo = ranking.kommuner.find((k) => k.kommune.kommunenummer === '0301')!;
  return oslo.top ? '0301' : ranking.kommuner[0]!.kommune.kommunenummer;
}

const logger = createMemoryLogger();
const deps = (extra: Partial<KommuneChoiceDeps> = {}): KommuneChoiceDeps => ({
  db: h.db,
  env: { KOMMUNER: undefined },
  airtable: client,
  topN: 50,
  sampleKommune: null,
  logger,
  now: () => new Date('2026-03-11T01:00:00Z'),
  ...extra,
});
const reasonsOf = (selection: Awaited<ReturnType<typeof chooseKommuner>>, nr: string) =>
  selection.kommuner.find((k) => k.kommunenummer === nr)?.reasons;

describe('choosing the nightly run’s kommuner (store + Airtable)', () => {
  it('takes the top 50 from the store, adds KOMMUNER and the team’s pins, and keeps the pins read', async () => {
    const selection = await chooseKommuner(deps({ env: { KOMMUNER: ['4601'] } }));
    const oslo = topOslo();
    expect(reasonsOf(selection, '3212')).toContain('Prioritet: Alltid med');
    expect(reasonsOf(selection, '4601')).toContain('KOMMUNER');
    expect(reasonsOf(selection, oslo)).toBeUndefined();
    expect(selection.excluded).toEqual([
      expect.objectContaining({ kommunenummer: oslo, reasons: ['Prioritet: Ikke aktuell'] }),
    ]);
    const top = ranking.kommuner.filter((k) => k.top).map((k) => k.kommune.kommunenummer);
    for (const k of ranking.kommuner.filter((k) => k.top && k.kommune.kommunenummer !== oslo))
      expect(reasonsOf(selection, k.kommune.kommunenummer)).toContain(`top 50 (rank ${k.rank})`);
    const expected = new Set([...top, '3212', '4601']);
    expected.delete(oslo);
    expect(new Set(selection.kommuner.map((k) => k.kommunenummer))).toEqual(expected);
    expect(selection.warnings).toEqual([]);
    // "Høy" is the team's own ordering: it changes nothing.
    expect(reasonsOf(selection, '3218') ?? []).not.toContainEqual(expect.stringMatching(/Prioritet/));
    expect(storedKommunePins(h.db)).toEqual({
      pins: new Map([
        [oslo, 'never'],
        ['3212', 'always'],
      ]),
      readAt: '2026-03-11T01:00:00.000Z',
    });
    expect(double.requests.map((r) => r.kind)).toEqual(['list']);
    expect(double.writeRequests()).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(
      new RegExp(`Kommune ${oslo} not run why=Prioritet: Ikke aktuell`),
    );
  });

  it('goes on with the last pins read when Airtable fails, with a named warning', async () => {
    saveKommunePins(h.db, new Map([['3207', 'always']]), '2026-03-09T01:00:00.000Z');
    const broken = clientFor(double, { requestsPerSecond: 1000, token: 'patWRONG' });
    const selection = await chooseKommuner(deps({ airtable: broken }));
    await broken.close();
    expect(selection.warnings).toEqual([
      {
        code: 'prioritet-read-failed',
        message: expect.stringMatching(/Prioritet .*failed .*1 pin\(s\) last read 2026-03-09T01:00:00.000Z/),
      },
    ]);
    expect(reasonsOf(selection, '3207')).toContain('Prioritet: Alltid med');
    expect(reasonsOf(selection, '3212')).toBeUndefined();
    expect(storedKommunePins(h.db)!.readAt).toBe('2026-03-09T01:00:00.000Z');
    expect(logger.lines.join('\n')).toMatch(/WARN reading Prioritet .* warning=prioritet-read-failed/);
  });

  it('without pins read before, goes on with the ranking alone when Airtable fails', async () => {
    const broken = clientFor(double, { requestsPerSecond: 1000, token: 'patWRONG' });
    const selection = await chooseKommuner(deps({ airtable: broken }));
    await broken.close();
    expect(selection.warnings[0]!.message).toMatch(/without pins \(never read before\)/);
    expect(selection.kommuner.map((k) => k.kommunenummer)).toEqual(
      ranking.kommuner.filter((k) => k.top).map((k) => k.kommune.kommunenummer),
    );
  });

  it('keeps nothing on a dry run, and reads nothing for --kommune', async () => {
    await chooseKommuner(deps(), { dryRun: true });
    expect(storedKommunePins(h.db)).toBeNull();
    double.clearRequests();
    const exact = await chooseKommuner(deps(), { requested: ['3218'] });
    expect(exact.kommuner).toEqual([
      expect.objectContaining({ kommunenummer: '3218', reasons: ['--kommune'] }),
    ]);
    expect(double.requests).toEqual([]);
  });

  it('without Airtable only the ranking and KOMMUNER apply (pins kept earlier are not used)', async () => {
    saveKommunePins(h.db, new Map([['3212', 'always']]), '2026-03-09T01:00:00.000Z');
    const selection = await chooseKommuner(deps({ airtable: null, env: { KOMMUNER: ['3212'] } }));
    expect(reasonsOf(selection, '3212')).toContain('KOMMUNER');
    expect(reasonsOf(selection, '3212')).not.toContain('Prioritet: Alltid med');
    expect(selection.kommuner.map((k) => k.kommunenummer)).toEqual([
      '3212',
      ...ranking.kommuner
        .filter((k) => k.top && k.kommune.kommunenummer !== '3212')
        .map((k) => k.kommune.kommunenummer),
    ]);
    expect(selection.warnings).toEqual([]);
  });
});
