import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobOutcome, JobRunner } from '../../../sync/src/jobs/owner-lookup-job.js';
import {
  createOwnerLookupQueue,
  type OwnerLookupQueue,
  type OwnerLookupQueueOptions,
} from '../../../sync/src/jobs/owner-lookup-queue.js';
import { listAudit, listCallLines } from '../../../sync/src/store/audit-log.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { jobById, type LookupRequest } from '../../../sync/src/store/owner-lookup-jobs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { fillStore, tinyDisk } from '../../helpers/full-store.js';
import { patienceMs } from '../../helpers/test-effort.js';

let dir: string;
let file: string;
const opened: Db[] = [];
const queues: OwnerLookupQueue[] = [];
let clock: Date;

const request = (n: number): LookupRequest => ({
  lot: {
    tomtId: `3218-${n}/1-z`,
    recordId: `rec${String(n).padStart(14, '0')}`,
    kommunenummer: '3218',
    matrikkelenheter: [{ kommunenummer: '3218', gnr: n, bnr: 1, fnr: 0, snr: 0 }],
    matrikkelenhetId: null,
  },
  requestedBy: `selger${n}@example.no`,
  via: 'hmac',
  purpose: 'test',
});

const done: JobOutcome = { state: 'done', ownerCount: 1, message: 'ok', detail: '1 owner(s)' };
const retry: JobOutcome = {
  state: 'retry',
  message: 'Matrikkelen svarte ikke; prøver igjen.',
  detail: 'HTTP 503',
};

/** One `start` process: its own connection to the store, its own lease. */
function process_(
  name: string,
  run: JobRunner,
  options: Partial<OwnerLookupQueueOptions> = {},
): { db: Db; queue: OwnerLookupQueue; logger: ReturnType<typeof createMemoryLogger> } {
  const db = openStore(file);
  opened.push(db);
  const logger = createMemoryLogger();
  const queue = createOwnerLookupQueue({
    db,
    run,
    logger,
    now: () => clock,
    pollMs: 20,
    concurrency: 2,
    windowMinutes: 10,
    retryDelaysMs: [0],
    leaseHolder: name,
    ...options,
  });
  queues.push(queue);
  return { db, queue, logger };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + patienceMs(5_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(5);
  }
}

