import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, listAudit, listCallLines, type AuditEntry } from '../../../sync/src/store/audit-log.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import {
  claimNextJob,
  enqueueOrJoin,
  finishJob,
  queueCounts,
  requestersOf,
  requeueJob,
  type LookupRequest,
  type RequestChannel,
} from '../../../sync/src/store/owner-lookup-jobs.js';
import { holdLease } from '../../../sync/src/store/owner-lookup-leases.js';

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

const request = (n: number, requestedBy: string | null, via: RequestChannel = 'hmac'): LookupRequest => ({
  lot: {
    tomtId: `3218-${n}/1-z`,
    recordId: `rec${String(n).padStart(14, '0')}`,
    kommunenummer: '3218',
    matrikkelenheter: [{ kommunenummer: '3218', gnr: n, bnr: 1, fnr: 0, snr: 0 }],
    matrikkelenhetId: null,
  },
  requestedBy,
  via,
  purpose: 'tomtesalg',
});

const HOLDER = 'test-host:1:lease';

const entry = (jobId: number, n: number, at: string): AuditEntry => ({
  at,
  jobId,
  tomtId: `3218-${n}/1-z`,
  recordId: null,
  parcels: `3218-${n}/1`,
  requestedBy: 'selger@example.no',
  purpose: 'tomtesalg',
  outcome: 'done',
  ownerCount: 1,
  detail: '1 owner(s)',
});

/** Runs one job for lot `n` to the given end at `at`. */
function finished(n: number, state: 'done' | 'failed', at: Date, message: string) {
  const { job } = enqueueOrJoin(db, request(n, 'selger@example.no'), { now: at, windowMinutes: 10 });
  holdLease(db, HOLDER, at, 60_000);
  expect(claimNextJob(db, at, HOLDER)?.id).toBe(job.id);
  finishJob(db, job.id, HOLDER, { state, ownerCount: state === 'done' ? 2 : null, message, at });
}

describe('owner lookup audit log', () => {
  it('lists the lookups of the given lots, since a given day, or both', () => {
    appendAudit(db, entry(1, 1, '2026-08-31T23:59:59.999Z'));
    appendAudit(db, entry(2, 2, '2026-09-01T00:00:00.000Z'));
    appendAudit(db, entry(3, 1, '2026-09-02T08:00:00.000Z'));
    const jobs = (filter: Parameters<typeof listAudit>[1]) => listAudit(db, filter).map((e) => e.at);
    expect(jobs({})).toHaveLength(3);
    expect(jobs({ since: '2026-09-01' })).toEqual(['2026-09-01T00:00:00.000Z', '2026-09-02T08:00:00.000Z']);
    expect(jobs({ tomtIds: ['3218-1/1-z'] })).toEqual([
      '2026-08-31T23:59:59.999Z',
      '2026-09-02T08:00:00.000Z',
    ]);
    expect(jobs({ tomtIds: ['3218-1/1-z', '3218-2/1-z'], since: '2026-09-01' })).toHaveLength(2);
    expect(jobs({ tomtIds: ['3218-1/1-z'], since: '2026-09-01' })).toEqual(['2026-09-02T08:00:00.000Z']);
    expect(jobs({ tomtIds: [] })).toEqual([]);
    expect(listAudit(db, { since: '2026-09-02' })).toEqual([entry(3, 1, '2026-09-02T08:00:00.000Z')]);
  });
});

