import type { Router } from 'express';
import cron, { type ScheduledTask } from 'node-cron';
import type { Dispatcher } from 'undici';
import type { Env } from '../config/env.js';
import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import { createOwnerLookupWriter, type OwnerLookupWriter } from '../crm/owners/writer.js';
import type { LotParcelsLookup } from '../domain/lot-parcels.js';
import { createOwnerLookupRouter } from '../server/webhooks/owner-lookup.js';
import { parseOrigins } from '../server/webhooks/cors.js';
import { createMatrikkel, type MatrikkelSetup } from '../sources/matrikkel/index.js';
import type { Db } from '../store/database.js';
import { createStoreReplayGuard } from '../store/owner-webhook-replay.js';
import type { QueueCounts } from '../store/owner-lookup-jobs.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { createOwnerLookupRunner } from './owner-lookup-job.js';
import { reusedMessage } from './owner-lookup-messages.js';
import { createOwnerLookupQueue, type OwnerLookupQueue } from './owner-lookup-queue.js';
import { runOwnerRetention, type RetentionReport } from './owner-lookup-retention.js';

export interface OwnerLookupHealth {
  /** "ok", or "not-configured" (no Matrikkel credentials) / "webhook-not-configured" (no secret or token). */
  state: 'ok' | 'not-configured' | 'webhook-not-configured';
  matrikkel: { configured: boolean; url: string; reason: string | null };
  webhook: { hmac: boolean; bearer: boolean; link: boolean };
  airtable: boolean;
  queue: QueueCounts;
}

export interface OwnerLookupService {
  /** Mount at /webhooks/owner-lookup, before any global body parser. */
  router: Router;
  queue: OwnerLookupQueue;
  /** For the /health route. */
  health(): OwnerLookupHealth;
  start(): void;
  stop(options?: { abandon?: boolean }): Promise<void>;
  retention(options?: { dryRun?: boolean }): Promise<RetentionReport>;
}

export interface OwnerLookupServiceOptions {
  env: Env;
  db: Db;
  /** null when Airtable is not configured: results stay in the store. */
  airtable: AirtableRecordsClient | null;
  lots: LotParcelsLookup;
  logger: Logger;
  now?: () => Date;
  /** Tests: a prepared Matrikkel setup, or a dispatcher for the real one. */
  matrikkel?: MatrikkelSetup;
  dispatcher?: Dispatcher;
  /** Tests: shorter retry waits. */
  retryDelaysMs?: number[];
  runningNoticeAfterMs?: number;
  /** Run the retention job nightly (default true when Airtable is configured). */
  scheduleRetention?: boolean;
}

/** Retention runs every night after the nightly sync has settled (the sync's default is 02:00). */
const RETENTION_CRON = '30 3 * * *';

/** Wires the owner lookup: Matrikkel source, Airtable writer, persistent queue, webhook router. */
export function createOwnerLookupService(options: OwnerLookupServiceOptions): OwnerLookupService {
  const { env, db, logger } = options;
  const log = logger.child({ component: 'owner-lookup' });
  const now = options.now ?? (() => new Date());
  const matrikkel =
    options.matrikkel ??
    createMatrikkel(env, { ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}), now });
  const writer: OwnerLookupWriter | null = options.airtable
    ? createOwnerLookupWriter(options.airtable)
    : null;
  if (!matrikkel.configured) log.warn('owner lookup is not configured', { reason: matrikkel.reason });

  const queue = createOwnerLookupQueue({
    db,
    run: createOwnerLookupRunner({
      db,
      matrikkel,
      writer,
      logger: log,
      now,
      ...(options.runningNoticeAfterMs !== undefined
        ? { runningNoticeAfterMs: options.runningNoticeAfterMs }
        : {}),
    }),
    concurrency: env.MATRIKKEL_CONCURRENCY,
    windowMinutes: env.OWNER_LOOKUP_WINDOW_MINUTES,
    logger: log,
    now,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    onJoinedFinished(job) {
      // A repeat request for a fresh lookup sets Eieroppslag back to "Forespurt": put it back to Ferdig.
      if (!writer || job.ownerCount === null || !job.finishedAt) return;
      void writer
        .resolve(job.lot)
        .then((recordId) =>
          recordId
            ? writer.markFinished(
                recordId,
                job.ownerCount!,
                reusedMessage(job.ownerCount!, new Date(job.finishedAt!)),
              )
            : undefined,
        )
        .catch((error: unknown) =>
          log.warn('could not refresh the lot state', { jobId: job.id, error: messageOf(error) }),
        );
    },
  });

  const router = createOwnerLookupRouter({
    auth: {
      secret: env.WEBHOOK_SECRET,
      bearerToken: env.WEBHOOK_BEARER_TOKEN,
      linkKey: env.WEBHOOK_LINK_KEY,
    },
    corsDevOrigins: parseOrigins(env.CORS_DEV_ORIGINS),
    baseId: env.AIRTABLE_BASE_ID ?? null,
    lots: options.lots,
    enqueue: (request) => queue.enqueue(request),
    status: () => ({
      configured: matrikkel.configured,
      reason: matrikkel.configured ? null : matrikkel.reason,
    }),
    replay: createStoreReplayGuard(db, now),
    defaultPurpose: env.OWNER_LOOKUP_PURPOSE,
    logger: log,
    now,
  });

  const retention = (retentionOptions: { dryRun?: boolean } = {}) =>
    runOwnerRetention({
      db,
      writer,
      retentionDays: env.OWNER_RETENTION_DAYS,
      now: now(),
      logger: log,
      dryRun: retentionOptions.dryRun ?? false,
    });
  let retentionTask: ScheduledTask | null = null;

  return {
    router,
    queue,
    health: () => ownerLookupHealth({ env, matrikkel, airtable: writer !== null, queue }),
    start() {
      queue.start();
      if (writer && options.scheduleRetention !== false && !retentionTask) {
        retentionTask = cron.schedule(
          RETENTION_CRON,
          () => {
            retention().catch((error: unknown) =>
              log.error('owner retention failed', { error: messageOf(error) }),
            );
          },
          { timezone: env.SYNC_TIMEZONE },
        );
      }
    },
    async stop(stopOptions) {
      await retentionTask?.stop();
      retentionTask = null;
      await queue.stop(stopOptions);
      if (matrikkel.configured) await matrikkel.client.close();
    },
    retention,
  };
}

/** What /health reports for the owner lookup. */
export function ownerLookupHealth(input: {
  env: Pick<Env, 'WEBHOOK_SECRET' | 'WEBHOOK_BEARER_TOKEN' | 'WEBHOOK_LINK_KEY'>;
  matrikkel: MatrikkelSetup;
  airtable: boolean;
  queue: Pick<OwnerLookupQueue, 'counts'>;
}): OwnerLookupHealth {
  const webhook = {
    hmac: Boolean(input.env.WEBHOOK_SECRET),
    bearer: Boolean(input.env.WEBHOOK_BEARER_TOKEN),
    link: Boolean(input.env.WEBHOOK_LINK_KEY),
  };
  return {
    state: !input.matrikkel.configured
      ? 'not-configured'
      : !webhook.hmac && !webhook.bearer
        ? 'webhook-not-configured'
        : 'ok',
    matrikkel: {
      configured: input.matrikkel.configured,
      url: input.matrikkel.url,
      reason: input.matrikkel.configured ? null : input.matrikkel.reason,
    },
    webhook,
    airtable: input.airtable,
    queue: input.queue.counts(),
  };
}
