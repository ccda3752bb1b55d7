import type { LotParcels } from '../domain/lot-parcels.js';
import type { Matrikkelnummer } from '../domain/parcel.js';
import { parcelLabel } from '../domain/owner.js';
import { appendCallLine } from './audit-log.js';
import type { Db } from './database.js';
import { liveLease } from './owner-lookup-leases.js';

export type { LotParcels } from '../domain/lot-parcels.js';

export type OwnerLookupJobState = 'queued' | 'running' | 'done' | 'failed' | 'not-configured';

/** How a request reached the service: signed webhook, bearer token, button link, CLI, the bulk job. */
export type RequestChannel = 'hmac' | 'bearer' | 'link' | 'cli' | 'bulk';

export interface OwnerLookupJob {
  id: number;
  /** The lot as it was when asked for, so a restarted job needs nothing else. */
  lot: LotParcels;
  purpose: string;
  state: OwnerLookupJobState;
  attempts: number;
  nextAttemptAt: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  ownerCount: number | null;
  message: string | null;
  /** The process lease a running job runs under. */
  leaseHolder: string | null;
}

export interface LookupRequest {
  lot: LotParcels;
  requestedBy: string | null;
  via: RequestChannel;
  purpose: string;
}

interface JobRow {
  id: number;
  tomt_id: string;
  record_id: string | null;
  kommunenummer: string;
  parcels_json: string;
  matrikkelenhet_id: string | null;
  purpose: string;
  state: OwnerLookupJobState;
  attempts: number;
  next_attempt_at: string | null;
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  owner_count: number | null;
  message: string | null;
  lease_holder: string | null;
}

function toJob(row: JobRow): OwnerLookupJob {
  return {
    id: row.id,
    lot: {
      tomtId: row.tomt_id,
      recordId: row.record_id,
      kommunenummer: row.kommunenummer,
      matrikkelenheter: JSON.parse(row.parcels_json) as Matrikkelnummer[],
      matrikkelenhetId: row.matrikkelenhet_id,
    },
    purpose: row.purpose,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    requestedAt: row.requested_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    ownerCount: row.owner_count,
    message: row.message,
    leaseHolder: row.lease_holder,
  };
}

/**
 * Queues a lookup, or joins the one already queued or running for the same lot, or the one that
 * finished successfully within the window. One immediate transaction, so concurrent requests
 * (even from two processes) for one lot make exactly one job.
 */
export function enqueueOrJoin(
  db: Db,
  request: LookupRequest,
  options: { now: Date; windowMinutes: number },
): { job: OwnerLookupJob; joined: boolean } {
  const now = options.now.toISOString();
  const windowStart = new Date(options.now.getTime() - options.windowMinutes * 60_000).toISOString();
  const run = db.transaction(() => {
    const existing = db
      .prepare(
        `SELECT * FROM owner_lookup_jobs
         WHERE tomt_id = ? AND (state IN ('queued', 'running') OR (state = 'done' AND finished_at >= ?))
         ORDER BY id DESC LIMIT 1`,
      )
      .get(request.lot.tomtId, windowStart) as JobRow | undefined;
    let id: number;
    if (existing) {
      id = existing.id;
    } else {
      const lot = request.lot;
      id = Number(
        db
          .prepare(
            `INSERT INTO owner_lookup_jobs
             (tomt_id, record_id, kommunenummer, parcels_json, matrikkelenhet_id, purpose, state, requested_at)
             VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)`,
          )
          .run(
            lot.tomtId,
            lot.recordId,
            lot.kommunenummer,
            JSON.stringify(lot.matrikkelenheter),
            lot.matrikkelenhetId,
            request.purpose,
            now,
          ).lastInsertRowid,
      );
    }
    db.prepare(
      'INSERT INTO owner_lookup_requests (job_id, requested_at, requested_by, via, joined) VALUES (?, ?, ?, ?, ?)',
    ).run(id, now, request.requestedBy, request.via, existing ? 1 : 0);
    const job = db.prepare('SELECT * FROM owner_lookup_jobs WHERE id = ?').get(id) as JobRow;
    return { job: toJob(job), joined: Boolean(existing) };
  });
  return run.immediate();
}

/** A write the store did not take: the queue treats it as a store failure, never as done. */
export class UncommittedWriteError extends Error {
  constructor(what: string) {
    super(`the store did not take the write: ${what}`);
    this.name = 'UncommittedWriteError';
  }
}

