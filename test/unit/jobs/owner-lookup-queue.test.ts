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
import {
  claimNextJob,
  enqueueOrJoin,
  jobById,
  type LookupRequest,
} from '../../../sync/src/store/owner-lookup-jobs.js';
import { holdLease } from '../../../sync/src/store/owner-lookup-leases.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { patienceMs } from '../../helpers/test-effort.js';
import { idleWithin } from '../../helpers/queue-idle.js';

let dir: string;
let db: Db;
let queue: OwnerLookupQueue | undefined;
let clock: Date;

const request = (n: number, who = `selger${n}@example.no`): LookupRequest => ({
  lot: {
    tomtId: `3218-${n}/1-z`,
    recordId: `rec${String(n).padStart(14, '0')}`,
    kommunenummer: '3218',
    matrikkelenheter: [{ kommunenummer: '3218', gnr: n, bnr: 1, fnr: 0, snr: 0 }],
    matrikkelenhetId: null,
  },
  requestedBy: who,
  via: 'hmac',
  purpose: 'test',
});

const done = (ownerCount = 1): JobOutcome => ({
  state: 'done',
  ownerCount,
  message: 'ok',
  detail: `${ownerCount} owner(s)`,
});

/** A queue on the test store with the test clock, polling every 20 ms and retrying at once unless told. */
function makeQueue(run: JobRunner, options: Partial<Omit<OwnerLookupQueueOptions, 'db' | 'run'>> = {}) {
  queue = createOwnerLookupQueue({
    db,
    run,
    logger: createMemoryLogger(),
    now: () => clock,
    pollMs: 20,
    ...options,
    concurrency: options.concurrency ?? 2,
    windowMinutes: options.windowMinutes ?? 10,
    // `retryDelaysMs: undefined` leaves the queue's own default.
    retryDelaysMs: 'retryDelaysMs' in options ? options.retryDelaysMs : [0],
  });
  return queue;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `condition`; fails after five seconds rather than hanging the test. */
async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + patienceMs(5_000);
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(5);
  }
}

