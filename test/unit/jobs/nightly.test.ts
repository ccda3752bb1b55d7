import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import type { Lot, ScoredLot } from '../../../sync/src/domain/lot.js';
import { lotFingerprint } from '../../../sync/src/lot-record/fingerprint.js';
import { lotRecordOf } from '../../../sync/src/lot-record/lot-record.js';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { selectKommuner } from '../../../sync/src/jobs/kommune-selection.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { countLots, getLot, knownLotsOf, lotsOfKommune } from '../../../sync/src/store/lots.js';
import { acquireRunLock } from '../../../sync/src/store/run-lock.js';
import { countRuns, lastRun } from '../../../sync/src/store/runs.js';
import { InputError } from '../../../sync/src/util/errors.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import {
  AAS_SOURCES,
  aasData,
  aasLots,
  everyLotRules,
  fixtureStages,
  kommuneLots,
} from '../../fixtures/crm/lots.js';
import { frozenRanking } from '../../fixtures/kommune-selection/ranking.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';

let db: Db;
let double: AirtableDouble | undefined;
let client: AirtableClient | undefined;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(async () => {
  await client?.close();
  await double?.close();
  client = undefined;
  double = undefined;
  db.close();
});

async function withAirtable() {
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000 });
  return client;
}

const logger = createMemoryLogger();
let clock = Date.parse('2026-03-02T01:00:00Z');
const tick = () => new Date((clock += 86_400_000));

function options(lotsOf: (k: string) => ScoredLot[], extra: Partial<NightlyOptions> = {}): NightlyOptions {
  return {
    db,
    stages: fixtureStages(lotsOf),
    kommuner: ['3218'],
    airtable: client ?? null,
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger,
    now: tick,
    ...extra,
  };
}

const tomter = () => new Map(double!.records('Tomter').map((r) => [r.fields['Tomt-ID'] as string, r]));

