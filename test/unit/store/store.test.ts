import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncedRecordStore, countSyncedRecords } from '../../../sync/src/store/airtable-records.js';
import { copyStoreInMemory, openStore, type Db } from '../../../sync/src/store/database.js';
import { planLotChanges, type IncomingLot } from '../../../sync/src/store/lot-changes.js';
import { createStoreLotParcelsLookup } from '../../../sync/src/store/lot-parcels.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';
import { migrations } from '../../../sync/src/store/migrations/index.js';
import { lotFingerprint } from '../../../sync/src/lot-record/fingerprint.js';
import {
  applyLotChanges,
  countLots,
  getLot,
  knownLotsOf,
  lotsOfKommune,
} from '../../../sync/src/store/lots.js';
import { acquireRunLock, releaseRunLock } from '../../../sync/src/store/run-lock.js';
import { storeWeekCounts } from '../../../sync/src/store/week-snapshots.js';
import { emptyCounts, kommuneResultsOf, recordKommuneResult } from '../../../sync/src/store/run-kommuner.js';
import {
  closeInterruptedRuns,
  countRuns,
  finishRun,
  getRun,
  lastRun,
  startRun,
} from '../../../sync/src/store/runs.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(): Db {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-store-'));
  dirs.push(dir);
  const db = openStore(path.join(dir, 'store.sqlite'));
  dbs.push(db);
  return db;
}

const [template] = aasRecords(aasLots({ count: 1 }));
const incoming = (id: string, fingerprint = 'f1', kommunenummer = '3218'): IncomingLot => ({
  record: { ...template!, tomtId: id, kommunenummer },
  fingerprint,
});

const apply = (db: Db, lots: IncomingLot[], runId: number, now: string, kommune = '3218') => {
  const changes = planLotChanges(knownLotsOf(db, kommune), lots);
  db.transaction(() => applyLotChanges(db, changes, { runId, now, vanishReason: () => 'Regulert' }))();
  return changes;
};

