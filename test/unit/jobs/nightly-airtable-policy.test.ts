import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeLotReader } from '../../../sync/src/app/lot-reader.js';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import { defaultRules, type Rules } from '../../../sync/src/config/rules.js';
import { tierOf, type ScoredLot } from '../../../sync/src/domain/lot.js';
import { runNightly } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { lotMapFeatures } from '../../../sync/src/presentation/map-features.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { countLots } from '../../../sync/src/store/lots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';

let db: Db;
let double: AirtableDouble;
let client: AirtableClient;
beforeEach(async () => {
  db = openStore(':memory:');
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000 });
});
afterEach(async () => {
  await client.close();
  await double.close();
  db.close();
});

let clock = Date.parse('2026-03-02T01:00:00Z');
const tick = () => new Date((clock += 86_400_000));

/** Ås lots with these totals (tiers A ≥ 80, B ≥ 60, C ≥ 40, D below), the same ids every time. */
const lotsScored = (totals: number[]): ScoredLot[] =>
  aasLots({ count: totals.length }).map((lot, i) => ({
    ...lot,
    score: { ...lot.score, total: totals[i]!, tier: tierOf(totals[i]!) },
  }));

/** A nightly run of these lots with the default rules (tier B or better goes to Airtable). */
const run = (lots: ScoredLot[], rules: Rules = defaultRules()) =>
  runNightly({
    db,
    stages: fixtureStages(() => lots),
    kommuner: ['3218'],
    airtable: client,
    rules,
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    now: tick,
  });

const tomter = () => new Map(double.records('Tomter').map((r) => [r.fields['Tomt-ID'] as string, r]));
const fieldsOf = (lot: ScoredLot) => tomter().get(lot.tomtId)?.fields;

describe('the Airtable policy in the nightly run', () => {
  it('creates records for tier B or better only; every lot stays in the store and on the map', async () => {
    const lots = lotsScored([91, 80, 72, 60, 59, 45, 40, 39, 12, 55]);
    const summary = await run(lots);
    expect([...tomter().keys()].sort()).toEqual(
      lots
        .slice(0, 4)
        .map((l) => l.tomtId)
        .sort(),
    );
    expect(fieldsOf(lots[3]!)).toMatchObject({ Klasse: 'B', Score: 60, Status: 'Ny' });
    expect(fieldsOf(lots[3]!)!['Under terskel']).toBeUndefined();
    expect(summary.totals).toMatchObject({ airtableCreated: 4, airtableLeftOut: 6, airtableMarkedBelow: 0 });
    expect(countLots(db)).toEqual({ active: 10, vanished: 0 });
    expect(
      lotMapFeatures(
        storeLotReader(db)
          .active()
          .map((l) => l.record),
      ).features,
    ).toHaveLength(10);
    expect(formatRunSummary(summary)).toContain(
      'Airtable policy: tier B or better and every lot the team has touched; 6 lot(s) below it left out ' +
        '(kept in the store and on the map), 0 record(s) marked "Under terskel"',
    );

    // The next night, with nothing changed: no request at all (the lots left out are known).
    double.clearRequests();
    const again = await run(lots);
    expect(double.requests).toEqual([]);
    expect(again.totals).toMatchObject({ airtableCreated: 0, airtableUpdated: 0, airtableLeftOut: 6 });
  });

  it('keeps and marks a lot that falls below, creates one that rises, and deletes nothing', async () => {
    const first = lotsScored([85, 65, 50, 45]);
    await run(first);
    const fallingId = tomter().get(first[0]!.tomtId)!.id;
    expect(tomter().size).toBe(2);

    const second = lotsScored([52, 65, 70, 45]);
    const summary = await run(second);
    expect(tomter().get(second[0]!.tomtId)).toMatchObject({
      id: fallingId,
      fields: { Score: 52, Klasse: 'C', 'Under terskel': true, Status: 'Ny' },
    });
    expect(fieldsOf(second[2]!)).toMatchObject({ Score: 70, Klasse: 'B', Status: 'Ny' });
    expect(fieldsOf(second[2]!)!['Under terskel']).toBeUndefined();
    expect(fieldsOf(second[3]!)).toBeUndefined();
    expect(double.requests.filter((r) => r.kind === 'delete')).toEqual([]);
    expect(summary.totals).toMatchObject({
      airtableCreated: 1,
      airtableUpdated: 1,
      airtableMarkedBelow: 1,
      airtableLeftOut: 1,
    });

    // Idempotent: the same lots again write nothing (one read: which of the marked records the team touched).
    double.clearRequests();
    await run(second);
    expect(double.writeRequests()).toEqual([]);
    expect(double.requests.map((r) => r.kind)).toEqual(['list']);

    // Back above the tier: the mark goes, in the same record.
    await run(lotsScored([61, 65, 70, 45]));
    expect(tomter().get(first[0]!.tomtId)!.id).toBe(fallingId);
    expect(fieldsOf(first[0]!)!['Under terskel']).toBeUndefined();
    expect(fieldsOf(first[0]!)).toMatchObject({ Klasse: 'B', Score: 61 });
  });

  it('does not mark records the team has touched, by Status or by any team field', async () => {
    const lots = lotsScored([65, 66, 67, 68, 69]);
    await run(lots);
    const edit = (lot: ScoredLot, fields: Record<string, unknown>) =>
      double.editRecord('Tomter', tomter().get(lot.tomtId)!.id, fields);
    edit(lots[0]!, { Status: 'Kontaktet' });
    edit(lots[1]!, { Notater: 'Eier vil selge om to år' });
    edit(lots[2]!, { 'Neste handling dato': '2026-04-01' });
    edit(lots[3]!, { Status: 'Ny', Kontaktstatus: 'Brev sendt' });

    const fallen = lotsScored([45, 46, 47, 48, 49]);
    await run(fallen);
    const marks = fallen.map((lot) => fieldsOf(lot)!['Under terskel'] ?? false);
    expect(marks).toEqual([false, false, false, false, true]);
    expect(fieldsOf(fallen[0]!)).toMatchObject({ Status: 'Kontaktet', Klasse: 'C' });
    expect(fieldsOf(fallen[1]!)).toMatchObject({ Notater: 'Eier vil selge om to år', Klasse: 'C' });

    // The team starts on the marked one: the mark goes at the next run.
    edit(fallen[4]!, { Ansvarlig: 'Kari' });
    await run(fallen);
    expect(fieldsOf(fallen[4]!)!['Under terskel']).toBeUndefined();

    // With keepTouched off, tier alone decides: every record below B is marked, none is deleted.
    await run(fallen, { ...defaultRules(), airtable: { minTier: 'B', keepTouched: false } });
    expect(fallen.map((lot) => fieldsOf(lot)!['Under terskel'])).toEqual([true, true, true, true, true]);
    expect(fieldsOf(fallen[0]!)).toMatchObject({ Status: 'Kontaktet' });
    expect(double.records('Tomter')).toHaveLength(5);
  });
});