describe('nightly job', () => {
  it('keeps everything in the store when Airtable is not configured, and says so', async () => {
    const lots = aasLots({ count: 30 });
    const summary = await runNightly(options(() => lots));
    expect(summary).toMatchObject({ status: 'ok', airtable: false, airtableRequests: 0 });
    expect(summary.kommuner[0]).toMatchObject({ kommunenummer: '3218', kommuneNavn: 'Ås', outcome: 'ok' });
    expect(summary.totals).toMatchObject({ lotsFound: 30, lotsNew: 30 });
    expect(countLots(db)).toEqual({ active: 30, vanished: 0 });
    expect(logger.lines.join('\n')).toMatch(/Airtable is not configured .* store only/);
    expect(lastRun(db)).toMatchObject({ status: 'ok', trigger: 'cli' });
  });

  it('creates every lot once with Status "Ny"; the next run sends nothing at all', async () => {
    await withAirtable();
    const lots = aasLots({ count: 45 });
    const first = await runNightly(options(() => lots));
    expect(first.totals).toMatchObject({ airtableCreated: 45, airtableFailed: 0 });
    expect(double!.records('Tomter')).toHaveLength(45);
    const record = tomter().get(lots[0]!.tomtId)!;
    expect(record.fields).toMatchObject({
      Status: 'Ny',
      Kommune: 'Ås',
      'Først sett': expect.stringMatching(/^2026-\d\d-\d\d$/),
    });
    expect(record.fields['Sist sett']).toBe(record.fields['Først sett']);
    expect(record.fields['Utgått dato']).toBeUndefined();
    double!.clearRequests();
    const second = await runNightly(options(() => lots));
    expect(second.totals).toMatchObject({ airtableCreated: 0, airtableUpdated: 0, airtableUnchanged: 45 });
    expect(double!.requests).toHaveLength(0);
    expect(second.airtableRequests).toBe(0);
  });

  it('marks a vanished lot gone without trampling a status the team set, and revives it in place', async () => {
    await withAirtable();
    const lots = aasLots({ count: 12 });
    await runNightly(options(() => lots));
    const [untouched, inDialog] = [lots[3]!, lots[4]!];
    double!.editRecord('Tomter', tomter().get(inDialog.tomtId)!.id, {
      Status: 'Dialog',
      Notater: 'Eier positiv',
    });
    const remaining = lots.filter((l) => l !== untouched && l !== inDialog);
    const gone = await runNightly(options(() => remaining));
    expect(gone.totals).toMatchObject({ lotsVanished: 2, airtableMarkedGone: 2 });
    expect(tomter().get(untouched.tomtId)!.fields).toMatchObject({
      Status: 'Utgått',
      'Utgått dato': expect.stringMatching(/^2026-03-\d\d$/),
      'Utgått årsak': expect.stringMatching(/\w/),
    });
    expect(tomter().get(inDialog.tomtId)!.fields).toMatchObject({
      Status: 'Dialog',
      Notater: 'Eier positiv',
    });
    expect(tomter().get(inDialog.tomtId)!.fields['Utgått dato']).toBeDefined();
    expect(getLot(db, untouched.tomtId)).toMatchObject({ state: 'vanished' });

    const back = await runNightly(options(() => lots));
    expect(back.totals.lotsRevived).toBe(2);
    expect(double!.records('Tomter')).toHaveLength(12);
    expect(tomter().get(untouched.tomtId)!.fields).toMatchObject({ Status: 'Ny' });
    expect(tomter().get(untouched.tomtId)!.fields['Utgått dato']).toBeUndefined();
    expect(tomter().get(inDialog.tomtId)!.fields).toMatchObject({
      Status: 'Dialog',
      Notater: 'Eier positiv',
    });
    expect(tomter().get(inDialog.tomtId)!.fields['Utgått årsak']).toBeUndefined();
  });

  it('keeps a failing kommune’s last good lots and runs the others', async () => {
    const byKommune = (k: string) => kommuneLots(k, { count: 5 });
    await runNightly(options(byKommune, { kommuner: ['3207', '3218'] }));
    const stages = fixtureStages(byKommune, { failing: new Set(['3207']) });
    const summary = await runNightly(options(byKommune, { kommuner: ['3207', '3218'], stages }));
    expect(summary.status).toBe('partial');
    expect(summary.kommuner.map((k) => [k.kommunenummer, k.outcome, k.failedStage])).toEqual([
      ['3207', 'failed', 'load'],
      ['3218', 'ok', null],
    ]);
    expect(summary.kommuner[0]!.error).toMatch(/timeout for kommune 3207/);
    expect(lotsOfKommune(db, '3207').map((l) => l.state)).toEqual(Array(5).fill('active'));
  });

  it('refuses to vanish every lot when the kommuneplan comes back empty', async () => {
    const lots = aasLots({ count: 5 });
    await runNightly(options(() => lots));
    const stages = fixtureStages(() => [], { data: () => ({ ...aasData([]), kommuneplan: [] }) });
    const summary = await runNightly(options(() => [], { stages }));
    expect(summary.kommuner[0]).toMatchObject({ outcome: 'failed', failedStage: 'find' });
    expect(countLots(db)).toEqual({ active: 5, vanished: 0 });
  });

  it('plans a dry run on a copy: nothing stored, nothing written, the plan printed', async () => {
    await withAirtable();
    const lots = aasLots({ count: 8 });
    await runNightly(options(() => lots.slice(0, 5)));
    double!.clearRequests();
    const runsBefore = countRuns(db);
    const changed = aasLots({ count: 8, variant: 3 });
    const summary = await runNightly(options(() => changed.slice(1), { dryRun: true }));
    expect(summary.dryRun).toBe(true);
    expect(summary.plans[0]).toMatchObject({
      create: changed.slice(5).map((l) => l.tomtId),
      markGone: [lots[0]!.tomtId],
    });
    expect(summary.plans[0]!.update.map((u) => u.key)).toEqual(
      changed
        .slice(1, 5)
        .map((l) => l.tomtId)
        .sort(),
    );
    expect(double!.writeRequests()).toHaveLength(0);
    expect(countRuns(db)).toBe(runsBefore);
    expect(countLots(db)).toEqual({ active: 5, vanished: 0 });
    const text = formatRunSummary(summary).join('\n');
    expect(text).toMatch(/Dry run \(nothing written\)/);
    expect(text).toMatch(/3218 would create \(3\)/);
    expect(text).toMatch(/would mark as gone \(Utgått\) \(1\)/);
  });

  it('stops between kommuner when asked (SIGTERM) and records the rest as skipped', async () => {
    let stop = false;
    const stages = fixtureStages(() => aasLots({ count: 3 }));
    const original = stages.scoreLots;
    stages.scoreLots = (lots, data) => {
      stop = true;
      return original(lots, data);
    };
    const summary = await runNightly(
      options(() => [], { stages, kommuner: ['3218', '3207'], shouldStop: () => stop }),
    );
    expect(summary.status).toBe('interrupted');
    expect(summary.kommuner.map((k) => k.outcome)).toEqual(['ok', 'skipped']);
    // 3207 was read ahead while 3218 computed; the stop drops it before it is computed.
    expect([...stages.calls].sort()).toEqual(['find 3218', 'load 3207', 'load 3218']);
  });

  it('keeps the store when Airtable fails, and the next run completes the sync', async () => {
    await withAirtable();
    const lots = aasLots({ count: 15 });
    const badClient = clientFor(double!, { requestsPerSecond: 1000, token: 'patWRONG' });
    const failed = await runNightly(options(() => lots, { airtable: badClient }));
    await badClient.close();
    expect(failed.kommuner[0]).toMatchObject({ outcome: 'failed', failedStage: 'airtable' });
    expect(failed.kommuner[0]!.error).toMatch(/AUTHENTICATION_REQUIRED/);
    expect(countLots(db).active).toBe(15);
    const next = await runNightly(options(() => lots));
    expect(next.totals).toMatchObject({ lotsUnchanged: 15, airtableCreated: 15 });
  });

  it('does not start while another process holds the run lock', async () => {
    acquireRunLock(db, 'nightly', { now: 'x', pid: process.pid + 1, isAlive: () => true });
    db.prepare('UPDATE run_lock SET pid = 1').run();
    await expect(runNightly(options(() => aasLots({ count: 1 })))).rejects.toBeInstanceOf(InputError);
  });

  it('says why each kommune is in, and which were left out, in the summary, the log and the stored run', async () => {
    const selection = selectKommuner({
      ranking: frozenRanking(),
      topN: 50,
      envKommuner: ['4601'],
      pins: new Map([
        ['3212', 'always'],
        ['0301', 'never'],
      ]),
      sampleKommune: null,
      warnings: [
        { code: 'prioritet-read-failed', message: 'reading Prioritet failed (503); going on with 2 pin(s)' },
      ],
    });
    const memory = createMemoryLogger();
    const lots = aasLots({ count: 3 });
    const lotsOf = (k: string) => (k === '3218' ? lots : []);
    const summary = await runNightly(
      options(lotsOf, {
        stages: fixtureStages(lotsOf, { failing: new Set(['4601']) }),
        kommuner: selection.kommuner.map((k) => k.kommunenummer),
        selection,
        logger: memory,
      }),
    );
    expect(summary.kommuner).toHaveLength(51);
    expect(summary.kommuner.slice(0, 3).map((k) => k.kommunenummer)).toEqual(['4601', '3212', '1144']);
    const lines = formatRunSummary(summary);
    expect(lines[2]).toMatch(/requests why$/);
    const row = (nr: string) => lines.find((l) => l.startsWith(`${nr} `))!;
    expect(row('3218')).toMatch(/^3218\s+Ås\s+ok\s+3\s+3\s.* top 50 \(rank 34\)$/);
    // A kommune that failed before its data was read still shows the ranking's name.
    expect(row('4601')).toMatch(/^4601\s+Bergen\s+failed\s.* KOMMUNER$/);
    expect(row('3212')).toMatch(/ Prioritet: Alltid med$/);
    expect(row('3207')).toMatch(/ top 50 \(rank 16\)$/);
    expect(lines.slice(-3)).toEqual([
      'not run (Prioritet: Ikke aktuell): 1',
      '  0301 Oslo - Oslove: would be in for top 50 (rank 13)',
      'warning prioritet-read-failed: reading Prioritet failed (503); going on with 2 pin(s)',
    ]);
    // Each kommune's line says how far the run is and when it should end.
    expect(memory.lines.join('\n')).toMatch(
      /ERROR Kommune 4601 failed at load \(1\/51, ETA [^)]+\) why=KOMMUNER error=/,
    );
    expect(memory.lines.join('\n')).toMatch(
      /Kommune 3218 done \(34\/51, ETA (\d+ s|\d+ min)\) why=top 50 \(rank 34\) lots=3 new=3 changed=0 vanished=0 airtableCreated=0 airtableUpdated=0/,
    );
    expect(lastRun(db)!.summary).toMatchObject({
      selection: {
        kommuner: expect.arrayContaining([
          { kommunenummer: '3218', navn: 'Ås', rank: 34, reasons: ['top 50 (rank 34)'] },
        ]),
      },
    });
  });

  it('groups the kommuner left for want of sources, naming at most the list limit', async () => {
    const selection = selectKommuner({
      ranking: frozenRanking(),
      topN: 50,
      pins: new Map(),
      sampleKommune: '3218',
    });
    const summary = await runNightly(options(() => aasLots({ count: 2 }), { kommuner: ['3218'], selection }));
    const lines = formatRunSummary(summary, { listLimit: 2 });
    expect(lines.find((l) => l.startsWith('3218 '))).toMatch(/ top 50 \(rank 34\), the sample kommune$/);
    expect(lines.slice(-5)).toEqual([
      'not run (no sources configured (SOURCES_FILE or NAP)): 49',
      '  1144 Kvitsøy: would be in for top 50 (rank 1)',
      '  5052 Leka: would be in for top 50 (rank 2)',
      '  … and 47 more',
      "note: the kommune ranking's top 50 is not run: with no SOURCES_FILE or NAP credentials only the sample kommune 3218 has data",
    ]);
  });

  it('prints no reasons when the caller gave none', async () => {
    const summary = await runNightly(options(() => aasLots({ count: 1 })));
    expect(summary.selection).toBeNull();
    expect(formatRunSummary(summary)[2]).toMatch(/requests$/);
  });
});