/** A runner that counts its calls and holds each lookup until it is aborted or released. */
function heldRunner(outcome: (jobId: number) => JobOutcome = () => done) {
  const calls: number[] = [];
  let release: (() => void) | null = null;
  const released = new Promise<void>((resolve) => (release = resolve));
  const run: JobRunner = async (job, { signal }) => {
    calls.push(job.id);
    await Promise.race([
      released,
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ]);
    return outcome(job.id);
  };
  return { run, calls, release: () => release!() };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'owner-queue-store-'));
  file = path.join(dir, 'store.sqlite');
  clock = new Date('2026-09-01T10:00:00Z');
});
afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.stop({ abandon: true });
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('one owner of the queue: two start processes on one store', () => {
  it('never takes a job a live process holds, and takes a dead one’s once its lease has expired', async () => {
    const first = heldRunner();
    const a = process_('host:1:a', first.run, { leaseMs: 30_000 });
    const second = heldRunner();
    const b = process_('host:2:b', second.run, { leaseMs: 30_000 });
    a.queue.start();
    const { job } = a.queue.enqueue(request(1));
    await until(() => first.calls.length === 1, 'the first process to run the lookup');

    b.queue.start(); // an overlapping deploy
    await sleep(150);
    expect(second.calls).toEqual([]);
    expect(jobById(b.db, job.id)).toMatchObject({ state: 'running', leaseHolder: 'host:1:a', attempts: 1 });

    await a.queue.stop({ abandon: true }); // kill -9: the lease stays until it expires
    clock = new Date(clock.getTime() + 29_000);
    await sleep(100);
    expect(second.calls).toEqual([]);

    clock = new Date(clock.getTime() + 1_001);
    await until(() => second.calls.length === 1, 'the second process to take the job over');
    second.release();
    await until(() => jobById(b.db, job.id)?.state === 'done', 'the lookup to finish');
    expect(listAudit(b.db)).toEqual([expect.objectContaining({ jobId: job.id, outcome: 'done' })]);
    // Each run of the Matrikkel calls has its own audit line, under the lease it ran under.
    expect(listCallLines(b.db).map((l) => [l.jobId, l.attempt, l.leaseHolder])).toEqual([
      [job.id, 1, 'host:1:a'],
      [job.id, 2, 'host:2:b'],
    ]);
  });

  it('keeps its lease alive by the heartbeat while a lookup runs long', async () => {
    const first = heldRunner();
    // No poll in between: only the heartbeat renews the lease.
    const a = process_('host:1:a', first.run, { leaseMs: 300, pollMs: 60_000 });
    const second = heldRunner();
    const b = process_('host:2:b', second.run, { leaseMs: 300 });
    a.queue.start();
    a.queue.enqueue(request(2));
    await until(() => first.calls.length === 1, 'the first process to run the lookup');
    b.queue.start();
    for (let i = 0; i < 8; i++) {
      clock = new Date(clock.getTime() + 100);
      await sleep(120); // the heartbeat (every 100 ms) renews the lease at the new time
    }
    expect(second.calls).toEqual([]);
    first.release();
    await until(() => a.queue.counts().doneSince === 1, 'the lookup to finish');
    expect(listCallLines(a.db)).toHaveLength(1);
  });

  it('makes no Matrikkel call when its audit line cannot be written', async () => {
    const runner = heldRunner();
    const a = process_('host:1:a', runner.run, { storeBackoffMs: [30] });
    a.db.exec(`CREATE TEMP TRIGGER calls_fail BEFORE INSERT ON owner_lookup_calls
               BEGIN SELECT RAISE(ABORT, 'audit line refused'); END`);
    a.queue.start();
    const { job } = a.queue.enqueue(request(3));
    await sleep(150);
    expect(runner.calls).toEqual([]);
    expect(jobById(a.db, job.id)).toMatchObject({ state: 'queued', attempts: 0, leaseHolder: null });
    expect(a.queue.health()).toMatchObject({
      state: 'degraded',
      store: { reason: expect.stringContaining('audit line refused') },
    });
    a.db.exec('DROP TRIGGER calls_fail');
    await until(() => runner.calls.length === 1, 'the lookup to run once the line can be written');
    runner.release();
    await until(() => a.queue.counts().doneSince === 1, 'the lookup to finish');
    expect(listCallLines(a.db)).toHaveLength(1);
    expect(a.queue.health()).toMatchObject({ state: 'ok', store: null });
  });
});