describe('owner lookup jobs', () => {
  it('lists who asked for a lookup once each, naming the channel when nobody is known', () => {
    const now = new Date('2026-09-01T10:00:00Z');
    const opts = { now, windowMinutes: 10 };
    const { job } = enqueueOrJoin(db, request(1, 'a@x.no'), opts);
    enqueueOrJoin(db, request(1, null, 'link'), opts);
    enqueueOrJoin(db, request(1, 'a@x.no'), opts);
    enqueueOrJoin(db, request(1, null, 'bearer'), opts);
    enqueueOrJoin(db, request(1, null, 'link'), opts);
    expect(requestersOf(db, job.id)).toEqual(['a@x.no', 'unknown (link)', 'unknown (bearer)']);
  });

  it('counts queued, running and recent lookups, and tells the last failure', () => {
    const t0 = new Date('2026-09-01T10:00:00Z');
    expect(queueCounts(db, t0)).toEqual({
      queued: 0,
      running: 0,
      doneSince: 0,
      failedSince: 0,
      lastFailure: null,
    });
    finished(1, 'done', t0, 'ok');
    finished(2, 'failed', new Date('2026-09-01T11:00:00Z'), 'Matrikkelen svarte HTTP 500');
    finished(3, 'failed', new Date('2026-09-01T12:00:00Z'), 'tidsavbrudd mot Matrikkelen');
    finished(4, 'done', new Date('2026-09-01T12:30:00Z'), 'ok');
    enqueueOrJoin(db, request(5, null), { now: t0, windowMinutes: 10 });
    enqueueOrJoin(db, request(6, null), { now: t0, windowMinutes: 10 });
    claimNextJob(db, t0, HOLDER);
    expect(queueCounts(db, new Date('2026-09-01T11:00:00Z'))).toEqual({
      queued: 1,
      running: 1,
      doneSince: 1,
      failedSince: 2,
      lastFailure: { at: '2026-09-01T12:00:00.000Z', message: 'tidsavbrudd mot Matrikkelen' },
    });
  });
});

describe('owner lookup jobs: claims under a lease', () => {
  const now = new Date('2026-09-01T10:00:00Z');

  it('names every requester on the call line of a claim', () => {
    const { job } = enqueueOrJoin(db, request(1, 'a@x.no'), { now, windowMinutes: 10 });
    enqueueOrJoin(db, request(1, 'b@x.no'), { now, windowMinutes: 10 });
    holdLease(db, HOLDER, now, 60_000);
    expect(claimNextJob(db, now, HOLDER)?.id).toBe(job.id);
    expect(listCallLines(db)).toEqual([
      expect.objectContaining({ jobId: job.id, requestedBy: 'a@x.no; b@x.no' }),
    ]);
  });

  it('refuses a claim under an expired lease, naming the lease', () => {
    enqueueOrJoin(db, request(1, 'a@x.no'), { now, windowMinutes: 10 });
    holdLease(db, HOLDER, now, 1_000);
    const later = new Date(now.getTime() + 1_000);
    expect(() => claimNextJob(db, later, HOLDER)).toThrow(
      /^the lease test-host:1:lease has expired; owner lookups are not taken under it$/,
    );
    expect(() => claimNextJob(db, later, HOLDER)).toThrow(
      expect.objectContaining({ name: 'LeaseLostError' }),
    );
    expect(listCallLines(db)).toEqual([]);
  });

  it('fails a claim whose update the store did not take, naming the job', () => {
    const { job } = enqueueOrJoin(db, request(1, 'a@x.no'), { now, windowMinutes: 10 });
    holdLease(db, HOLDER, now, 60_000);
    db.exec(
      `CREATE TEMP TRIGGER skip_claim BEFORE UPDATE ON owner_lookup_jobs BEGIN SELECT RAISE(IGNORE); END`,
    );
    expect(() => claimNextJob(db, now, HOLDER)).toThrow(
      new RegExp(`^the store did not take the write: claim of owner lookup ${job.id}$`),
    );
    expect(() => claimNextJob(db, now, HOLDER)).toThrow(
      expect.objectContaining({ name: 'UncommittedWriteError' }),
    );
    expect(listCallLines(db)).toEqual([]);
  });

  it('requeues a job only under the lease it runs under', () => {
    const { job } = enqueueOrJoin(db, request(1, 'a@x.no'), { now, windowMinutes: 10 });
    holdLease(db, HOLDER, now, 60_000);
    claimNextJob(db, now, HOLDER);
    const retryAt = new Date(now.getTime() + 5_000);
    expect(requeueJob(db, job.id, 'other-host:2:lease', retryAt, 'prøver igjen')).toBe(false);
    expect(requeueJob(db, job.id, HOLDER, retryAt, 'prøver igjen')).toBe(true);
    expect(requeueJob(db, job.id, HOLDER, retryAt, 'prøver igjen')).toBe(false);
  });
});
