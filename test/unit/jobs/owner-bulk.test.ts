import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalLotParcelsLookup, LotParcels } from '../../../sync/src/domain/lot-parcels.js';
import { createOwnerBulkScheduler, type OwnerBulkSettings } from '../../../sync/src/jobs/owner-bulk.js';
import { localTime } from '../../../sync/src/jobs/owner-bulk-pacing.js';
import type { JobOutcome, JobRunner } from '../../../sync/src/jobs/owner-lookup-job.js';
import { createOwnerLookupQueue, type OwnerLookupQueue } from '../../../sync/src/jobs/owner-lookup-queue.js';
import { listAudit, listCallLines } from '../../../sync/src/store/audit-log.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { saveKommunePins } from '../../../sync/src/store/kommune-pins.js';
import { enqueueOrJoin, finishJob } from '../../../sync/src/store/owner-lookup-jobs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { idleWithin } from '../../helpers/queue-idle.js';

let dir: string;
let db: Db;
let queue: OwnerLookupQueue | undefined;
let clock: Date;
let matrikkelCalls: Array<{ at: string; jobId: number; tomtId: string }>;

const TZ = 'Europe/Oslo';
const settings: OwnerBulkSettings = {
  budget: 40,
  tiers: ['A', 'B'],
  refreshDays: 90,
  day: { startHour: 8, endHour: 16, weekdays: [1, 2, 3, 4, 5] },
  timeZone: TZ,
  tickMinutes: 1,
};

function addLot(tomtId: string, tier: string, score: number) {
  db.prepare(
    `INSERT INTO lots (tomt_id, kommunenummer, state, fingerprint, record, geometry, score, tier, first_seen, last_seen, changed_at)
     VALUES (?, ?, 'active', 'f', '{}', '{}', ?, ?, '2026-01-01', '2026-01-01', '2026-01-01')`,
  ).run(tomtId, tomtId.slice(0, 4), score, tier);
}

const parcelsOf = (tomtId: string): LotParcels => ({
  tomtId,
  recordId: null,
  kommunenummer: tomtId.slice(0, 4),
  matrikkelenheter: [
    { kommunenummer: tomtId.slice(0, 4), gnr: Number(tomtId.split('-')[1]), bnr: 1, fnr: 0, snr: 0 },
  ],
  matrikkelenhetId: null,
});
const lots: LocalLotParcelsLookup = { byTomtId: parcelsOf, byRecordId: () => null };

/** A lookup finished at `at` (an on-demand one, as the webhook would have made). */
function lookedUp(tomtId: string, at: Date) {
  const { job } = enqueueOrJoin(
    db,
    { lot: parcelsOf(tomtId), requestedBy: 'kari', via: 'hmac', purpose: 'salg' },
    { now: at, windowMinutes: 10 },
  );
  db.prepare(`UPDATE owner_lookup_jobs SET state = 'running', lease_holder = 'old' WHERE id = ?`).run(job.id);
  finishJob(db, job.id, 'old', { state: 'done', ownerCount: 1, message: 'ok', at });
}