/** `q.idle()`, failing after five seconds rather than hanging the test. */
const idle = (q: OwnerLookupQueue) => idleWithin(q, 5_000, 1_500);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'owner-queue-'));
  db = openStore(path.join(dir, 'store.sqlite'));
  clock = new Date('2026-09-01T10:00:00Z');
});
afterEach(async () => {
  await queue?.stop({ abandon: true });
  queue = undefined;
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('owner lookup queue', () => {
  it('joins requests for a lot while its lookup is queued or running, and within the window after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const q = makeQueue(async () => {
      runs += 1;
      await gate;
      return done(2);
    });
    q.start();
    const first = q.enqueue(request(1, 'a@x.no'));
    const second = q.enqueue(request(1, 'b@x.no'));
    expect(second).toMatchObject({ joined: true, job: { id: first.job.id } });
    release();
    await q.idle();
    clock = new Date(clock.getTime() + 9 * 60_000);
    expect(q.enqueue(request(1, 'c@x.no'))).toMatchObject({
      joined: true,
      job: { id: first.job.id, state: 'done' },
    });
    clock = new Date(clock.getTime() + 2 * 60_000);
    const later = q.enqueue(request(1, 'd@x.no'));
    expect(later.joined).toBe(false);
    await q.idle();
    expect(runs).toBe(2);
    const audit = listAudit(db);
    expect(audit.map((a) => a.requestedBy)).toEqual(['a@x.no; b@x.no', 'd@x.no']);
  });

  it('never joins a failed lookup: asking again tries again', async () => {
    const outcomes: JobOutcome[] = [{ state: 'failed', message: 'nei', detail: 'auth' }, done()];
    const q = makeQueue(async () => outcomes.shift()!);
    q.start();
    const first = q.enqueue(request(2));
    await q.idle();
    const second = q.enqueue(request(2));
    expect(second.joined).toBe(false);
    expect(second.job.id).not.toBe(first.job.id);
    await q.idle();
    expect(listAudit(db).map((a) => a.outcome)).toEqual(['failed', 'done']);
  });

  it('retries a transient failure and writes one audit line for the whole lookup', async () => {
    const seen: boolean[] = [];
    const q = makeQueue(async (_job, { finalAttempt }) => {
      seen.push(finalAttempt);
      return seen.length < 3 ? { state: 'retry', message: 'igjen', detail: 'timeout' } : done(3);
    });
    q.start();
    const { job } = q.enqueue(request(3));
    await q.idle();
    expect(seen).toEqual([false, false, true]);
    expect(jobById(db, job.id)).toMatchObject({ state: 'done', attempts: 3, ownerCount: 3 });
    expect(listAudit(db)).toEqual([expect.objectContaining({ outcome: 'done', ownerCount: 3 })]);
  });

  it('fails a lookup whose attempts are spent', async () => {
    const q = makeQueue(async () => ({ state: 'retry', message: 'igjen', detail: 'matrikkel: timeout' }));
    q.start();
    const { job } = q.enqueue(request(4));
    await q.idle();
    expect(jobById(db, job.id)).toMatchObject({ state: 'failed', attempts: 3 });
    expect(listAudit(db)).toEqual([
      expect.objectContaining({ outcome: 'failed', detail: 'matrikkel: timeout' }),
    ]);
  });

  it('treats a runner that throws, or one that hangs past the job timeout, as a transient failure', async () => {
    let calls = 0;
    const q = makeQueue(
      async (_job, { signal }) => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        if (calls === 2) {
          await new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        }
        return done();
      },
      { jobTimeoutMs: 200 },
    );
    q.start();
    q.enqueue(request(5));
    await q.idle();
    expect(calls).toBe(3);
    expect(listAudit(db)).toEqual([expect.objectContaining({ outcome: 'done' })]);
  });

  it('waits the configured delay before each retry, the last delay repeating', async () => {
    let calls = 0;
    const q = makeQueue(
      async () => {
        calls += 1;
        return { state: 'retry', message: 'igjen', detail: 'matrikkel: timeout' };
      },
      { maxAttempts: 4, retryDelaysMs: [5_000, 30_000] },
    );
    q.start();
    const { job } = q.enqueue(request(6));
    const start = clock.getTime();
    const nextAttemptAfter = async (attempts: number) => {
      await until(
        () => jobById(db, job.id)!.attempts === attempts && jobById(db, job.id)!.state === 'queued',
      );
      return Date.parse(jobById(db, job.id)!.nextAttemptAt!) - clock.getTime();
    };
    expect(await nextAttemptAfter(1)).toBe(5_000);
    // Several polls pass while the clock stands still: the retry is not due yet.
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(1);
    clock = new Date(start + 5_000);
    expect(await nextAttemptAfter(2)).toBe(30_000);
    clock = new Date(start + 35_000);
    expect(await nextAttemptAfter(3)).toBe(30_000);
    clock = new Date(start + 65_000);
    await q.idle();
    expect(calls).toBe(4);
    expect(jobById(db, job.id)).toMatchObject({ state: 'failed', attempts: 4 });
    expect(listAudit(db)).toHaveLength(1);
  });

  it('on a plain stop, lets the running lookup finish and records it; queued ones wait for the next start', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const q = makeQueue(
      async () => {
        started += 1;
        await gate;
        return done(2);
      },
      { concurrency: 1 },
    );
    q.start();
    const first = q.enqueue(request(7));
    const second = q.enqueue(request(8));
    await until(() => started === 1);
    const stopping = q.stop();
    release();
    await stopping;
    expect(started).toBe(1);
    expect(jobById(db, first.job.id)).toMatchObject({ state: 'done', ownerCount: 2 });
    expect(jobById(db, second.job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(listAudit(db)).toEqual([expect.objectContaining({ tomtId: '3218-7/1-z', outcome: 'done' })]);
  });

  it('tells when a request joins a lookup that has already finished, not one still queued', async () => {
    const joinedFinished: number[] = [];
    const q = makeQueue(async () => done(), {
      onJoinedFinished: (job) => joinedFinished.push(job.id),
    });
    const first = q.enqueue(request(9));
    q.enqueue(request(9, 'b@x.no'));
    expect(joinedFinished).toEqual([]);
    q.start();
    await q.idle();
    clock = new Date(clock.getTime() + 5 * 60_000);
    q.enqueue(request(9, 'c@x.no'));
    expect(joinedFinished).toEqual([first.job.id]);
  });

  it('keeps to the concurrency bound', async () => {
    let active = 0;
    let peak = 0;
    const q = makeQueue(
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active -= 1;
        return done();
      },
      { concurrency: 3 },
    );
    q.start();
    for (let i = 10; i < 22; i++) q.enqueue(request(i));
    await q.idle();
    expect(peak).toBe(3);
    expect(listAudit(db)).toHaveLength(12);
  });

  it('resumes jobs a crash left running, and queued ones, after a restart', async () => {
    let started = 0;
    const q = makeQueue(
      async (_job, { signal }) => {
        started += 1;
        await new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
        return done();
      },
      { concurrency: 2 },
    );
    q.start();
    for (let i = 30; i < 35; i++) q.enqueue(request(i));
    await until(() => started >= 2, 'two lookups to start');
    await q.stop({ abandon: true });
    expect(listAudit(db)).toEqual([]);
    const states = db
      .prepare('SELECT state, COUNT(*) AS n FROM owner_lookup_jobs GROUP BY state ORDER BY state')
      .all();
    expect(states).toEqual([
      { state: 'queued', n: 3 },
      { state: 'running', n: 2 },
    ]);

    // A new process takes the dead one's jobs once its lease (30 s by default) has expired.
    clock = new Date(clock.getTime() + 30_001);
    const restarted = makeQueue(async () => done());
    restarted.start();
    await restarted.idle();
    expect(
      listAudit(db)
        .map((a) => a.tomtId)
        .sort(),
    ).toEqual([30, 31, 32, 33, 34].map((n) => `3218-${n}/1-z`));
  });
});