describe('store', () => {
  it('creates the schema once and records the migration', () => {
    const db = store();
    const versions = db.prepare('SELECT version, name FROM schema_migrations WHERE version < 100').all();
    expect(versions).toEqual([
      { version: 1, name: 'core: runs, lots, airtable records, run lock' },
      { version: 2, name: 'airtable records: index by record id' },
      { version: 3, name: 'lots: keep the lot record, not Airtable cells' },
      { version: 10, name: 'airtable record count' },
      { version: 20, name: 'lot map index (R*Tree) for the map API' },
      {
        version: 30,
        name: 'nightly runs keep their kommune list and what they resume; kommuner their input version',
      },
      {
        version: 40,
        name: 'plan areas of the last good run per kommune, and suspicious changes held until accepted',
      },
    ]);
    expect(countRuns(db)).toBe(0);
  });

  it('plans new, changed, unchanged, vanished and revived lots', () => {
    const changes = planLotChanges(
      [
        { tomtId: 'a', state: 'active', fingerprint: 'f1' },
        { tomtId: 'b', state: 'active', fingerprint: 'f1' },
        { tomtId: 'c', state: 'active', fingerprint: 'f1' },
        { tomtId: 'd', state: 'vanished', fingerprint: 'f1' },
      ],
      [incoming('a'), incoming('b', 'f2'), incoming('d'), incoming('e')],
    );
    const ids = (lots: IncomingLot[]) => lots.map((l) => l.record.tomtId);
    expect(ids(changes.unchanged)).toEqual(['a']);
    expect(ids(changes.changed)).toEqual(['b']);
    expect(changes.vanished).toEqual(['c']);
    expect(ids(changes.revived)).toEqual(['d']);
    expect(ids(changes.inserted)).toEqual(['e']);
    expect(() => planLotChanges([], [incoming('a'), incoming('a')])).toThrow(/found twice/);
  });

  it('keeps first and last seen, vanishes and revives without duplicating a lot', () => {
    const db = store();
    apply(db, [incoming('a'), incoming('b')], 1, '2026-03-01T01:00:00Z');
    apply(db, [incoming('a', 'f2')], 2, '2026-03-02T01:00:00Z');
    expect(getLot(db, 'a')).toMatchObject({
      firstSeen: '2026-03-01T01:00:00Z',
      lastSeen: '2026-03-02T01:00:00Z',
      fingerprint: 'f2',
    });
    expect(getLot(db, 'b')).toMatchObject({
      state: 'vanished',
      vanishedReason: 'Regulert',
      lastSeen: '2026-03-01T01:00:00Z',
      timesVanished: 1,
    });
    const back = apply(db, [incoming('a', 'f2'), incoming('b')], 3, '2026-03-03T01:00:00Z');
    expect(back.revived.map((l) => l.record.tomtId)).toEqual(['b']);
    expect(getLot(db, 'b')).toMatchObject({
      state: 'active',
      vanishedAt: null,
      revivedAt: '2026-03-03T01:00:00Z',
      firstSeen: '2026-03-01T01:00:00Z',
    });
    expect(countLots(db)).toEqual({ active: 2, vanished: 0 });
    expect(lotsOfKommune(db, '3218').map((l) => l.tomtId)).toEqual(['a', 'b']);
  });

  it('rolls a failed kommune transaction back whole', () => {
    const db = store();
    apply(db, [incoming('a')], 1, '2026-03-01T01:00:00Z');
    const changes = planLotChanges(knownLotsOf(db, '3218'), [incoming('b')]);
    expect(() =>
      db.transaction(() =>
        applyLotChanges(db, changes, {
          runId: 2,
          now: '2026-03-02T01:00:00Z',
          vanishReason: () => {
            throw new Error('disk full');
          },
        }),
      )(),
    ).toThrow('disk full');
    expect(lotsOfKommune(db, '3218').map((l) => [l.tomtId, l.state])).toEqual([['a', 'active']]);
  });

  it("lists a run's kommuner in the run's own order, whatever order they started or finished in", () => {
    const db = store();
    const result = (kommunenummer: string, startedAt: string) => ({
      kommunenummer,
      kommuneNavn: null,
      outcome: 'ok' as const,
      failedStage: null,
      error: null,
      startedAt,
      finishedAt: '2026-03-01T01:05:00Z',
      counts: emptyCounts(),
    });
    const planned = startRun(db, {
      startedAt: '2026-03-01T01:00:00Z',
      trigger: 'schedule',
      airtable: false,
      // A kommune named twice in the list is still listed once, at its first place.
      kommuner: ['3218', '3207', '3212', '3207'],
    });
    // 3207 and 3212 start in the same millisecond, after 3218 has started; 3212 is written first.
    recordKommuneResult(db, planned, result('3212', '2026-03-01T01:00:01.000Z'));
    recordKommuneResult(db, planned, result('3207', '2026-03-01T01:00:01.000Z'));
    recordKommuneResult(db, planned, result('3218', '2026-03-01T01:00:02.000Z'));
    const order = (runId: number) => kommuneResultsOf(db, runId).map((k) => k.kommunenummer);
    expect(order(planned)).toEqual(['3218', '3207', '3212']);
    // A run from before the list was kept: by start, then kommunenummer.
    const unplanned = startRun(db, { startedAt: '2026-03-02T01:00:00Z', trigger: 'cli', airtable: false });
    recordKommuneResult(db, unplanned, result('3218', '2026-03-02T01:00:02.000Z'));
    recordKommuneResult(db, unplanned, result('3212', '2026-03-02T01:00:01.000Z'));
    recordKommuneResult(db, unplanned, result('3207', '2026-03-02T01:00:01.000Z'));
    expect(order(unplanned)).toEqual(['3207', '3212', '3218']);
  });

  it('records runs and their kommuner, and closes runs whose process died', () => {
    const db = store();
    const id = startRun(db, { startedAt: '2026-03-01T01:00:00Z', trigger: 'schedule', airtable: true });
    recordKommuneResult(db, id, {
      kommunenummer: '3218',
      kommuneNavn: 'Ås',
      outcome: 'ok',
      failedStage: null,
      error: null,
      startedAt: '2026-03-01T01:00:00Z',
      finishedAt: '2026-03-01T01:01:00Z',
      counts: { ...emptyCounts(), lotsFound: 12 },
    });
    finishRun(db, id, {
      finishedAt: '2026-03-01T01:02:00Z',
      status: 'ok',
      airtableRequests: 3,
      summary: { x: 1 },
    });
    expect(lastRun(db)).toMatchObject({ id, status: 'ok', airtableRequests: 3, summary: { x: 1 } });
    expect(kommuneResultsOf(db, id)[0]!.counts.lotsFound).toBe(12);
    const dead = startRun(db, {
      startedAt: '2026-03-02T01:00:00Z',
      trigger: 'cli',
      airtable: false,
      pid: 999_999,
    });
    expect(closeInterruptedRuns(db, () => false, '2026-03-02T02:00:00Z')).toEqual([dead]);
    expect(getRun(db, dead)).toMatchObject({ status: 'interrupted', finishedAt: '2026-03-02T02:00:00Z' });
  });

  it('lets one process hold the run lock and takes it over from a dead one', () => {
    const db = store();
    expect(acquireRunLock(db, 'nightly', { now: 't1', pid: 111, isAlive: () => true })).toEqual({
      acquired: true,
    });
    expect(acquireRunLock(db, 'nightly', { now: 't2', pid: 222, isAlive: () => true })).toMatchObject({
      acquired: false,
      holder: { pid: 111 },
    });
    expect(acquireRunLock(db, 'nightly', { now: 't3', pid: 222, isAlive: () => false })).toEqual({
      acquired: true,
    });
    releaseRunLock(db, 'nightly', 222);
    expect(acquireRunLock(db, 'nightly', { now: 't4', pid: 333, isAlive: () => true })).toEqual({
      acquired: true,
    });
  });

  it('keeps Airtable record ids and field hashes per table and key', () => {
    const db = store();
    const records = syncedRecordStore(db);
    records.save('Tomter', [{ key: 'a', recordId: 'rec1', fieldHashes: { Score: 'h1' }, syncedAt: 't' }]);
    records.save('Tomter', [{ key: 'a', recordId: 'rec1', fieldHashes: { Score: 'h2' }, syncedAt: 't2' }]);
    records.save('Kommuner', [{ key: 'a', recordId: 'rec9', fieldHashes: {}, syncedAt: 't' }]);
    expect(records.get('Tomter', ['a', 'b']).get('a')).toMatchObject({
      recordId: 'rec1',
      fieldHashes: { Score: 'h2' },
    });
    expect(countSyncedRecords(db, 'Tomter')).toBe(1);
  });
});

