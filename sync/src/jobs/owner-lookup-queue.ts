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
  const { db, logger } = options;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelays = options.retryDelaysMs ?? [5_000, 30_000];
  const jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
  const running = new Map<number, { controller: AbortController; abandoned: boolean; done: Promise<void> }>();
  const idleWaiters: Array<() => void> = [];
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let poller: NodeJS.Timeout | null = null;

  function complete(job: OwnerLookupJob, outcome: JobOutcome): void {
    if (outcome.state === 'retry' && job.attempts < maxAttempts) {
      const delay = retryDelays[Math.min(job.attempts - 1, retryDelays.length - 1)] ?? 30_000;
      requeueJob(db, job.id, new Date(now().getTime() + delay), outcome.message);
      logger.warn('owner lookup will be retried', {
        jobId: job.id,
        attempt: job.attempts,
        detail: outcome.detail,
      });
      return;
    }
    const state = outcome.state === 'retry' ? 'failed' : outcome.state;
    const at = now();
    db.transaction(() => {
      finishJob(db, job.id, {
        state,
        ownerCount: outcome.state === 'done' ? outcome.ownerCount : null,
        message: outcome.message,
        at,
      });
      appendAudit(db, {
        at: at.toISOString(),
        jobId: job.id,
        tomtId: job.lot.tomtId,
        recordId: job.lot.recordId,
        parcels: job.lot.matrikkelenheter.map(parcelLabel).join(', '),
        requestedBy: requestersOf(db, job.id).join('; '),
        purpose: job.purpose,
        outcome: state,
        ownerCount: outcome.state === 'done' ? outcome.ownerCount : null,
        detail: outcome.detail,
      });
    })();
    const fields = { jobId: job.id, tomtId: job.lot.tomtId, attempts: job.attempts, detail: outcome.detail };
    if (state === 'done') logger.info('owner lookup finished', fields);
    else logger.warn(`owner lookup ended: ${state}`, fields);
  }

  function launch(job: OwnerLookupJob): void {
    const controller = new AbortController();
    const entry = { controller, abandoned: false, done: Promise.resolve() };
    // A plain timer rather than AbortSignal.timeout: that one is unref'd and, combined with
    // AbortSignal.any on Node 20, was seen never to fire.
    const timeout = setTimeout(
      () => controller.abort(new Error(`the lookup took longer than ${jobTimeoutMs} ms`)),
      jobTimeoutMs,
    );
    entry.done = options
      .run(job, { signal: controller.signal, finalAttempt: job.attempts >= maxAttempts })
      .catch((error: unknown): JobOutcome => {
        if (entry.abandoned) throw error;
        return {
          state: 'retry',
          message: 'Uventet feil; prøver igjen.',
          detail: `job error: ${messageOf(error)}`,
        };
      })
      .then((outcome) => {
        if (!entry.abandoned) complete(job, outcome);
      })
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timeout);
        running.delete(job.id);
        pump();
      });
    running.set(job.id, entry);
  }

  function pump(): void {
    if (!started || stopped) return;
    try {
      while (running.size < options.concurrency) {
        const job = claimNextJob(db, now());
        if (!job) break;
        launch(job);
      }
    } catch (error) {
      logger.error('owner lookup queue could not read the store', { error: messageOf(error) });
    }
    schedule();
    notifyIdle();
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const due = nextDueAt(db);
    if (!due || running.size >= options.concurrency) return;
    timer = setTimeout(pump, Math.max(0, new Date(due).getTime() - now().getTime()) + 5);
    timer.unref();
  }

  function notifyIdle(): void {
    if (idleWaiters.length === 0) return;
    const counts = queueCounts(db, now());
    if (running.size === 0 && counts.queued === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  return {
    enqueue(request) {
      const result = enqueueOrJoin(db, request, { now: now(), windowMinutes: options.windowMinutes });
      if (result.joined && result.job.state === 'done') options.onJoinedFinished?.(result.job);
      queueMicrotask(pump);
      return result;
    },
    start() {
      if (started) return;
      started = true;
      stopped = false;
      const recovered = recoverInterruptedJobs(db);
      if (recovered > 0) logger.info('owner lookups resumed after a restart', { jobs: recovered });
      poller = setInterval(pump, options.pollMs ?? 5_000);
      poller.unref();
      pump();
    },
    async stop(stopOptions = {}) {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (poller) clearInterval(poller);
      if (stopOptions.abandon) {
        for (const entry of running.values()) {
          entry.abandoned = true;
          entry.controller.abort(new Error('queue stopped'));
        }
      }
      await Promise.all([...running.values()].map((r) => r.done));
      started = false;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      });
    },
    counts: () => queueCounts(db, new Date(now().getTime() - 24 * 3600_000)),
  };
}
