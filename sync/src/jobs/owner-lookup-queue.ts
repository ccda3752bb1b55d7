import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { appendAudit } from '../store/audit-log.js';
import type { Db } from '../store/database.js';
import {
  holdLease,
  reclaimJobsOfExpiredLeases,
  releaseLease,
  requeueJobsOfLease,
} from '../store/owner-lookup-leases.js';
import {
  claimNextJob,
  enqueueOrJoin,
  finishJob,
  LeaseLostError,
  nextDueAt,
  queueCounts,
  requestersOf,
  requeueJob,
  type LookupRequest,
  type OwnerLookupJob,
  type QueueCounts,
} from '../store/owner-lookup-jobs.js';
import { parcelLabel } from '../domain/owner.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { JobOutcome, JobRunner } from './owner-lookup-job.js';
import { StoreTrouble, type StoreProblem } from './store-trouble.js';

export interface OwnerLookupQueueOptions {
  db: Db;
  run: JobRunner;
  /** Lookups talking to the Matrikkel at once (MATRIKKEL_CONCURRENCY). */
  concurrency: number;
  /** A lot asked for again within this many minutes of a finished lookup joins it. */
  windowMinutes: number;
  logger: Logger;
  now?: () => Date;
  maxAttempts?: number;
  /** Wait before attempt 2, 3, …; the last value repeats. */
  retryDelaysMs?: number[];
  /** One attempt may take at most this long. */
  jobTimeoutMs?: number;
  /** How often the store is checked for due jobs besides the timers (other processes, clock jumps). */
  pollMs?: number;
  /** Called when a request joins a lookup that already finished (the lot's state can be refreshed). */
  onJoinedFinished?: (job: OwnerLookupJob) => void;
  /** This process's lease: how long it lives without a heartbeat (renewed every third of it). */
  leaseMs?: number;
  /** The lease's name; one per process (default: host, pid and a random part). */
  leaseHolder?: string;
  /** Waits while the store refuses writes (full disk, I/O error); the last repeats. */
  storeBackoffMs?: number[];
}

export interface OwnerLookupQueueHealth {
  /** "degraded" while the store refuses writes: lookups wait, the webhook still answers. */
  state: 'ok' | 'degraded';
  store: StoreProblem | null;
  leaseHolder: string;
}

export interface OwnerLookupQueue {
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  /** Takes this process's lease, queues again jobs of expired leases, then starts working. */
  start(): void;
  /**
   * Stops taking jobs and waits for those running. `abandon` aborts them without recording an
   * outcome, as a crash would (they run again once the lease expires).
   */
  stop(options?: { abandon?: boolean }): Promise<void>;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  counts(): QueueCounts;
  health(): OwnerLookupQueueHealth;
  /** The lease this process's lookups run under (also names its owner-record locks). */
  readonly leaseHolder: string;
}

/**
 * The owner-lookup queue. Jobs live in the store (table owner_lookup_jobs), so a restart loses
 * none; a job is taken under this process's lease with the audit line of its Matrikkel calls, and
 * its end and the lookup's audit line are written in one transaction.
 */
export function createOwnerLookupQueue(options: OwnerLookupQueueOptions): OwnerLookupQueue {
  const queue = new PersistentOwnerLookupQueue(options);
  // Closures rather than the instance itself, so a caller may hand a method on unbound.
  return {
    enqueue: (request) => queue.enqueue(request),
    start: () => queue.start(),
    stop: (stopOptions) => queue.stop(stopOptions),
    idle: () => queue.idle(),
    counts: () => queue.counts(),
    health: () => queue.health(),
    leaseHolder: queue.holder,
  };
}

interface RunningJob {
  controller: AbortController;
  /** Set by `stop({ abandon })`: the attempt's outcome is dropped, as a crash would drop it. */
  abandoned: boolean;
  done: Promise<void>;
}

type FinalState = 'done' | 'failed' | 'not-configured';

