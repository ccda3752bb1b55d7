import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { saveKommunePins, storedKommunePins } from '../../../sync/src/store/kommune-pins.js';
import {
  createKommuneRankingStore,
  type KommuneRankingStore,
  type StoredRanking,
} from '../../../sync/src/store/kommune-ranking.js';
import { latestRanks, topChanges, type TopChange } from '../../../sync/src/store/kommune-top.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';

const DAY = 86_400_000;
let dir: string;
let h: SsbHarness;
let db: Db;
let store: KommuneRankingStore;
const rankings: StoredRanking[] = [];

/** One weekly refresh on the SSB double (real population and election figures) into `store`. */
async function refreshWeek(weights: Partial<SsbHarness['rules']['weights']> = {}): Promise<StoredRanking> {
  h.clock.advance(8 * DAY);
  const rules = { ...h.rules, weights: { ...h.rules.weights, ...weights } };
  const report = await runKommuneRefresh({
    ssb: h.ssb,
    klass: h.klass,
    store,
    rules,
    refreshDays: 7,
    clock: h.clock,
  });
  expect(report.outcome).toBe('refreshed');
  return store.latestRanking()!;
}

const topSet = (ranking: StoredRanking) =>
  new Set(ranking.kommuner.filter((k) => k.top).map((k) => k.kommune.kommunenummer));
const ofRefresh = (changes: TopChange[], id: number) => changes.filter((c) => c.refreshId === id);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-top-'));
  h = await startSsbHarness();
  db = openStore(path.join(dir, 'store.sqlite'));
  store = createKommuneRankingStore(db);
  rankings.push(await refreshWeek());
  // The next week the team weights politics higher: ranks move, some kommuner cross the line.
  rankings.push(await refreshWeek({ byggevilje: 40 }));
  // A failed week in between changes nothing …
  const failed = store.beginRefresh(new Date(h.clock.now()).toISOString(), 'schedule');
  store.failRefresh(failed, { finishedAt: new Date(h.clock.now()).toISOString(), requests: 3, error: '503' });
  // … and the week after goes back to the default weights.
  rankings.push(await refreshWeek());
});
afterAll(async () => {
  db.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('top-50 changes (migration 210)', () => {
  it('records every flagged kommune as entering with the first ranking, dated by its refresh', () => {
    const [first] = rankings;
    const changes = ofRefresh(topChanges(db), first!.refresh.id);
    expect(changes).toHaveLength(50);
    expect(changes.every((c) => c.change === 'entered' && c.previousRank === null)).toBe(true);
    expect(new Set(changes.map((c) => c.kommunenummer))).toEqual(topSet(first!));
    expect(changes[0]).toMatchObject({
      at: first!.refresh.finishedAt,
      date: first!.refresh.finishedAt!.slice(0, 10),
      rank: 1,
    });
    const aas = first!.kommuner.find((k) => k.kommune.kommunenummer === '3218')!;
    expect(topChanges(db, { kommunenummer: '3218' }).at(-1)).toMatchObject({
      change: 'entered',
      navn: 'Ås',
      rank: aas.rank,
      previousRank: null,
    });
  });

  it('records who entered and who left against the previous good refresh, with both ranks', () => {
    const [first, second] = rankings;
    const before = topSet(first!);
    const after = topSet(second!);
    const entered = [...after].filter((nr) => !before.has(nr));
    const left = [...before].filter((nr) => !after.has(nr));
    expect(entered.length).toBeGreaterThan(0);
    const changes = ofRefresh(topChanges(db), second!.refresh.id);
    expect(
      changes
        .filter((c) => c.change === 'entered')
        .map((c) => c.kommunenummer)
        .sort(),
    ).toEqual(entered.sort());
    expect(
      changes
        .filter((c) => c.change === 'left')
        .map((c) => c.kommunenummer)
        .sort(),
    ).toEqual(left.sort());
    const rankIn = (ranking: StoredRanking, nr: string) =>
      ranking.kommuner.find((k) => k.kommune.kommunenummer === nr)!.rank;
    for (const change of changes) {
      expect(change.rank).toBe(rankIn(second!, change.kommunenummer));
      expect(change.previousRank).toBe(rankIn(first!, change.kommunenummer));
      expect(change.date).toBe(second!.refresh.finishedAt!.slice(0, 10));
    }
  });

  it('skips failed refreshes: the week after compares with the last good one', () => {
    const [first, second, third] = rankings;
    const changes = ofRefresh(topChanges(db), third!.refresh.id);
    // Back to the default weights, so exactly the reverse of the second week.
    const reverse = ofRefresh(topChanges(db), second!.refresh.id).map((c) => ({
      kommunenummer: c.kommunenummer,
      change: c.change === 'entered' ? 'left' : 'entered',
    }));
    expect(changes.map((c) => ({ kommunenummer: c.kommunenummer, change: c.change }))).toEqual(
      expect.arrayContaining(reverse),
    );
    expect(changes).toHaveLength(reverse.length);
    expect(topSet(third!)).toEqual(topSet(first!));
  });

  it('lists changes newest first, per kommune or since a date', () => {
    const all = topChanges(db);
    expect(all.map((c) => c.refreshId)).toEqual([...all.map((c) => c.refreshId)].sort((a, b) => b - a));
    const since = rankings[1]!.refresh.finishedAt!.slice(0, 10);
    expect(topChanges(db, { since }).every((c) => c.date >= since)).toBe(true);
    expect(topChanges(db, { since }).length).toBeLessThan(all.length);
    expect(topChanges(db, { limit: 3 })).toHaveLength(3);
  });

  it('gives the nightly run the latest ranks and flags without the factor figures', () => {
    const latest = latestRanks(db)!;
    const third = rankings[2]!;
    expect(latest).toMatchObject({ refreshId: third.refresh.id, finishedAt: third.refresh.finishedAt });
    expect(latest.kommuner).toEqual(
      third.kommuner.map((k) => ({
        kommunenummer: k.kommune.kommunenummer,
        navn: k.kommune.navn,
        rank: k.rank,
        top: k.top,
      })),
    );
    expect(latestRanks(openStore(':memory:'))).toBeNull();
  });

  it('fills in the changes of rankings stored before the migration, as a live refresh records them', () => {
    const live = topChanges(db);
    const file = path.join(dir, 'old.sqlite');
    db.prepare('VACUUM INTO ?').run(file);
    const old = openStore(file);
    old.exec(`DROP TABLE kommune_top_change; DROP TABLE kommune_pin; DROP TABLE kommune_pin_read;
      DELETE FROM schema_migrations WHERE version = 210;`);
    old.close();
    const migrated = openStore(file);
    expect(topChanges(migrated)).toEqual(live);
    migrated.close();
  });
});

describe('the team’s pins, last read', () => {
  it('are kept whole per read, so a pin removed in Airtable is gone', () => {
    const pins = openStore(':memory:');
    expect(storedKommunePins(pins)).toBeNull();
    saveKommunePins(
      pins,
      new Map([
        ['3212', 'always'],
        ['0301', 'never'],
      ]),
      '2026-03-10T01:00:00.000Z',
    );
    saveKommunePins(pins, new Map([['3212', 'always']]), '2026-03-11T01:00:00.000Z');
    expect(storedKommunePins(pins)).toEqual({
      pins: new Map([['3212', 'always']]),
      readAt: '2026-03-11T01:00:00.000Z',
    });
    saveKommunePins(pins, new Map(), '2026-03-12T01:00:00.000Z');
    expect(storedKommunePins(pins)).toEqual({ pins: new Map(), readAt: '2026-03-12T01:00:00.000Z' });
    pins.close();
  });
});