describe('store copy', () => {
  it('copies a WAL store into memory, leaving the file untouched by writes to the copy', () => {
    const db = store();
    const id = startRun(db, { startedAt: 't', trigger: 'cli', airtable: false });
    const copy = copyStoreInMemory(db);
    startRun(copy, { startedAt: 't2', trigger: 'cli', airtable: false });
    expect(countRuns(copy)).toBe(2);
    expect(countRuns(db)).toBe(1);
    expect(getRun(copy, id)).toMatchObject({ startedAt: 't' });
    copy.close();
  });
});

describe('lot parcels for the owner lookup', () => {
  it('finds a synced lot by Tomt-ID and by its Airtable record id, with its parcels', async () => {
    const db = store();
    const [lot] = aasRecords(aasLots({ count: 1 }));
    apply(db, [{ record: lot!, fingerprint: 'f1' }], 1, '2026-03-01T01:00:00Z');
    const lookup = createStoreLotParcelsLookup(db, 'Tomter');
    expect(await lookup.byTomtId(lot!.tomtId)).toEqual({
      tomtId: lot!.tomtId,
      recordId: null,
      kommunenummer: '3218',
      matrikkelenheter: [{ kommunenummer: '3218', gnr: 45, bnr: 1, fnr: 0, snr: 0 }],
      matrikkelenhetId: null,
    });
    syncedRecordStore(db).save('Tomter', [
      { key: lot!.tomtId, recordId: 'recLOT000000001', fieldHashes: {}, syncedAt: 't' },
    ]);
    expect(await lookup.byRecordId('recLOT000000001')).toMatchObject({
      tomtId: lot!.tomtId,
      recordId: 'recLOT000000001',
    });
    expect(await lookup.byRecordId('recNOTALOT000001')).toBeNull();
    expect(await lookup.byTomtId('3218-1/1-nope')).toBeNull();
  });
});