const done = (): JobOutcome => ({ state: 'done', ownerCount: 1, message: 'ok', detail: '1 owner' });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'owner-bulk-'));
  db = openStore(path.join(dir, 'store.sqlite'));
  matrikkelCalls = [];
  clock = new Date('2026-09-06T22:00:00Z'); // Monday 7 September, 00:00 in Oslo
  // 60 lots of each tier in Ås, best scores first within a tier; 20 A lots in Nordre Follo.
  for (let i = 0; i < 60; i++) {
    addLot(`3218-${100 + i}/1-a`, 'A', 95 - i / 10);
    addLot(`3218-${200 + i}/1-b`, 'B', 75 - i / 10);
    addLot(`3218-${300 + i}/1-c`, 'C', 50);
  }
  for (let i = 0; i < 20; i++) addLot(`3207-${400 + i}/1-a`, 'A', 99);
});
afterEach(async () => {
  await queue?.stop({ abandon: true });
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(run: JobRunner) {
  const q = createOwnerLookupQueue({
    db,
    run,
    concurrency: 4,
    windowMinutes: 10,
    logger: createMemoryLogger(),
    now: () => clock,
    pollMs: 60_000,
    retryDelaysMs: [0],
  });
  q.start();
  queue = q;
  return createOwnerBulkScheduler({
    db,
    queue: q,
    lots,
    settings,
    now: () => clock,
    logger: createMemoryLogger(),
  });
}

/** Runs the scheduler once a simulated minute for `days` days, letting the queue finish after each tick. */
async function simulate(scheduler: { tick(): { queued: string[] } }, days: number) {
  for (let minute = 0; minute < days * 24 * 60; minute++) {
    if (scheduler.tick().queued.length > 0) await idleWithin(queue!);
    clock = new Date(clock.getTime() + 60_000);
  }
}

const countingRunner: JobRunner = async (job) => {
  matrikkelCalls.push({ at: clock.toISOString(), jobId: job.id, tomtId: job.lot.tomtId });
  return done();
};

describe('owner lookups for every good lot (bulk)', () => {
  it('holds the daily budget exactly over a simulated day, spread over the working day, every call audited', async () => {
    saveKommunePins(db, new Map([['3207', 'never']]), clock.toISOString());
    const fresh = '3218-100/1-a';
    const stale = '3218-101/1-a';
    lookedUp(fresh, new Date('2026-08-01T10:00:00Z'));
    lookedUp(stale, new Date('2026-05-01T10:00:00Z'));
    await simulate(start(countingRunner), 1);

    const lines = listCallLines(db).filter((l) => l.purpose === 'automatisk, klasse A/B');
    expect(lines).toHaveLength(settings.budget);
    expect(matrikkelCalls).toHaveLength(settings.budget);
    // Every run of Matrikkel calls has its audit line (written before it) and its lookup's outcome line.
    expect(lines.map((l) => l.jobId)).toEqual(matrikkelCalls.map((c) => c.jobId));
    const audited = listAudit(db).filter((a) => a.purpose === 'automatisk, klasse A/B');
    expect(audited.map((a) => a.jobId).sort()).toEqual(lines.map((l) => l.jobId).sort());
    expect(new Set(lines.map((l) => l.requestedBy))).toEqual(new Set(['Tomtejakt (automatisk)']));

    // Spread: 5 an hour from 08:00 to 15:59, one every 12 minutes.
    const local = lines.map((l) => localTime(new Date(l.at), TZ));
    const perHour = new Map<number, number>();
    for (const t of local)
      perHour.set(Math.floor(t.minutes / 60), (perHour.get(Math.floor(t.minutes / 60)) ?? 0) + 1);
    expect([...perHour]).toEqual([8, 9, 10, 11, 12, 13, 14, 15].map((h) => [h, 5]));
    const gaps = local.slice(1).map((t, i) => t.minutes - local[i]!.minutes);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(12);

    // Which lots: A before B, best score first, the stale one again, never the fresh one, C or Ikke aktuell.
    const tomtIds = lines.map((l) => l.tomtId);
    expect(tomtIds).toContain(stale);
    expect(tomtIds).not.toContain(fresh);
    expect(tomtIds.every((id) => id.startsWith('3218-') && !id.endsWith('-c'))).toBe(true);
    expect(tomtIds.slice(0, 3)).toEqual(['3218-101/1-a', '3218-102/1-a', '3218-103/1-a']);
  });

  it('counts a retried run of calls against the budget, and carries on the next working day, not at the weekend', async () => {
    let failedOnce = false;
    const flaky: JobRunner = async (job, options) => {
      if (!failedOnce) {
        failedOnce = true;
        matrikkelCalls.push({ at: clock.toISOString(), jobId: job.id, tomtId: job.lot.tomtId });
        return { state: 'retry', message: 'igjen', detail: 'timeout' };
      }
      return countingRunner(job, options);
    };
    const scheduler = start(flaky);
    await simulate(scheduler, 1);
    const monday = listCallLines(db);
    expect(monday).toHaveLength(settings.budget);
    expect(new Set(monday.map((l) => l.jobId)).size).toBe(settings.budget - 1);

    clock = new Date('2026-09-11T22:00:00Z'); // Saturday 12 September
    await simulate(scheduler, 2);
    expect(listCallLines(db)).toHaveLength(settings.budget);
    await simulate(scheduler, 1); // Monday 14 September
    expect(listCallLines(db)).toHaveLength(2 * settings.budget);
  });

  it('stops when no lot needs a lookup', async () => {
    const scheduler = start(countingRunner);
    clock = new Date('2026-09-07T06:00:00Z'); // 08:00 in Oslo
    db.prepare(`UPDATE lots SET tier = 'C'`).run();
    expect(scheduler.tick()).toMatchObject({ queued: [], idle: 'no lot needs a lookup' });
    clock = new Date('2026-09-07T15:00:00Z'); // 17:00
    expect(scheduler.tick()).toMatchObject({ queued: [], idle: 'outside working hours' });
  });
});

describe('the bulk lookups in the service', () => {
  const service = async (source: Record<string, string>, logger = createMemoryLogger()) => {
    const { loadEnv } = await import('../../../sync/src/config/env.js');
    const { createOwnerLookupService } = await import('../../../sync/src/jobs/owner-lookup-service.js');
    const env = loadEnv({ source: { MATRIKKEL_USERNAME: 'u', MATRIKKEL_PASSWORD: 'p', ...source } });
    // The test's clock (Monday 00:00 in Oslo), not the machine's: the tick's answer must not depend on the hour.
    return createOwnerLookupService({ env, db, airtable: null, logger, now: () => clock });
  };

  it('are off by default and run on their timer with OWNER_DAILY_BUDGET set, shown in /health', async () => {
    const logger = createMemoryLogger();
    const off = await service({}, logger);
    off.start();
    // Matrikkel credentials but no budget: /health and the start-up log say so and name the key.
    expect(off.health().bulk).toMatchObject({
      budget: 0,
      lastTick: null,
      off: expect.stringMatching(/off.*OWNER_DAILY_BUDGET above 0/),
    });
    expect(logger.lines.filter((l) => l.includes('bulk owner lookups are off'))).toHaveLength(1);
    const on = await service({ OWNER_DAILY_BUDGET: '40', OWNER_BULK_TIERS: 'A', OWNER_BULK_HOURS: '07-15' });
    on.start();
    try {
      expect(on.health().bulk).toMatchObject({ budget: 40, lastTick: { budget: 40 } });
    } finally {
      await on.stop({ abandon: true });
      await off.stop();
    }
  });

  it('refuses a working day that ends before it starts, naming the key', async () => {
    await expect(service({ OWNER_BULK_HOURS: '16-08' })).rejects.toThrow(/OWNER_BULK_HOURS/);
    await expect(service({ OWNER_BULK_TIERS: 'A,X' })).rejects.toThrow(/OWNER_BULK_TIERS/);
  });
});
