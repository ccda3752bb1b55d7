import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthReport } from '../../../sync/src/app/health.js';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import { defaultRules } from '../../../sync/src/config/rules.js';
import { tierOf, type ScoredLot } from '../../../sync/src/domain/lot.js';
import { runNightly } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { lastRecordCount } from '../../../sync/src/store/airtable-record-count.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { countLots } from '../../../sync/src/store/lots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import { createTable } from '../../doubles/airtable/model.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';

/** The smallest limit the env allows (Airtable Free): warnings from 800 records, no creates past 950. */
const LIMIT = 1_000;

let db: Db;
let double: AirtableDouble;
let client: AirtableClient;
beforeEach(async () => {
  db = openStore(':memory:');
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000, retryDelayMs: 1, maxRetryDelayMs: 2 });
});
afterEach(async () => {
  await client.close();
  await double.close();
  db.close();
});

let clock = Date.parse('2026-03-02T01:00:00Z');
const tick = () => new Date((clock += 86_400_000));

/** `count` tier-B lots of a kommune (ids as in Ås, with the kommune's number); `variant` rescores them, still B. */
const lotsOf = (kommunenummer: string, count: number, variant = 0): ScoredLot[] =>
  aasLots({ count }).map((lot, i) => {
    const total = 60 + ((i + variant) % 19);
    return {
      ...lot,
      kommunenummer,
      tomtId: lot.tomtId.replace('3218', kommunenummer),
      score: { ...lot.score, total, tier: tierOf(total) },
    };
  });

/** A nightly run over the kommuner in this order, each with its lots. */
const run = (kommuner: Array<[string, ScoredLot[]]>, logger = createMemoryLogger()) =>
  runNightly({
    db,
    stages: fixtureStages((k) => kommuner.find(([nr]) => nr === k)?.[1] ?? []),
    kommuner: kommuner.map(([nr]) => nr),
    airtable: client,
    rules: defaultRules(),
    recordLimit: LIMIT,
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger,
    now: tick,
  });

/** Records the team keeps in a table of its own, which the service never wrote. */
function foreignRecords(count: number) {
  const base = double.base();
  if (!base.tables.some((t) => t.name === 'Kontakter'))
    createTable(base, { name: 'Kontakter', fields: [{ name: 'Navn', type: 'singleLineText' }] });
  for (let i = 0; i < count; i += 1) double.addRecord('Kontakter', { Navn: `Kontakt ${i}` });
}

const tomterOf = (kommunenummer: string) =>
  double.records('Tomter').filter((r) => r.fields.Kommunenummer === kommunenummer);

function health() {
  const nightly = new ScheduledJob({
    name: 'nightly',
    cron: '0 2 * * *',
    timeZone: 'Europe/Oslo',
    run: async () => null,
    logger: createMemoryLogger(),
  });
  return healthReport({ db, airtable: true, recordLimit: LIMIT, nightly, jobs: [nightly], parts: [] }).body;
}

