import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import type { Env } from '../config/env.js';
import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import { createOwnerLookupWriter, type OwnerLookupWriter } from '../crm/owners/writer.js';
import { createMatrikkel, type MatrikkelSetup } from '../sources/matrikkel/index.js';
import type { Db } from '../store/database.js';
import type { OwnerLookupJob, QueueCounts } from '../store/owner-lookup-jobs.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { createOwnerLookupRunner } from './owner-lookup-job.js';
import { reusedMessage } from './owner-lookup-messages.js';
import { sweepStuckLookups, type SweepReport } from './owner-lookup-sweep.js';
import { withOwnerRecordLocks } from './owner-record-lock.js';
import { createOwnerRecordWrites } from './owner-record-writes.js';
import {
  createOwnerLookupQueue,
  type OwnerLookupQueue,
  type OwnerLookupQueueHealth,
} from './owner-lookup-queue.js';
import { runOwnerRetention, type RetentionReport } from './owner-lookup-retention.js';
import { tomterTable } from '../crm/schema/tomter.js';
import { storeLotParcels } from '../store/lot-parcels.js';
import { createOwnerBulkScheduler, type BulkTick } from './owner-bulk.js';

export interface OwnerLookupHealth {
  /**
   * "ok"; "degraded" while the store refuses writes (`queue.store` says why: lookups wait, the
   * webhook still answers); "not-configured" (no Matrikkel credentials) / "webhook-not-configured"
   * (no secret or token).
   */
  state: 'ok' | 'degraded' | 'not-configured' | 'webhook-not-configured';
  matrikkel: { configured: boolean; url: string; reason: string | null };
  webhook: { hmac: boolean; bearer: boolean; link: boolean };
  airtable: boolean;
  /** The sweep for lots stuck in "Forespurt"/"Pågår" (only with Airtable): its setting and last run. */
  stuck: { minutes: number; lastSweep: SweepReport | null } | null;
  queue: (QueueCounts | { unreadable: string }) & OwnerLookupQueueHealth;
  /**
   * The bulk lookups (OWNER_DAILY_BUDGET): null without Matrikkel credentials; with them and a
   * budget of 0, `off` says so and names the key; else the last tick.
   */
  bulk: { budget: number; lastTick: BulkTick | null; off?: string } | null;
}

export interface OwnerLookupService {
  queue: OwnerLookupQueue;
  /** Whether lookups can run now, and why not (for the webhook's answer). */
  status(): { configured: boolean; reason: string | null };
  /** For the /health route. */
  health(): OwnerLookupHealth;
  start(): void;
  /** Stops the queue (as a crash when `abandon`) and closes the Matrikkel client. */
  stop(options?: { abandon?: boolean }): Promise<void>;
  /** One sweep for stuck lots (the service runs it on a timer); null without Airtable. */
  sweep(): Promise<SweepReport | null>;
  /** The retention job (OWNER_RETENTION_DAYS); the service schedules it on OWNER_RETENTION_CRON. */
  retention(options?: { dryRun?: boolean }): Promise<RetentionReport>;
}

export interface OwnerLookupServiceOptions {
  env: Env;
  db: Db;
  /** null when Airtable is not configured: results stay in the store. */
  airtable: AirtableRecordsClient | null;
  logger: Logger;
  now?: () => Date;
  /** Tests: a prepared Matrikkel setup, or a dispatcher for the real one. */
  matrikkel?: MatrikkelSetup;
  dispatcher?: Dispatcher;
  /** Tests: shorter retry waits. */
  retryDelaysMs?: number[];
  runningNoticeAfterMs?: number;
  /** Tests: a shorter window for the Eiere locks kept after a write (OwnerRecordWritesOptions.keepLocksMs). */
  keepOwnerLocksMs?: number;
  /** Tests: how often the queue looks at the store for other processes' jobs (default 5 s). */
  pollMs?: number;
  /** Tests: a short process lease (a restart after a crash waits for it to expire). */
  leaseMs?: number;
  storeBackoffMs?: number[];
  /** How often the sweep for stuck lots runs (default: a third of OWNER_LOOKUP_STUCK_MINUTES, at most 5 min). */
  sweepEveryMs?: number;
}

/** The bulk job ticks once a minute: one tick queues at most its share of OWNER_DAILY_BUDGET. */
const BULK_TICK_MINUTES = 1;

