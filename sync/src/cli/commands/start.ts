import type { Command } from 'commander';
import { airtableClientFromEnv } from '../../crm/airtable/from-env.js';
import { kommunerToRun, type PipelineFactory } from '../../jobs/nightly-stages.js';
import { productionPipeline } from '../../jobs/production-pipeline.js';
import type { AirtableClient } from '../../crm/airtable/client.js';
import type { Env } from '../../config/env.js';
import type { Rules } from '../../config/rules.js';
import { startService, type ServiceExtension } from '../../server/service.js';
import type { Db } from '../../store/database.js';
import type { Logger } from '../../util/logger.js';
import { openStore } from '../../store/database.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

export interface StartDeps {
  pipeline?: PipelineFactory;
  /** Parts the integrator adds to the process (the owner lookup: webhook router, queue, health). */
  extensions?: (parts: {
    env: Env;
    db: Db;
    rules: Rules;
    airtable: AirtableClient | null;
    logger: Logger;
  }) => ServiceExtension[] | Promise<ServiceExtension[]>;
  /** Resolves when the service should stop; default SIGTERM/SIGINT. */
  stopSignal?: () => Promise<string>;
}

const signals = () =>
  new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });

/** `tomtejakt start` (= `npm start`): the nightly schedule, the map page and /health in one process. */
export function createStartCommand(deps: StartDeps = {}): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('start')
      .description('Run the service: the nightly job on SYNC_CRON, the lot map on / and /health.')
      .option('--run-now', 'also run the job right away')
      .addHelpText(
        'after',
        '\nSIGTERM (or Ctrl-C) lets the current kommune finish, then exits. A second signal exits at once.\n' +
          'With no Airtable settings and an empty store, the first start runs the job on the sample kommune.',
      )
      .action(async (options: { runNow?: boolean }) => {
        const env = context.env();
        const logger = context.logger();
        const rules = context.rules();
        const db = openStore(env.storePath);
        const progress = context.progress();
        const pipeline = await (deps.pipeline ?? productionPipeline)({ env, rules, logger, db, progress });
        const kommuner = () => kommunerToRun({ env, sampleKommune: pipeline.sampleKommune });
        kommuner();
        const airtable = airtableClientFromEnv(env, logger);
        const service = await startService({
          db,
          stages: pipeline.stages,
          kommuner,
          airtable,
          cron: env.SYNC_CRON,
          timeZone: env.SYNC_TIMEZONE,
          host: env.HOST,
          port: env.PORT,
          regulatedPlanstatus: rules.engine.regulated.planstatus,
          extensions: (await deps.extensions?.({ env, db, rules, airtable, logger })) ?? [],
          ...(options.runNow ? { runNow: true } : {}),
          logger,
          progress,
        });
        context.print(`Map: ${service.url}/  Health: ${service.url}/health`);
        const signal = await (deps.stopSignal ?? signals)();
        logger.info(`${signal} received`);
        const forceExit = () => {
          logger.warn('Second signal: exiting now');
          process.exit(1);
        };
        process.once('SIGTERM', forceExit);
        process.once('SIGINT', forceExit);
        await service.stop();
        await pipeline.close?.();
        await airtable?.close();
        process.removeListener('SIGTERM', forceExit);
        process.removeListener('SIGINT', forceExit);
        db.close();
      });
  };
}
