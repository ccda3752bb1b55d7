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
import { listAudit } from '../../../sync/src/store/audit-log.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { jobById, type LookupRequest } from '../../../sync/src/store/owner-lookup-jobs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';

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

function makeQueue(
  run: JobRunner,
  options: Partial<
    Pick<
      OwnerLookupQueueOptions,
      'concurrency' | 'windowMinutes' | 'jobTimeoutMs' | 'maxAttempts' | 'retryDelaysMs' | 'onJoinedFinished'
    >
  > = {},
) {
  queue = createOwnerLookupQueue({
    db,
    run,
    logger: createMemoryLogger(),
    now: () => clock,
    pollMs: 20,
    ...options,
    concurrency: options.concurrency ?? 2,
    windowMinutes: options.windowMinutes ?? 10,
    retryDelaysMs: options.retryDelaysMs ?? [0],
  });
  return queue;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

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
    while (started < 2) await new Promise((r) => setTimeout(r, 5));
    await q.stop({ abandon: true });
    expect(listAudit(db)).toEqual([]);
    const states = db
      .prepare('SELECT state, COUNT(*) AS n FROM owner_lookup_jobs GROUP BY state ORDER BY state')
      .all();
    expect(states).toEqual([
      { state: 'queued', n: 3 },
      { state: 'running', n: 2 },
    ]);

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