/** Wires the owner lookup: Matrikkel source, Airtable writer, persistent queue, retention. */
export function createOwnerLookupService(options: OwnerLookupServiceOptions): OwnerLookupService {
  const { env, db } = options;
  const log = options.logger.child({ component: 'owner-lookup' });
  const now = options.now ?? (() => new Date());
  const matrikkel = options.matrikkel ?? createMatrikkel(env, { dispatcher: options.dispatcher, now });
  const writer = options.airtable ? createOwnerLookupWriter(options.airtable) : null;
  if (!matrikkel.configured) log.warn('owner lookup is not configured', { reason: matrikkel.reason });
  const leaseHolder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const keepLocksMs = options.keepOwnerLocksMs;
  const ownerRecordWrites =
    writer && createOwnerRecordWrites({ db, writer, holder: leaseHolder, now, keepLocksMs });
  const queue = createOwnerLookupQueue({
    db,
    run: createOwnerLookupRunner({
      db,
      matrikkel,
      writer,
      logger: log,
      now,
      runningNoticeAfterMs: options.runningNoticeAfterMs,
      lockHolder: leaseHolder,
      ownerRecordWrites: ownerRecordWrites ?? undefined,
    }),
    leaseHolder,
    leaseMs: options.leaseMs,
    pollMs: options.pollMs,
    storeBackoffMs: options.storeBackoffMs,
    concurrency: env.MATRIKKEL_CONCURRENCY,
    windowMinutes: env.OWNER_LOOKUP_WINDOW_MINUTES,
    logger: log,
    now,
    retryDelaysMs: options.retryDelaysMs,
    onJoinedFinished: (job) => refreshJoinedLot(writer, job, log),
  });
  const closeMatrikkel = once(() => (matrikkel.configured ? matrikkel.client.close() : undefined));
  const sweeper = stuckSweeper({ db, writer, minutes: env.OWNER_LOOKUP_STUCK_MINUTES, now, logger: log });
  const sweepEveryMs =
    options.sweepEveryMs ?? Math.min(5 * 60_000, (env.OWNER_LOOKUP_STUCK_MINUTES * 60_000) / 3);
  let sweepTimer: NodeJS.Timeout | undefined;
  const bulk = bulkTicker({ ...options, queue, now, logger: log, on: matrikkel.configured });
  return {
    queue,
    status: () => lookupStatus(matrikkel),
    health: () => ({
      ...ownerLookupHealth({ env, matrikkel, airtable: writer !== null, queue }),
      stuck: writer ? { minutes: env.OWNER_LOOKUP_STUCK_MINUTES, lastSweep: sweeper.last() } : null,
      bulk: bulk.health(),
    }),
    start() {
      queue.start();
      if (writer && !sweepTimer) {
        sweepTimer = setInterval(() => void sweeper.run(), sweepEveryMs);
        sweepTimer.unref();
      }
      bulk.start();
    },
    async stop(stopOptions) {
      bulk.stop();
      clearInterval(sweepTimer);
      sweepTimer = undefined;
      await queue.stop(stopOptions);
      if (!stopOptions?.abandon) ownerRecordWrites?.release();
      await sweeper.settled();
      await closeMatrikkel();
    },
    sweep: () => sweeper.run(),
    retention: (retentionOptions = {}) =>
      runOwnerRetention({
        db,
        writer,
        retentionDays: env.OWNER_RETENTION_DAYS,
        now: now(),
        logger: log,
        dryRun: retentionOptions.dryRun ?? false,
        lock: (keys, write) =>
          withOwnerRecordLocks(db, keys, { holder: `${leaseHolder}/retention`, now }, write),
      }),
  };
}

function lookupStatus(matrikkel: MatrikkelSetup): ReturnType<OwnerLookupService['status']> {
  return { configured: matrikkel.configured, reason: matrikkel.configured ? null : matrikkel.reason };
}

const BULK_OFF =
  'bulk owner lookups are off (OWNER_DAILY_BUDGET=0); set OWNER_DAILY_BUDGET above 0 to turn them on';