class PersistentOwnerLookupQueue {
  readonly holder: string;
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly retryDelays: number[];
  private readonly jobTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly running = new Map<number, RunningJob>();
  /** Outcomes the store refused to record; written first once it takes writes again. */
  private readonly unrecorded: Array<{ job: OwnerLookupJob; outcome: JobOutcome }> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private readonly trouble: StoreTrouble;
  private started = false;
  // Stryker disable next-line BooleanLiteral: start() clears it before the first pump, and pump does nothing before start() anyway
  private stopped = false;
  private backingOff = false;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private resume: NodeJS.Timeout | undefined;

  constructor(private readonly options: OwnerLookupQueueOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelays = options.retryDelaysMs ?? [5_000, 30_000];
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    // Stryker disable next-line MethodExpression: the holder is only a name, unique per process with 8 hex digits or the whole UUID (host and pid come first); the whole one is just longer in logs and in the leases table's TEXT column
    this.holder = options.leaseHolder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.trouble = new StoreTrouble(options.storeBackoffMs);
  }

  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean } {
    const { windowMinutes, onJoinedFinished } = this.options;
    const result = enqueueOrJoin(this.db, request, { now: this.now(), windowMinutes });
    if (result.joined && result.job.state === 'done') onJoinedFinished?.(result.job);
    queueMicrotask(this.pump);
    return result;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.poller = setInterval(this.tick, this.options.pollMs ?? 5_000);
    this.poller.unref();
    this.heartbeat = setInterval(this.renewLease, Math.max(10, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    this.storeWrite(() => requeueJobsOfLease(this.db, this.holder));
    this.tick();
  }

  async stop(stopOptions: { abandon?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.resume);
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    if (stopOptions.abandon) {
      for (const entry of this.running.values()) {
        entry.abandoned = true;
        // Stryker disable next-line StringLiteral: an abandoned attempt's outcome, and with it this reason, is dropped unseen
        entry.controller.abort(new Error('queue stopped'));
      }
    }
    await Promise.all([...this.running.values()].map((r) => r.done));
    // A crash keeps its lease until it expires; a clean stop frees its jobs at once.
    if (!stopOptions.abandon && this.started) this.storeWrite(() => releaseLease(this.db, this.holder));
    this.started = false;
  }

  idle(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.notifyIdle();
    });
  }

  counts(): QueueCounts {
    return queueCounts(this.db, new Date(this.now().getTime() - 24 * 3600_000));
  }

  health(): OwnerLookupQueueHealth {
    const store = this.trouble.current();
    return { state: store ? 'degraded' : 'ok', store, leaseHolder: this.holder };
  }

  /** The poller: renews the lease, requeues jobs of expired leases, then pumps. */
  private readonly tick = (): void => {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: tick runs from start() (after started is set), the poller and the backoff's resume (both cleared by stop()), so the first two checks never decide; "&&" differs only when a backoff's resume fires while stop() waits for a running lookup: that tick renews the lease and requeues expired leases' jobs (its pump returns), and stop() releases the lease right after
    if (!this.started || this.stopped || this.backingOff) return;
    const ok = this.storeWrite(() => {
      holdLease(this.db, this.holder, this.now(), this.leaseMs);
      const reclaimed = reclaimJobsOfExpiredLeases(this.db, this.now());
      if (reclaimed > 0) this.logger.info('owner lookups resumed after a restart', { jobs: reclaimed });
    });
    // Stryker disable next-line ConditionalExpression: after a failed write the queue backs off, and pump returns at once while it does
    if (ok) this.pump();
  };

  private readonly renewLease = (): void => {
    if (!this.stopped && !this.backingOff)
      this.storeWrite(() => holdLease(this.db, this.holder, this.now(), this.leaseMs));
  };

  /** Starts due jobs up to the concurrency bound; an arrow so timers can call it unbound. */
  private readonly pump = (): void => {
    if (!this.started || this.stopped || this.backingOff) return;
    const ok = this.storeWrite(() => {
      this.recordUnrecorded();
      while (this.running.size < this.options.concurrency) {
        const job = claimNextJob(this.db, this.now(), this.holder);
        if (!job) break;
        this.launch(job);
      }
    }, true);
    // Stryker disable next-line ConditionalExpression: after a failed claim the queue backs off; the due timer it would re-arm runs a pump that returns at once while it does
    if (ok) this.scheduleNextDue();
    this.notifyIdle();
  };

  /**
   * Runs a store write; on failure (a full disk, an I/O error, a write that did not commit) the
   * queue backs off instead of retrying at once, and /health says why. True when it went through.
   */
  private storeWrite(write: () => void, clears = false): boolean {
    try {
      write();
      // Only the claim (and an outcome) clear the trouble: a lease renewal rewrites a row in place
      // and can succeed on a disk that has no room for a new line.
      if (clears && this.trouble.clear())
        this.logger.info('owner lookup queue: the store takes writes again');
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // The heartbeat was late (a stalled event loop): take the lease again and carry on.
        this.logger.warn('owner lookup queue: lease expired; taking it again', { lease: this.holder });
        return this.retryAfterLease(write);
      }
      this.backOff(error);
      return false;
    }
  }

  private retryAfterLease(write: () => void): boolean {
    try {
      holdLease(this.db, this.holder, this.now(), this.leaseMs);
      write();
      return true;
    } catch (error) {
      this.backOff(error);
      // Stryker disable next-line BooleanLiteral: only pump's claim throws LeaseLostError (tick holds the lease first; outcomes do not check it); there `true` only re-arms the due timer, whose pump returns at once while backing off
      return false;
    }
  }

  private backOff(error: unknown): void {
    const wait = this.trouble.fail(error, this.now());
    const problem = this.trouble.current()!;
    this.logger.error('owner lookup queue could not write to the store; waiting before trying again', {
      error: problem.reason,
      waitMs: wait,
      failures: problem.failures,
    });
    this.backingOff = true;
    clearTimeout(this.timer);
    clearTimeout(this.resume);
    this.resume = setTimeout(() => {
      this.backingOff = false;
      this.tick();
    }, wait);
    this.resume.unref();
  }

  private launch(job: OwnerLookupJob): void {
    const controller = new AbortController();
    const entry: RunningJob = { controller, abandoned: false, done: Promise.resolve() };
    // A plain timer rather than AbortSignal.timeout: that one is unref'd and, combined with
    // AbortSignal.any on Node 20, was seen never to fire.
    const timeout = setTimeout(
      () => controller.abort(new Error(`the lookup took longer than ${this.jobTimeoutMs} ms`)),
      this.jobTimeoutMs,
    );
    entry.done = this.attempt(job, entry)
      .then((outcome) => {
        if (!entry.abandoned) this.record(job, outcome);
      })
      .finally(() => {
        clearTimeout(timeout);
        this.running.delete(job.id);
        this.pump();
      });
    this.running.set(job.id, entry);
  }

  /**
   * Runs one attempt; a runner that throws (or times out) counts as a transient failure. (For an
   * abandoned attempt that outcome is dropped in launch, like any other.)
   */
  private attempt(job: OwnerLookupJob, entry: RunningJob): Promise<JobOutcome> {
    const finalAttempt = job.attempts >= this.maxAttempts;
    return this.options
      .run(job, { signal: entry.controller.signal, finalAttempt })
      .catch((error: unknown): JobOutcome => ({
        state: 'retry',
        message: finalAttempt ? 'Uventet feil; ga opp etter siste forsøk.' : 'Uventet feil; prøver igjen.',
        detail: `job error: ${messageOf(error)}`,
      }));
  }

  /** Records an outcome; one the store refuses is kept and written once it takes writes again. */
  private record(job: OwnerLookupJob, outcome: JobOutcome): void {
    if (!this.storeWrite(() => this.complete(job, outcome), true)) this.unrecorded.push({ job, outcome });
  }

  private recordUnrecorded(): void {
    while (this.unrecorded.length > 0) {
      const { job, outcome } = this.unrecorded[0]!;
      this.complete(job, outcome);
      this.unrecorded.shift();
    }
  }

  private complete(job: OwnerLookupJob, outcome: JobOutcome): void {
    if (outcome.state === 'retry' && job.attempts < this.maxAttempts) {
      this.retryLater(job, outcome);
      return;
    }
    const state: FinalState = outcome.state === 'retry' ? 'failed' : outcome.state;
    const fields = { jobId: job.id, tomtId: job.lot.tomtId, attempts: job.attempts, detail: outcome.detail };
    if (!finishWithAudit(this.db, job, this.holder, state, outcome, this.now())) this.lostLease(job);
    else if (state === 'done') this.logger.info('owner lookup finished', fields);
    else this.logger.warn(`owner lookup ended: ${state}`, fields);
  }

  private retryLater(job: OwnerLookupJob, outcome: JobOutcome): void {
    const delay = retryDelay(this.retryDelays, job.attempts);
    const at = new Date(this.now().getTime() + delay);
    if (!requeueJob(this.db, job.id, this.holder, at, outcome.message)) return this.lostLease(job);
    this.logger.warn('owner lookup will be retried', {
      jobId: job.id,
      attempt: job.attempts,
      detail: outcome.detail,
    });
  }

  /** Another process took the job after this one's lease expired: its outcome is the one kept. */
  private lostLease(job: OwnerLookupJob): void {
    this.logger.warn('owner lookup outcome dropped: the job was taken over after this lease expired', {
      jobId: job.id,
      tomtId: job.lot.tomtId,
      lease: this.holder,
    });
  }

  /** Wakes the queue when the earliest queued job (e.g. a retry) falls due. */
  private scheduleNextDue(): void {
    clearTimeout(this.timer);
    const due = nextDueAt(this.db);
    if (!due || this.running.size >= this.options.concurrency) return;
    const untilDue = Math.max(0, new Date(due).getTime() - this.now().getTime());
    // Stryker disable next-line ArithmeticOperator: a margin only; a timer that fires before the job is due finds nothing to claim and re-arms until it is
    this.timer = setTimeout(this.pump, untilDue + 5);
    this.timer.unref();
  }

  private notifyIdle(): void {
    // Stryker disable next-line ConditionalExpression: saves a count query only; with no waiters there is nobody to resolve
    if (this.idleWaiters.length === 0) return;
    let busy: number;
    try {
      // Jobs running in the store count too: another process's, or a dead one's until its lease expires.
      const counts = queueCounts(this.db, this.now());
      busy = counts.queued + counts.running;
    } catch /* Stryker disable next-line BlockStatement: without the return, busy stays undefined, which is not 0: not idle either way */ {
      return; // the store cannot even be read: not idle, and the backoff tries again
    }
    // Stryker disable next-line ConditionalExpression: a job running here, or with its outcome unrecorded, is still running in the store under this lease, so busy counts it too; the checks say it in memory
    if (this.running.size === 0 && busy === 0 && this.unrecorded.length === 0)
      this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

/** The wait before the attempt after `attempts`: one delay per attempt, the last repeating. */
function retryDelay(delays: number[], attempts: number): number {
  return delays[Math.min(attempts - 1, delays.length - 1)] ?? 30_000;
}

/**
 * Ends the job and appends its one audit line in one transaction; false (nothing written) when the
 * job is no longer running under this lease.
 */
function finishWithAudit(
  db: Db,
  job: OwnerLookupJob,
  holder: string,
  state: FinalState,
  outcome: JobOutcome,
  at: Date,
): boolean {
  // Stryker disable next-line ConditionalExpression: only a done outcome has an ownerCount; the others' undefined is stored as NULL just the same
  const ownerCount = outcome.state === 'done' ? outcome.ownerCount : null;
  return db.transaction(() => {
    if (!finishJob(db, job.id, holder, { state, ownerCount, message: outcome.message, at })) return false;
    appendAudit(db, {
      at: at.toISOString(),
      jobId: job.id,
      tomtId: job.lot.tomtId,
      recordId: job.lot.recordId,
      parcels: job.lot.matrikkelenheter.map(parcelLabel).join(', '),
      requestedBy: requestersOf(db, job.id).join('; '),
      purpose: job.purpose,
      outcome: state,
      ownerCount,
      detail: outcome.detail,
    });
    return true;
  })();
}
