import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cron, { type ScheduledTask } from 'node-cron';
import type { AirtableClient } from '../crm/airtable/client.js';
import { createJobRunner, type JobRunner } from '../jobs/nightly-runner.js';
import type { PipelineStages } from '../jobs/nightly-stages.js';
import type { Db } from '../store/database.js';
import { countRuns } from '../store/runs.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';
import { createApp, type MountedRouter } from './app.js';

export interface ServiceOptions {
  db: Db;
  stages: PipelineStages;
  /** The kommuner of each run (read at run time). */
  kommuner: () => string[];
  airtable: AirtableClient | null;
  cron: string;
  timeZone: string;
  host: string;
  port: number;
  regulatedPlanstatus?: number[];
  /** Parts that live in the same process: the owner lookup (webhook, queue, retention). */
  extensions?: ServiceExtension[];
  /** Run at once (besides the schedule). Default: only on a first start with an empty store and no Airtable. */
  runNow?: boolean;
  logger: Logger;
  progress?: Progress;
}

/**
 * Something the service runs besides the nightly job: its routes, started after the server
 * listens, stopped after the current run has finished, its health under `name` in /health.
 */
export interface ServiceExtension {
  name: string;
  routers?: MountedRouter[];
  start?(): void | Promise<void>;
  stop?(): Promise<void>;
  health?(): unknown;
}

export interface RunningService {
  url: string;
  runner: JobRunner;
  /** The first-start run (or --run-now run) when one was started. */
  initialRun: Promise<unknown> | null;
  /** Finishes the current kommune, stops the schedule and the server. */
  stop(): Promise<void>;
}

/**
 * `npm start`: one process with the nightly schedule (node-cron, SYNC_CRON in SYNC_TIMEZONE),
 * the map page and /health. With no Airtable and an empty store the first start runs the job at
 * once, so a newcomer sees lots on the map within a minute.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { logger } = options;
  const runner = createJobRunner(
    {
      db: options.db,
      stages: options.stages,
      kommuner: options.kommuner,
      airtable: options.airtable,
      timeZone: options.timeZone,
      logger,
      ...(options.regulatedPlanstatus ? { regulatedPlanstatus: options.regulatedPlanstatus } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    },
    logger,
  );
  let task: ScheduledTask | null = null;
  const extensions = options.extensions ?? [];
  const app = createApp({
    db: options.db,
    logger,
    routers: extensions.flatMap((e) => e.routers ?? []),
    state: () => {
      const status = runner.status();
      return {
        running: status.running,
        stopping: status.stopping,
        airtable: options.airtable !== null,
        nextRun: task?.getNextRun()?.toISOString() ?? null,
        parts: Object.fromEntries(extensions.filter((e) => e.health).map((e) => [e.name, e.health!()])),
      };
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  task = cron.schedule(options.cron, () => runner.run('schedule'), {
    name: 'nightly',
    timezone: options.timeZone,
    noOverlap: true,
  });
  for (const extension of extensions) await extension.start?.();
  logger.info('Service started', {
    map: `${url}/`,
    health: `${url}/health`,
    schedule: options.cron,
    timeZone: options.timeZone,
    nextRun: task.getNextRun()?.toISOString(),
  });
  if (!options.airtable)
    logger.info(
      'Airtable is not configured (AIRTABLE_TOKEN, AIRTABLE_BASE_ID): runs keep their results in the store only',
    );

  let initialRun: Promise<unknown> | null = null;
  const firstStart = !options.airtable && countRuns(options.db) === 0;
  if (options.runNow ?? firstStart) {
    if (firstStart)
      logger.info('First start with an empty store: running the job now', {
        kommuner: options.kommuner().join(','),
      });
    initialRun = runner.run(firstStart ? 'first-start' : 'cli');
  }

  let stopping: Promise<void> | null = null;
  return {
    url,
    runner,
    initialRun,
    stop: () =>
      (stopping ??= (async () => {
        logger.info('Stopping: finishing the current kommune');
        await task?.stop();
        await task?.destroy();
        await runner.stop();
        for (const extension of extensions) await extension.stop?.();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await options.airtable?.close();
        logger.info('Stopped');
      })()),
  };
}