/** The bulk lookups on a one-minute timer, when OWNER_DAILY_BUDGET is above 0 and the Matrikkel is configured. */
function bulkTicker(input: {
  env: Env;
  db: Db;
  queue: OwnerLookupQueue;
  now: () => Date;
  logger: Logger;
  on: boolean;
}) {
  const { env } = input;
  const active = input.on && env.OWNER_DAILY_BUDGET > 0;
  const scheduler = createOwnerBulkScheduler({
    db: input.db,
    queue: input.queue,
    lots: storeLotParcels(input.db, tomterTable.name),
    settings: {
      budget: env.OWNER_DAILY_BUDGET,
      tiers: env.OWNER_BULK_TIERS,
      refreshDays: env.OWNER_REFRESH_DAYS,
      day: {
        startHour: env.OWNER_BULK_HOURS[0],
        endHour: env.OWNER_BULK_HOURS[1],
        weekdays: [1, 2, 3, 4, 5],
      },
      timeZone: env.SYNC_TIMEZONE,
      tickMinutes: BULK_TICK_MINUTES,
    },
    now: input.now,
    logger: input.logger,
  });
  let last: BulkTick | null = null;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    try {
      last = scheduler.tick();
    } catch (error) {
      // A full store or a locked one: the next tick tries again; the queue's health says why.
      input.logger.error('owner bulk lookups: the tick failed', { error: messageOf(error) });
    }
  };
  return {
    start() {
      if (input.on && !active) input.logger.info(BULK_OFF);
      if (!active || timer) return;
      timer = setInterval(tick, BULK_TICK_MINUTES * 60_000);
      timer.unref();
      tick();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    health: () =>
      active
        ? { budget: env.OWNER_DAILY_BUDGET, lastTick: last }
        : input.on
          ? { budget: 0, lastTick: null, off: BULK_OFF }
          : null,
  };
}

/** A repeat request for a fresh lookup sets Eieroppslag back to "Forespurt": put it back to Ferdig. */
function refreshJoinedLot(writer: OwnerLookupWriter | null, job: OwnerLookupJob, log: Logger): void {
  if (!writer || job.ownerCount === null || !job.finishedAt) return;
  const message = reusedMessage(job.ownerCount, new Date(job.finishedAt));
  const ownerCount = job.ownerCount;
  void writer
    .resolve(job.lot)
    .then((recordId) => (recordId ? writer.markFinished(recordId, ownerCount, message) : undefined))
    .catch((error: unknown) =>
      log.warn('could not refresh the lot state', { jobId: job.id, error: messageOf(error) }),
    );
}

/** The stuck-lot sweep, one at a time, remembering its last report for /health. */
function stuckSweeper(input: {
  db: Db;
  writer: OwnerLookupWriter | null;
  minutes: number;
  now: () => Date;
  logger: Logger;
}) {
  let last: SweepReport | null = null;
  let running: Promise<SweepReport | null> | null = null;
  const sweep = async (writer: OwnerLookupWriter) =>
    (last = await sweepStuckLookups({ ...input, writer, stuckMinutes: input.minutes, now: input.now() }));
  return {
    run(): Promise<SweepReport | null> {
      if (!input.writer) return Promise.resolve(null);
      running ??= sweep(input.writer).finally(() => (running = null));
      return running;
    },
    last: () => last,
    settled: async () => {
      await running;
    },
  };
}

function once(work: () => void | Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => (done ??= Promise.resolve(work()));
}

/** What /health reports for the owner lookup. */
export function ownerLookupHealth(input: {
  env: Pick<Env, 'WEBHOOK_SECRET' | 'WEBHOOK_BEARER_TOKEN' | 'WEBHOOK_LINK_KEY'>;
  matrikkel: MatrikkelSetup;
  airtable: boolean;
  queue: Pick<OwnerLookupQueue, 'counts' | 'health'>;
}): Omit<OwnerLookupHealth, 'stuck' | 'bulk'> {
  const webhook = {
    hmac: Boolean(input.env.WEBHOOK_SECRET),
    bearer: Boolean(input.env.WEBHOOK_BEARER_TOKEN),
    link: Boolean(input.env.WEBHOOK_LINK_KEY),
  };
  const queue = input.queue.health();
  return {
    state: !input.matrikkel.configured
      ? 'not-configured'
      : !webhook.hmac && !webhook.bearer
        ? 'webhook-not-configured'
        : queue.state,
    matrikkel: {
      configured: input.matrikkel.configured,
      url: input.matrikkel.url,
      reason: input.matrikkel.configured ? null : input.matrikkel.reason,
    },
    webhook,
    airtable: input.airtable,
    queue: { ...countsOf(input.queue), ...queue },
  };
}

/** The queue's counts, or why the store could not be read for them (health must still answer). */
function countsOf(queue: Pick<OwnerLookupQueue, 'counts'>): QueueCounts | { unreadable: string } {
  try {
    return queue.counts();
  } catch (error) {
    return { unreadable: messageOf(error) };
  }
}