// Last in the file: the tests above count the shared clock's nights.
describe('nightly job, records made with the scores', () => {
  it('stores the records the scoring stage made with the scores, for those scored lots and that kommune only', async () => {
    const lots = aasLots({ count: 12 });
    const stages = fixtureStages(() => lots);
    const asked: Array<{ navn: string; same: boolean }> = [];
    let scoredArray: ScoredLot[] | null = null;
    const made = (scored: ScoredLot[], navn: string) =>
      scored.map((lot) => {
        const record = lotRecordOf(lot, { navn, sources: AAS_SOURCES });
        return { record, fingerprint: `made-${lotFingerprint(record)}` };
      });
    const withRecords = {
      ...stages,
      scoreLots: (found: Lot[], data: KommuneData) =>
        (scoredArray = stages.scoreLots(found, data) as ScoredLot[]),
      lotRecords: (scored: ScoredLot[], kommune: { navn: string }) => {
        asked.push({ navn: kommune.navn, same: scored === scoredArray });
        return scored === scoredArray ? made(scored, kommune.navn) : null;
      },
    };
    await runNightly(options(() => lots, { stages: withRecords }));
    expect(asked).toEqual([{ navn: 'Ås', same: true }]);
    const fingerprints = knownLotsOf(db, '3218').map((l) => l.fingerprint);
    expect(fingerprints).toHaveLength(12);
    expect(fingerprints.every((f) => f.startsWith('made-'))).toBe(true);

    // Without them (null), the store makes its own.
    const fresh = openStore(':memory:');
    try {
      await runNightly(
        options(() => lots, { db: fresh, stages: { ...withRecords, lotRecords: () => null } }),
      );
      expect(knownLotsOf(fresh, '3218').every((l) => !l.fingerprint.startsWith('made-'))).toBe(true);
    } finally {
      fresh.close();
    }
  });
});