/** The claim found this process's lease expired (or gone): it must be taken again first. */
export class LeaseLostError extends Error {
  constructor(holder: string) {
    super(`the lease ${holder} has expired; owner lookups are not taken under it`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Takes the oldest due job under this process's lease and writes the audit line of the Matrikkel
 * call it is about to make, in one immediate transaction: if the line cannot be written, the job
 * is not taken and the call is not made. Every write is checked by its `changes` and the commit
 * by the transaction (an `UPDATE … RETURNING` read with `.get()` returns its row even when the
 * commit then fails, e.g. on a full disk). Null when no job is due.
 */
export function claimNextJob(db: Db, now: Date, holder: string): OwnerLookupJob | null {
  const at = now.toISOString();
  const claim = db.transaction((): OwnerLookupJob | null => {
    if (!liveLease(db, holder, now)) throw new LeaseLostError(holder);
    const due = db
      .prepare(
        `SELECT id FROM owner_lookup_jobs
         WHERE state = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         ORDER BY id LIMIT 1`,
      )
      .get(at) as { id: number } | undefined;
    if (!due) return null;
    const taken = db
      .prepare(
        `UPDATE owner_lookup_jobs SET state = 'running', started_at = ?, attempts = attempts + 1, lease_holder = ?
         WHERE id = ? AND state = 'queued'`,
      )
      .run(at, holder, due.id);
    if (taken.changes !== 1) throw new UncommittedWriteError(`claim of owner lookup ${due.id}`);
    const job = jobById(db, due.id)!;
    appendCallLine(db, {
      at,
      jobId: job.id,
      attempt: job.attempts,
      tomtId: job.lot.tomtId,
      parcels: job.lot.matrikkelenheter.map(parcelLabel).join(', '),
      requestedBy: requestersOf(db, job.id).join('; '),
      purpose: job.purpose,
      leaseHolder: holder,
    });
    return job;
  });
  return claim.immediate();
}

/**
 * Puts a job back for a later attempt (a transient failure). False when the job is no longer
 * running under this lease (it expired and another process took the job): the outcome is dropped.
 */
export function requeueJob(
  db: Db,
  id: number,
  holder: string,
  nextAttemptAt: Date,
  message: string,
): boolean {
  return (
    db
      .prepare(
        `UPDATE owner_lookup_jobs SET state = 'queued', next_attempt_at = ?, message = ?, lease_holder = NULL
         WHERE id = ? AND state = 'running' AND lease_holder = ?`,
      )
      .run(nextAttemptAt.toISOString(), message, id, holder).changes === 1
  );
}

/**
 * Ends a job run under this lease. Callers wrap this and the audit line in one transaction. False
 * (and nothing written) when the job is no longer running under this lease.
 */
export function finishJob(
  db: Db,
  id: number,
  holder: string,
  result: {
    state: 'done' | 'failed' | 'not-configured';
    ownerCount: number | null;
    message: string;
    at: Date;
  },
): boolean {
  return (
    db
      .prepare(
        `UPDATE owner_lookup_jobs SET state = ?, owner_count = ?, message = ?, finished_at = ?, next_attempt_at = NULL,
           lease_holder = NULL
         WHERE id = ? AND state = 'running' AND lease_holder = ?`,
      )
      .run(result.state, result.ownerCount, result.message, result.at.toISOString(), id, holder).changes === 1
  );
}

export function jobById(db: Db, id: number): OwnerLookupJob | null {
  const row = db.prepare('SELECT * FROM owner_lookup_jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? toJob(row) : null;
}

/** Everyone who asked for this job, first request first (duplicates removed). */
export function requestersOf(db: Db, jobId: number): string[] {
  const rows = db
    .prepare('SELECT requested_by, via FROM owner_lookup_requests WHERE job_id = ? ORDER BY id')
    .all(jobId) as Array<{ requested_by: string | null; via: string }>;
  return [...new Set(rows.map((r) => r.requested_by ?? `unknown (${r.via})`))];
}

/** The earliest time a queued job becomes due (for the retry timer). */
export function nextDueAt(db: Db): string | null {
  const row = db
    .prepare(
      `SELECT MIN(COALESCE(next_attempt_at, requested_at)) AS due FROM owner_lookup_jobs WHERE state = 'queued'`,
    )
    .get() as { due: string | null };
  return row.due;
}

export interface QueueCounts {
  queued: number;
  running: number;
  doneSince: number;
  failedSince: number;
  lastFailure: { at: string; message: string | null } | null;
}

export function queueCounts(db: Db, since: Date): QueueCounts {
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  const lastFailure = db
    .prepare(
      `SELECT finished_at AS at, message FROM owner_lookup_jobs WHERE state = 'failed' ORDER BY id DESC LIMIT 1`,
    )
    .get() as { at: string; message: string | null } | undefined;
  return {
    queued: count(`SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state = 'queued'`),
    running: count(`SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state = 'running'`),
    doneSince: count(
      `SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state = 'done' AND finished_at >= ?`,
      since.toISOString(),
    ),
    failedSince: count(
      `SELECT COUNT(*) AS n FROM owner_lookup_jobs WHERE state = 'failed' AND finished_at >= ?`,
      since.toISOString(),
    ),
    lastFailure: lastFailure ?? null,
  };
}