describe('owner lookup queue: defaults, counts and log', () => {
  it('stamps jobs and audit lines with the real clock when none is given', async () => {
    const before = Date.now();
    const q = makeQueue(async () => done(), { now: undefined });
    q.start();
    const { job } = q.enqueue(request(41));
    await idle(q);
    const after = Date.now();
    const stamps = [job.requestedAt, listAudit(db)[0]!.at].map(Date.parse);
    for (const stamp of stamps) {
      expect(stamp).toBeGreaterThanOrEqual(before);
      expect(stamp).toBeLessThanOrEqual(after);
    }
  });

  it('waits 5 s before the second attempt and 30 s before the third by default', async () => {
    const q = makeQueue(async () => ({ state: 'retry', message: 'igjen', detail: 'matrikkel: timeout' }), {
      retryDelaysMs: undefined,
    });
    q.start();
    const { job } = q.enqueue(request(42));
    const waitAfter = async (attempts: number) => {
      await until(() => {
        const now = jobById(db, job.id)!;
        return now.attempts === attempts && now.state === 'queued';
      }, `attempt ${attempts} to be requeued`);
      return Date.parse(jobById(db, job.id)!.nextAttemptAt!) - clock.getTime();
    };
    expect(await waitAfter(1)).toBe(5_000);
    clock = new Date(clock.getTime() + 5_000);
    expect(await waitAfter(2)).toBe(30_000);
  });

  it('counts queued and running lookups, and those that ended within the last 24 hours', async () => {
    const t0 = clock.getTime();
    const hour = 3_600_000;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const q = makeQueue(
      async (job) => {
        if (job.lot.tomtId === '3218-44/1-z') return { state: 'failed', message: 'Nektet.', detail: 'auth' };
        if (job.lot.tomtId === '3218-46/1-z') await gate;
        return done();
      },
      { concurrency: 1 },
    );
    q.start();
    q.enqueue(request(43));
    q.enqueue(request(44));
    await idle(q);
    clock = new Date(t0 + 23 * hour);
    q.enqueue(request(45));
    await idle(q);
    q.enqueue(request(46));
    q.enqueue(request(47));
    await until(() => q.counts().running === 1, 'lot 46 to run');
    expect(q.counts()).toEqual({
      queued: 1,
      running: 1,
      doneSince: 2,
      failedSince: 1,
      lastFailure: { at: new Date(t0).toISOString(), message: 'Nektet.' },
    });
    clock = new Date(t0 + 24 * hour);
    expect(q.counts()).toMatchObject({ doneSince: 2, failedSince: 1 });
    clock = new Date(t0 + 24 * hour + 1);
    expect(q.counts()).toMatchObject({ doneSince: 1, failedSince: 0, lastFailure: { message: 'Nektet.' } });
    release();
    await idle(q);
  });

  it('frees its lease on a clean stop, and keeps it on an abandoning one (a crash) until it expires', async () => {
    const leases = () => db.prepare('SELECT holder FROM owner_lookup_leases').all() as { holder: string }[];
    const clean = makeQueue(async () => done(), { leaseHolder: 'clean' });
    clean.start();
    await idle(clean);
    await clean.stop();
    const crashed = makeQueue(async () => done(), { leaseHolder: 'crashed' });
    crashed.start();
    await idle(crashed);
    await crashed.stop({ abandon: true });
    expect(leases()).toEqual([{ holder: 'crashed' }]);
  });

  it('is not idle while another process runs a job and one more waits, even if it runs none itself', async () => {
    enqueueOrJoin(db, request(51), { now: clock, windowMinutes: 10 });
    enqueueOrJoin(db, request(52), { now: clock, windowMinutes: 10 });
    holdLease(db, 'other', clock, 60_000);
    expect(claimNextJob(db, clock, 'other')).not.toBeNull();
    const q = makeQueue(async () => done());
    let settled = false;
    void q.idle().then(() => (settled = true));
    await sleep(50);
    expect(settled).toBe(false);
  });

  it('audits every parcel of a lot that spans several', async () => {
    const q = makeQueue(async () => done(2));
    q.start();
    const two = request(48);
    two.lot.matrikkelenheter.push({ kommunenummer: '3218', gnr: 48, bnr: 2, fnr: 0, snr: 0 });
    q.enqueue(two);
    await idle(q);
    expect(listAudit(db)).toEqual([expect.objectContaining({ parcels: '3218-48/1, 3218-48/2' })]);
    // The line written before the Matrikkel calls names them too.
    expect(listCallLines(db)).toEqual([expect.objectContaining({ parcels: '3218-48/1, 3218-48/2' })]);
  });

  it('logs a finished lookup as info and any other end as a warning, naming job and lot, with no errors', async () => {
    const logger = createMemoryLogger();
    const q = makeQueue(
      async (job) =>
        job.lot.tomtId === '3218-51/1-z'
          ? { state: 'failed', message: 'Nektet.', detail: 'matrikkel: auth' }
          : done(2),
      { logger, concurrency: 1 },
    );
    q.start();
    const ok = q.enqueue(request(50));
    const failed = q.enqueue(request(51));
    await idle(q);
    expect(logger.lines).toContainEqual(
      `owner lookup finished jobId=${ok.job.id} tomtId=3218-50/1-z attempts=1 detail=2 owner(s)`,
    );
    expect(logger.lines).toContainEqual(
      `WARN owner lookup ended: failed jobId=${failed.job.id} tomtId=3218-51/1-z attempts=1 detail=matrikkel: auth`,
    );
    expect(logger.lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
    expect(logger.lines.filter((line) => line.includes('resumed'))).toEqual([]);
  });

  it('tells in the log how many lookups a restart resumed', async () => {
    const q = makeQueue(
      (_job, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    q.start();
    q.enqueue(request(52));
    q.enqueue(request(53));
    await until(() => q.counts().running === 2, 'both lookups to run');
    await q.stop({ abandon: true });
    clock = new Date(clock.getTime() + 30_001);
    const logger = createMemoryLogger();
    const restarted = makeQueue(async () => done(), { logger });
    restarted.start();
    await idle(restarted);
    expect(logger.lines.filter((line) => line.includes('resumed'))).toEqual([
      'owner lookups resumed after a restart jobs=2',
    ]);
  });

  it('logs a store error while claiming and carries on once the store answers again', async () => {
    const logger = createMemoryLogger();
    const q = makeQueue(async () => done(), { logger, storeBackoffMs: [20] });
    db.exec(`CREATE TEMP TRIGGER claim_fails BEFORE UPDATE OF state ON owner_lookup_jobs
             WHEN NEW.state = 'running' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    q.start();
    const { job } = q.enqueue(request(54));
    await sleep(60);
    expect(logger.lines).toContainEqual(
      'ERROR owner lookup queue could not write to the store; waiting before trying again error=SQLITE_CONSTRAINT_TRIGGER: disk I/O error waitMs=20 failures=1',
    );
    expect(jobById(db, job.id)).toMatchObject({ state: 'queued', attempts: 0 });
    db.exec('DROP TRIGGER claim_fails');
    await idle(q);
    expect(listAudit(db)).toEqual([expect.objectContaining({ tomtId: '3218-54/1-z', outcome: 'done' })]);
  });
});

describe('owner lookup queue: failures of the runner', () => {
  it('tells the lot it will try again after an unexpected runner error', async () => {
    const q = makeQueue(
      async () => {
        throw new Error('socket hang up');
      },
      { retryDelaysMs: [60_000] },
    );
    q.start();
    const { job } = q.enqueue(request(55));
    await until(() => jobById(db, job.id)!.attempts === 1 && jobById(db, job.id)!.state === 'queued');
    expect(jobById(db, job.id)!.message).toBe('Uventet feil; prøver igjen.');
  });

  it('tells the lot the lookup gave up when the last attempt also meets a runner error', async () => {
    const q = makeQueue(
      async () => {
        throw new Error('socket hang up');
      },
      { maxAttempts: 1 },
    );
    q.start();
    const { job } = q.enqueue(request(57));
    await until(() => jobById(db, job.id)!.state === 'failed');
    expect(jobById(db, job.id)!.message).toBe('Uventet feil; ga opp etter siste forsøk.');
  });

  it('audits the runner error, or the timeout, that ended the last attempt', async () => {
    const q = makeQueue(
      async (job, { signal }) => {
        if (job.lot.tomtId === '3218-56/1-z') throw new Error('socket hang up');
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
      { maxAttempts: 1, jobTimeoutMs: 50 },
    );
    q.start();
    q.enqueue(request(56));
    q.enqueue(request(57));
    await idle(q);
    expect(listAudit(db).map((a) => [a.tomtId, a.outcome, a.detail])).toEqual([
      ['3218-56/1-z', 'failed', 'job error: socket hang up'],
      ['3218-57/1-z', 'failed', 'job error: the lookup took longer than 50 ms'],
    ]);
  });

  it('drops the outcome of an abandoned lookup even when the runner answers after the abort', async () => {
    let runs = 0;
    const q = makeQueue(async (_job, { signal }) => {
      runs += 1;
      if (runs > 1) return done();
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return { state: 'failed', message: 'Avbrutt.', detail: 'aborted' };
    });
    q.start();
    const { job } = q.enqueue(request(58));
    await until(() => runs === 1);
    await q.stop({ abandon: true });
    expect(listAudit(db)).toEqual([]);
    expect(jobById(db, job.id)).toMatchObject({ state: 'running', attempts: 1 });
    q.start();
    await idle(q);
    expect(listAudit(db)).toEqual([expect.objectContaining({ tomtId: '3218-58/1-z', outcome: 'done' })]);
  });
});

describe('owner lookup queue: start and stop', () => {
  it('does not run a lookup a second time when started twice', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const q = makeQueue(async () => {
      runs += 1;
      await gate;
      return done();
    });
    q.start();
    q.enqueue(request(60));
    await until(() => runs === 1);
    q.start();
    await sleep(60);
    expect(runs).toBe(1);
    release();
    await idle(q);
    expect(listAudit(db)).toHaveLength(1);
  });

  it('takes up queued lookups again when a stopped queue is started again', async () => {
    const q = makeQueue(async () => done());
    q.start();
    q.enqueue(request(61));
    await idle(q);
    await q.stop();
    const { job } = q.enqueue(request(62));
    await sleep(60);
    expect(jobById(db, job.id)!.state).toBe('queued');
    q.start();
    await idle(q);
    expect(jobById(db, job.id)!.state).toBe('done');
  });
});

describe('owner lookup queue: no busy waiting', () => {
  // With the poller slowed to a minute, every clock read is a wake-up of the queue's own timer.
  let reads = 0;
  const countingClock = () => {
    reads += 1;
    return clock;
  };

  it('sleeps when nothing is queued', async () => {
    const q = makeQueue(async () => done(), { now: countingClock, pollMs: 60_000 });
    q.start();
    q.enqueue(request(63));
    await idle(q);
    reads = 0;
    await sleep(100);
    expect(reads).toBe(0);
  });

  it('sleeps while every slot is busy and a lookup waits', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const q = makeQueue(
      async () => {
        runs += 1;
        await gate;
        return done();
      },
      { now: countingClock, pollMs: 60_000, concurrency: 1 },
    );
    q.start();
    q.enqueue(request(64));
    q.enqueue(request(65));
    await until(() => runs === 1);
    reads = 0;
    await sleep(100);
    expect(reads).toBe(0);
    release();
    await idle(q);
    expect(runs).toBe(2);
  });

  it('sleeps until a retry falls due, then wakes for it without the poller', async () => {
    let runs = 0;
    const q = makeQueue(
      async () => {
        runs += 1;
        return runs === 1 ? { state: 'retry', message: 'igjen', detail: 'matrikkel: timeout' } : done();
      },
      { now: countingClock, pollMs: 60_000, retryDelaysMs: [1_000] },
    );
    q.start();
    const { job } = q.enqueue(request(66));
    await until(() => jobById(db, job.id)!.state === 'queued' && jobById(db, job.id)!.attempts === 1);
    reads = 0;
    await sleep(100);
    expect(reads).toBe(0);
    clock = new Date(clock.getTime() + 1_000);
    await idle(q);
    expect(runs).toBe(2);
  });
});

describe('audit log', () => {
  it('refuses updates and deletes', async () => {
    const q = makeQueue(async () => done());
    q.start();
    q.enqueue(request(40));
    await q.idle();
    expect(() => db.prepare(`UPDATE owner_lookup_audit SET outcome = 'failed'`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM owner_lookup_audit').run()).toThrow(/append-only/);
    expect(listAudit(db)).toHaveLength(1);
  });
});

describe('audit log: no write path replaces a line', () => {
  it('refuses INSERT OR REPLACE, REPLACE and upserts on the lookup lines and the call lines', async () => {
    const q = makeQueue(async () => done());
    q.start();
    const { job } = q.enqueue(request(41));
    await q.idle();
    const before = { audit: listAudit(db), calls: listCallLines(db) };
    const [line] = db.prepare('SELECT * FROM owner_lookup_audit').all() as Array<Record<string, unknown>>;
    const attempts = [
      `INSERT OR REPLACE INTO owner_lookup_audit (at, job_id, tomt_id, parcels, requested_by, purpose, outcome)
       VALUES ('2026-01-01', ${job.id}, 'x', 'x', 'nobody', 'x', 'failed')`,
      `REPLACE INTO owner_lookup_audit (id, at, job_id, tomt_id, parcels, requested_by, purpose, outcome)
       VALUES (${String(line!.id)}, '2026-01-01', 999, 'x', 'x', 'nobody', 'x', 'failed')`,
      `INSERT INTO owner_lookup_audit (at, job_id, tomt_id, parcels, requested_by, purpose, outcome)
       VALUES ('2026-01-01', ${job.id}, 'x', 'x', 'nobody', 'x', 'failed')
       ON CONFLICT (job_id) DO UPDATE SET requested_by = 'nobody'`,
      `INSERT OR REPLACE INTO owner_lookup_calls (at, job_id, attempt, tomt_id, parcels, requested_by, purpose, lease_holder)
       VALUES ('2026-01-01', ${job.id}, 1, 'x', 'x', 'nobody', 'x', 'x')`,
    ];
    for (const sql of attempts) expect(() => db.prepare(sql).run(), sql).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM owner_lookup_calls').run()).toThrow(/append-only/);
    expect({ audit: listAudit(db), calls: listCallLines(db) }).toEqual(before);
    expect(before.audit).toHaveLength(1);
    expect(before.calls).toHaveLength(1);
  });
});