describe('the Airtable record budget in the nightly run', () => {
  it('counts every table, the team’s own and records it did not make, and warns at 80 % in the summary and /health', async () => {
    foreignRecords(780);
    for (let i = 0; i < 5; i += 1) double.addRecord('Eiere', { 'Eier-ID': `manuell-${i}` });
    expect(health()).toMatchObject({ airtableRecords: { limit: LIMIT, records: null }, warnings: [] });

    const summary = await run([['3218', lotsOf('3218', 20)]]);
    expect(summary.totals.airtableCreated).toBe(20);
    const counted = double.requests.filter(
      (r) => r.kind === 'list' && r.path.endsWith(double.table('Kontakter').id),
    );
    expect(counted).toHaveLength(8); // 780 records, 100 a page
    expect(summary.airtableBudget).toMatchObject({
      limit: LIMIT,
      countedThisRun: true,
      level: 'warning',
      count: { total: 805, tables: { Tomter: 20, Kommuner: 0, Eiere: 5, Kontakter: 780 } },
      heldBack: [],
    });
    const lines = formatRunSummary(summary);
    expect(lines).toContain(
      `Airtable records: 805 of 1,000 records (80.5 %), counted ${lastRecordCount(db)!.countedAt.slice(0, 10)} ` +
        '(Tomter 20, Kommuner 0, Eiere 5, Varsler 0, Rapporter 0, Kontakter 780)',
    );
    expect(lines.find((l) => l.startsWith('warning airtable-records: '))).toMatch(
      /the Airtable base holds 805 of 1,000 records \(80\.5 %\).*at 95 % \(950 records\) new lots stop being created\. To make room: .*AIRTABLE_RECORD_LIMIT.*airtable\.minTier.*archive records/,
    );

    // /health shows the stored count between runs.
    expect(health()).toMatchObject({
      airtableRecords: {
        limit: LIMIT,
        records: 805,
        percent: 80.5,
        level: 'warning',
        tables: { Kontakter: 780 },
      },
      warnings: [expect.stringMatching(/^the Airtable base holds 805 of 1,000 records/)],
    });
  });

  it('stops creating at 95 %: a kommune’s new lots all or none, the next kommune’s if they fit, updates go on', async () => {
    await run([['3218', lotsOf('3218', 10)]]);
    expect(tomterOf('3218')).toHaveLength(10);
    foreignRecords(925); // 935 records now; the ceiling is 950

    const logger = createMemoryLogger();
    const rescored = lotsOf('3218', 30, 5); // the 10 known lots rescored, 20 new ones
    const summary = await run(
      [
        ['3218', rescored],
        ['3207', lotsOf('3207', 10)],
      ],
      logger,
    );
    expect(tomterOf('3218')).toHaveLength(10);
    for (const lot of rescored.slice(0, 10))
      expect(tomterOf('3218').find((r) => r.fields['Tomt-ID'] === lot.tomtId)!.fields.Score).toBe(
        lot.score.total,
      );
    expect(tomterOf('3207')).toHaveLength(10);
    expect(
      summary.kommuner.map((k) => [
        k.kommunenummer,
        k.outcome,
        k.counts.airtableCreated,
        k.counts.airtableUpdated,
        k.counts.airtableHeldBack,
      ]),
    ).toEqual([
      ['3218', 'ok', 0, 10, 20],
      ['3207', 'ok', 10, 0, 0],
    ]);
    expect(summary.airtableBudget).toMatchObject({
      count: { total: 945 },
      level: 'warning',
      heldBack: [{ kommunenummer: '3218', lots: 20 }],
    });
    const lines = formatRunSummary(summary);
    const held = lines.findIndex((l) => l.startsWith('held back: '));
    expect(lines[held]).toMatch(
      /^held back: the new lots of 1 kommune\(s\), 20 lot\(s\) in all, were not created \(all or none per kommune; updates went on\): they do not fit under 95 % of AIRTABLE_RECORD_LIMIT \(1,000\)\. To make room: move the base to a larger Airtable plan and raise AIRTABLE_RECORD_LIMIT; or raise airtable\.minTier in the rule file/,
    );
    expect(lines[held + 1]).toBe('  3218 Ås: 20 new lot(s)');
    expect(logger.lines.join('\n')).toMatch(
      /WARN New lots held back: they do not fit under the Airtable record ceiling kommune=3218 lots=20/,
    );
    expect(countLots(db).active).toBe(40);

    // The next night the team has added 5 records (950, the ceiling): still no room for 3218's 20,
    // nothing else to do, so no write at all; /health says the base is full.
    foreignRecords(5);
    double.clearRequests();
    const again = await run([
      ['3218', rescored],
      ['3207', lotsOf('3207', 10)],
    ]);
    expect(double.writeRequests()).toEqual([]);
    expect(again.airtableBudget).toMatchObject({
      count: { total: 950 },
      level: 'full',
      heldBack: [{ kommunenummer: '3218', lots: 20 }],
    });
    expect(health()).toMatchObject({ status: 'degraded', airtableRecords: { records: 950, level: 'full' } });

    // Room made (records archived in Airtable): the 20 come in, together.
    for (const record of double.records('Kontakter').slice(0, 100))
      double.deleteRecord('Kontakter', record.id);
    const room = await run([
      ['3218', rescored],
      ['3207', lotsOf('3207', 10)],
    ]);
    expect(room.totals.airtableCreated).toBe(20);
    expect(tomterOf('3218')).toHaveLength(30);
    // The 20 lots and their 20 "Ny tomt" alerts (Varsler counts against the limit too), held back together until now.
    expect(double.records('Varsler')).toHaveLength(20);
    expect(lastRecordCount(db)!.total).toBe(890);
  });

  it('holds new lots back, and goes on updating, while the base cannot be counted', async () => {
    await run([['3218', lotsOf('3218', 5)]]);
    double.injectFault(500, 20, (r) => r.kind === 'meta-read');
    const summary = await run([['3218', lotsOf('3218', 8, 3)]]);
    expect(summary.kommuner[0]).toMatchObject({
      outcome: 'ok',
      counts: { airtableUpdated: 5, airtableHeldBack: 3 },
    });
    expect(tomterOf('3218')).toHaveLength(5);
    expect(summary.airtableBudget).toMatchObject({ countError: expect.stringMatching(/500|SERVER_ERROR/) });
    expect(formatRunSummary(summary).find((l) => l.startsWith('held back: '))).toMatch(
      /the base could not be counted \(.*\); they are created by the next run whose count succeeds$/,
    );
  });
});
