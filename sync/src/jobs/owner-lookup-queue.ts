import { parcelLabel } from '../domain/owner.js';
import { appendAudit } from '../store/audit-log.js';
import type { Db } from '../store/database.js';
import {
  claimNextJob,
  enqueueOrJoin,
  finishJob,
  nextDueAt,
  queueCounts,
  recoverInterruptedJobs,
  requestersOf,
  requeueJob,
  type LookupRequest,
  type OwnerLookupJob,
  type QueueCounts,
} from '../store/owner-lookup-jobs.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { JobOutcome, JobRunner } from './owner-lookup-job.js';

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
}

export interface OwnerLookupQueue {
  enqueue(request: LookupRequest): { job: OwnerLookupJob; joined: boolean };
  /** Requeues jobs a crash left running, then starts working. */
  start(): void;
  /**
   * Stops taking jobs and waits for those running. `abandon` aborts them without recording an
   * outcome, as a crash would (they run again after the next start).
   */
  stop(options?: { abandon?: boolean }): Promise<void>;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  counts(): QueueCounts;
}

/**
 * The owner-lookup queue. Jobs live in the store (table owner_lookup_jobs), so a restart loses
 * none; a job's end and its audit line are written in one transaction, so each lookup has exactly
 * one audit line even across crashes.
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
  };
}

interface RunningJob {
  controller: AbortController;
  /** Set by `stop({ abandon })`: the attempt's outcome is dropped, as a crash would drop it. */
  abandoned: boolean;
  done: Promise<void>;
}

type FinalState = 'done' | 'failed' | 'not-configured';

class PersistentOwnerLookupQueue implements OwnerLookupQueue {
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly maxAttempts: number;
  private readonly retryDelays: number[];
  private readonly jobTimeoutMs: number;
  private readonly running = new Map<number, RunningJob>();
  private readonly idleWaiters: Array<() => void> = [];
  private started = false;
  // Stryker disable next-line BooleanLiteral: start() clears it before the first pump, and pump does nothing before start() anyway
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;

  constructor(private readonly options: OwnerLookupQueueOptions) {
    this.db = options.db;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelays = options.retryDelaysMs ?? [5_000, 30_000];
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
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
    const recovered = recoverInterruptedJobs(this.db);
    if (recovered > 0) this.logger.info('owner lookups resumed after a restart', { jobs: recovered });
    this.poller = setInterval(this.pump, this.options.pollMs ?? 5_000);
    this.poller.unref();
    this.pump();
  }

  async stop(stopOptions: { abandon?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poller);
    if (stopOptions.abandon) {
      for (const entry of this.running.values()) {
        entry.abandoned = true;
        // Stryker disable next-line StringLiteral: an abandoned attempt's outcome, and with it this reason, is dropped unseen
        entry.controller.abort(new Error('queue stopped'));
      }
    }
    await Promise.all([...this.running.values()].map((r) => r.done));
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

  /** Starts due jobs up to the concurrency bound; an arrow so timers can call it unbound. */
  private readonly pump = (): void => {
    if (!this.started || this.stopped) return;
    try {
      while (this.running.size < this.options.concurrency) {
        const job = claimNextJob(this.db, this.now());
        if (!job) break;
        this.launch(job);
      }
    } catch (error) {
      this.logger.error('owner lookup queue could not read the store', { error: messageOf(error) });
    }
    this.scheduleNextDue();
    this.notifyIdle();
  };

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
        if (!entry.abandoned) this.complete(job, outcome);
      })
      .catch(() => undefined)
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

  private complete(job: OwnerLookupJob, outcome: JobOutcome): void {
    if (outcome.state === 'retry' && job.attempts < this.maxAttempts) {
      this.retryLater(job, outcome);
      return;
    }
    const state: FinalState = outcome.state === 'retry' ? 'failed' : outcome.state;
    finishWithAudit(this.db, job, state, outcome, this.now());
    const fields = { jobId: job.id, tomtId: job.lot.tomtId, attempts: job.attempts, detail: outcome.detail };
    if (state === 'done') this.logger.info('owner lookup finished', fields);
    else this.logger.warn(`owner lookup ended: ${state}`, fields);
  }

  private retryLater(job: OwnerLookupJob, outcome: JobOutcome): void {
    const delay = retryDelay(this.retryDelays, job.attempts);
    requeueJob(this.db, job.id, new Date(this.now().getTime() + delay), outcome.message);
    this.logger.warn('owner lookup will be retried', {
      jobId: job.id,
      attempt: job.attempts,
      detail: outcome.detail,
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
    const counts = queueCounts(this.db, this.now());
    if (this.running.size === 0 && counts.queued === 0)
      this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }
}

/** The wait before the attempt after `attempts`: one delay per attempt, the last repeating. */
function retryDelay(delays: number[], attempts: number): number {
  return delays[Math.min(attempts - 1, delays.length - 1)] ?? 30_000;
}

/** Ends the job and appends its one audit line in one transaction. */
function finishWithAudit(
  db: Db,
  job: OwnerLookupJob,
  state: FinalState,
  outcome: JobOutcome,
  at: Date,
): void {
  // Stryker disable next-line ConditionalExpression: only a done outcome has an ownerCount; the others' undefined is stored as NULL just the same
  const ownerCount = outcome.state === 'done' ? outcome.ownerCount : null;
  db.transaction(() => {
    finishJob(db, job.id, { state, ownerCount, message: outcome.message, at });
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
  })();
}
