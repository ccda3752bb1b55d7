import type { Command } from 'commander';
import { startApp, type AppParts } from '../../app/app.js';
import { openResources } from '../../app/resources.js';
import { ExitCode } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

const signals = () =>
  new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });

/** `tomtejakt start` (= `npm start`): the scheduled jobs, the map page and /health in one process. */
export function createStartCommand(
  parts: AppParts,
  options: { stopSignal?: () => Promise<string> } = {},
): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('start')
      .description('Run the service: the nightly job on SYNC_CRON, the lot map on / and /health.')
      .option('--run-now', 'also run the job right away')
      .addHelpText(
        'after',
        '\nSIGTERM (or Ctrl-C) lets the current kommune finish (at most SHUTDOWN_TIMEOUT_SECONDS), closes\n' +
          'every client and the store, and exits 0. A second signal exits at once (1).\n' +
          'With no Airtable settings and an empty store, the first start runs the job on the sample kommune.',
      )
      .action(async (flags: { runNow?: boolean }) => {
        const resources = openResources({
          env: context.env(),
          rules: context.rules(),
          logger: context.logger(),
          progress: context.progress(),
        });
        const app = await startApp(resources, parts, { runNow: flags.runNow });
        context.print(`Map: ${app.url}/  Health: ${app.url}/health`);
        const signal = await (options.stopSignal ?? signals)();
        resources.logger.info(`${signal} received`);
        const forceExit = () => {
          resources.logger.warn('Second signal: exiting now');
          process.exit(1);
        };
        process.once('SIGTERM', forceExit);
        process.once('SIGINT', forceExit);
        const clean = await app.stop();
        process.removeListener('SIGTERM', forceExit);
        process.removeListener('SIGINT', forceExit);
        process.exitCode = clean ? ExitCode.ok : ExitCode.badInput;
      });
  };
}