describe('a lease that expired under a live process', () => {
  it('drops the late outcomes of a process whose jobs were taken over, and logs each', async () => {
    const first = heldRunner((id) => (id === 1 ? done : retry));
    // A heartbeat every 10 s (real time) and no poll: the fake clock outruns this lease.
    const a = process_('host:1:a', first.run, { leaseMs: 30_000, pollMs: 60_000 });
    a.queue.start();
    const one = a.queue.enqueue(request(1)).job;
    const two = a.queue.enqueue(request(2)).job;
    await until(() => first.calls.length === 2, 'the first process to run both lookups');

    clock = new Date(clock.getTime() + 30_001); // a stalled event loop: the lease expires
    const second = heldRunner();
    const b = process_('host:2:b', second.run, { leaseMs: 30_000 });
    b.queue.start();
    await until(() => second.calls.length === 2, 'the second process to take both over');
    second.release();
    await until(() => b.queue.counts().doneSince === 2, 'the second process to finish both');

    first.release(); // the first process answers late: one done, one to be retried
    await until(
      () => a.logger.lines.filter((l) => l.includes('outcome dropped')).length === 2,
      'the first process to drop both outcomes',
    );
    const dropped = a.logger.lines.filter((l) => l.startsWith('WARN owner lookup outcome dropped'));
    expect(dropped.map((l) => l.match(/jobId=(\d+)/)![1])).toEqual(
      expect.arrayContaining([String(one.id), String(two.id)]),
    );
    expect(dropped.every((l) => l.includes('lease=host:1:a'))).toBe(true);
    expect(a.logger.lines.filter((l) => l.includes('will be retried'))).toEqual([]);
    expect(listAudit(b.db).map((l) => [l.jobId, l.outcome])).toEqual(
      expect.arrayContaining([
        [one.id, 'done'],
        [two.id, 'done'],
      ]),
    );
    expect(listAudit(b.db)).toHaveLength(2);
    expect(jobById(b.db, two.id)).toMatchObject({ state: 'done', attempts: 2, leaseHolder: null });
  });

  it('takes its lease again when the heartbeat was late, and claims at once', async () => {
    const runner = heldRunner();
    const a = process_('host:1:a', runner.run, { leaseMs: 30_000, pollMs: 60_000, storeBackoffMs: [60_000] });
    a.queue.start();
    clock = new Date(clock.getTime() + 30_001);
    a.queue.enqueue(request(3));
    await until(() => runner.calls.length === 1, 'the lookup to run under the lease taken again');
    expect(a.queue.health()).toMatchObject({ state: 'ok', store: null });
    expect(a.logger.lines.filter((l) => l.includes('lease expired; taking it again'))).toHaveLength(1);
    expect(a.logger.lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
  });

  it('after a late heartbeat, still wakes for a retry that falls due', async () => {
    const runner = heldRunner(() => retry);
    const a = process_('host:1:a', runner.run, {
      leaseMs: 30_000,
      pollMs: 60_000,
      retryDelaysMs: [200],
      concurrency: 1,
    });
    a.queue.start();
    const { job } = a.queue.enqueue(request(4));
    await until(() => runner.calls.length === 1, 'the first attempt');
    clock = new Date(clock.getTime() + 30_001);
    runner.release(); // the pump after this outcome finds the lease expired
    await until(() => jobById(a.db, job.id)?.state === 'queued', 'the retry to be queued');
    clock = new Date(clock.getTime() + 200);
    await until(() => runner.calls.length === 2, 'the retry to run once due, without the poller');
  });

  it('backs off when taking the lease again does not get the claim through', async () => {
    const runner = heldRunner();
    const a = process_('host:1:a', runner.run, { leaseMs: 30_000, pollMs: 60_000, storeBackoffMs: [60_000] });
    a.queue.start();
    a.db.exec(`CREATE TEMP TRIGGER calls_fail BEFORE INSERT ON owner_lookup_calls
               BEGIN SELECT RAISE(ABORT, 'audit line refused'); END`);
    clock = new Date(clock.getTime() + 30_001);
    const { job } = a.queue.enqueue(request(5));
    await until(() => a.queue.health().state === 'degraded', 'the queue to back off');
    expect(a.queue.health().store).toMatchObject({ reason: expect.stringContaining('audit line refused') });
    await sleep(50);
    expect(runner.calls).toEqual([]);
    expect(jobById(a.db, job.id)).toMatchObject({ state: 'queued', attempts: 0 });
  });
});

describe('a write that did not commit is a failure', () => {
  it('keeps an outcome the store refused and records it once the store takes writes again', async () => {
    const runner = heldRunner();
    const a = process_('host:1:a', runner.run, { pollMs: 60_000, storeBackoffMs: [100] });
    a.queue.start();
    const { job } = a.queue.enqueue(request(6));
    await until(() => runner.calls.length === 1, 'the lookup to run');
    a.db.exec(`CREATE TEMP TRIGGER audit_full BEFORE INSERT ON owner_lookup_audit
               BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    runner.release();
    await until(() => a.queue.health().state === 'degraded', 'the queue to back off');
    expect(jobById(a.db, job.id)).toMatchObject({ state: 'running', leaseHolder: 'host:1:a' });
    expect(listAudit(a.db)).toEqual([]);
    a.db.exec('DROP TRIGGER audit_full');
    await until(() => jobById(a.db, job.id)?.state === 'done', 'the kept outcome to be recorded');
    expect(listAudit(a.db)).toEqual([expect.objectContaining({ jobId: job.id, outcome: 'done' })]);
    expect(runner.calls).toEqual([job.id]);
    expect(a.queue.health()).toMatchObject({ state: 'ok', store: null });
  });

  it('does not renew its lease while backing off, and is well again once an outcome is recorded', async () => {
    const runner = heldRunner();
    // A heartbeat every 30 ms.
    const a = process_('host:1:a', runner.run, { leaseMs: 90, pollMs: 60_000, storeBackoffMs: [60_000] });
    a.queue.start();
    const { job } = a.queue.enqueue(request(7));
    await until(() => runner.calls.length === 1, 'the lookup to run');
    a.db.exec(`CREATE TEMP TRIGGER lease_io_a BEFORE INSERT ON owner_lookup_leases
                 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;
               CREATE TEMP TRIGGER lease_io_b BEFORE UPDATE ON owner_lookup_leases
                 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;`);
    await until(() => a.queue.health().state === 'degraded', 'the heartbeat to fail');
    await sleep(200);
    expect(a.logger.lines.filter((l) => l.startsWith('ERROR'))).toHaveLength(1);
    expect(a.logger.lines.filter((l) => l.includes('lease expired'))).toEqual([]);
    a.db.exec('DROP TRIGGER lease_io_a; DROP TRIGGER lease_io_b;');
    runner.release();
    await until(() => a.queue.health().state === 'ok', 'the recorded outcome to clear the trouble');
    expect(jobById(a.db, job.id)).toMatchObject({ state: 'done' });
  });
});

describe('a write that did not commit is a failure', () => {
  it('backs off instead of spinning while the store is full, says why, and carries on once it has room', async () => {
    const runner = heldRunner();
    const a = process_('host:1:a', runner.run, { storeBackoffMs: [100, 200, 400] });
    const { job } = a.queue.enqueue(request(4));
    const full = fillStore(a.db);
    a.queue.start();
    await sleep(500);
    expect(runner.calls).toEqual([]);
    expect(jobById(a.db, job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    const errors = a.logger.lines.filter((l) => l.startsWith('ERROR'));
    // 0, 100, 300 ms: three tries in half a second, not hundreds.
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.length).toBeLessThanOrEqual(4);
    expect(a.queue.health()).toMatchObject({
      state: 'degraded',
      store: { reason: expect.stringContaining('SQLITE_FULL') },
    });
    full.release();
    await until(() => runner.calls.length === 1, 'the lookup to run once the store has room');
    runner.release();
    await until(() => a.queue.counts().doneSince === 1, 'the lookup to finish');
    expect(a.queue.health().state).toBe('ok');
  });

  it('on a real full disk, takes no job whose claim did not commit (the row RETURNING gave is not a claim)', async (ctx) => {
    const disk = tinyDisk();
    if (!disk) return ctx.skip(); // needs root and a tmpfs mount
    try {
      file = path.join(disk.dir, 'store.sqlite');
      const runner = heldRunner();
      const a = process_('host:1:a', runner.run, { storeBackoffMs: [100, 200, 400] });
      const { job } = a.queue.enqueue(request(5));
      disk.fill();
      a.queue.start();
      await sleep(500);
      expect(runner.calls).toEqual([]);
      expect(jobById(a.db, job.id)).toMatchObject({ state: 'queued', attempts: 0 });
      expect(a.logger.lines.filter((l) => l.startsWith('ERROR')).length).toBeLessThanOrEqual(4);
      expect(a.queue.health()).toMatchObject({
        state: 'degraded',
        store: { reason: expect.stringMatching(/SQLITE_FULL|SQLITE_IOERR/) },
      });
      disk.free();
      await until(() => runner.calls.length === 1, 'the lookup to run once the disk has room');
      runner.release();
      await until(() => a.queue.counts().doneSince === 1, 'the lookup to finish');
    } finally {
      for (const queue of queues.splice(0)) await queue.stop({ abandon: true });
      for (const db of opened.splice(0)) db.close();
      disk.unmount();
    }
  });
});