describe('migration 3: lots keep the lot record', () => {
  it('turns a store that kept Airtable cells into lot records with the same facts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'store.sqlite');
    const old = openStore(file, { migrations: migrations.filter((m) => m.version < 3) });
    const [lot] = aasLots({ count: 1 });
    const { geometry, ...facts } = lot!;
    old
      .prepare(
        `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, lot, geometry, content, score, tier,
           first_seen, last_seen, changed_at) VALUES (?, '3218', 'active', 'old', ?, ?, ?, 50, 'C', 't', 't', 't')`,
      )
      .run(
        lot!.tomtId,
        JSON.stringify(facts),
        JSON.stringify(geometry),
        JSON.stringify({
          Kommune: 'Ås',
          Kilde: 'Kommuneplan: nap; reguleringsplan: files:/rp.gml; eiendom: teig-wfs',
        }),
      );
    old.close();

    const db = openStore(file);
    dbs.push(db);
    const stored = getLot(db, lot!.tomtId)!;
    expect(stored.record).toMatchObject({
      tomtId: lot!.tomtId,
      kommuneNavn: 'Ås',
      sources: { kommuneplan: 'nap', reguleringsplan: 'files:/rp.gml', parcels: 'teig-wfs' },
      score: lot!.score,
      geometry,
    });
    expect(stored.record.centre).toEqual(aasRecords([lot!])[0]!.centre);
    expect(stored.fingerprint).toBe(lotFingerprint(stored.record));
    const columns = (db.prepare('PRAGMA table_info(lots)').all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    expect(columns).toContain('record');
    expect(columns).not.toContain('content');
    expect(columns).not.toContain('lot');
  });
});

describe('migration 470: homes and kommune name as lot columns', () => {
  it('gives the week counts of lots stored before it what lots stored after it give', () => {
    const records = aasRecords(aasLots({ count: 40 }));
    const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'store.sqlite');
    const old = openStore(file, { migrations: migrations.filter((m) => m.version < 470) });
    const insert = old.prepare(
      `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, record, geometry, score, tier,
         first_seen, last_seen, changed_at) VALUES (?, '3218', ?, 'f', ?, ?, ?, ?, 't', 't', 't')`,
    );
    records.forEach(({ geometry, ...facts }, i) =>
      insert.run(
        facts.tomtId,
        i % 10 === 0 ? 'vanished' : 'active',
        JSON.stringify(facts),
        JSON.stringify(geometry),
        facts.score.total,
        facts.score.tier,
      ),
    );
    old.close();
    const migrated = openStore(file);
    dbs.push(migrated);

    const fresh = store();
    apply(
      fresh,
      records.map((record) => ({ record, fingerprint: lotFingerprint(record) })),
      1,
      '2026-03-01T01:00:00Z',
    );
    const vanished = records.filter((_, i) => i % 10 === 0).map((r) => r.tomtId);
    fresh
      .prepare(`UPDATE lots SET state = 'vanished' WHERE tomt_id IN (${vanished.map(() => '?').join(',')})`)
      .run(...vanished);

    const active = records.filter((_, i) => i % 10 !== 0);
    const homes = active.reduce((sum, r) => sum + r.score.capacity.homes, 0);
    const counts = storeWeekCounts(migrated);
    expect(counts.byKommune).toEqual([
      { kommunenummer: '3218', navn: 'Ås', lots: 36, homes, lotsAB: counts.byKommune[0]!.lotsAB },
    ]);
    expect(counts.byKommune[0]!.lotsAB).toBe(active.filter((r) => ['A', 'B'].includes(r.score.tier)).length);
    expect(homes).toBeGreaterThan(0);
    expect(Object.values(counts.lots).reduce((a, b) => a + b, 0)).toBe(36);
    expect(storeWeekCounts(fresh)).toEqual(counts);
  });
});
