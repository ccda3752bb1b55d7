import type { Command } from 'commander';
import type { AppParts } from '../../app/app.js';
import type { CliContext } from '../context.js';

/** A CLI command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command, context: CliContext) => void;

/** The parts production runs: the real pipeline, the owner lookup and the kommune ranking check. */
async function productionParts(): Promise<AppParts> {
  const { productionPipeline } = await import('../../jobs/production-pipeline.js');
  return { pipeline: productionPipeline, ownerLookup: true, kommuneRanking: true };
}

/**
 * Every command by name, in the order `--help` lists them, with the production parts each needs
 * (this is the one place that chooses them; tests build commands with doubles instead). Each is
 * loaded when it runs: `tomtejakt run` loaded every command's modules first (0.4 s of its start).
 */
export const commandModules: ReadonlyArray<readonly [name: string, load: () => Promise<RegisterCommand>]> = [
  ['start', async () => (await import('./start.js')).createStartCommand(await productionParts())],
  ['run', async () => (await import('./run.js')).createRunCommand((await productionParts()).pipeline)],
  ['setup-base', async () => (await import('./setup-base.js')).createSetupBaseCommand()],
  ['analyse', async () => (await import('./analyse.js')).registerAnalyse],
  ['fetch', async () => (await import('./fetch.js')).registerFetch],
  [
    'verify',
    async () => {
      const [{ verifyCommand }, { createStoreLotGeometryLookup }, { loadEnv }] = await Promise.all([
        import('./verify.js'),
        import('../../store/lot-geometry-lookup.js'),
        import('../../config/env.js'),
      ]);
      return verifyCommand(createStoreLotGeometryLookup(() => loadEnv().storePath));
    },
  ],
  ['kommuner', async () => (await import('./kommuner.js')).registerKommuner],
  ['accept', async () => (await import('./accept.js')).registerAccept],
  ['report', async () => (await import('./report.js')).registerReport],
  [
    'owners',
    async () => {
      const [{ ownersCommand }, { airtableClientFromEnv }, { secretsOf }, { createLogger }] =
        await Promise.all([
          import('./owners.js'),
          import('../../crm/airtable/from-env.js'),
          import('../../config/env.js'),
          import('../../util/logger.js'),
        ]);
      return ownersCommand({
        airtable: (env) =>
          airtableClientFromEnv(env, createLogger({ level: env.LOG_LEVEL, secrets: secretsOf(env) })),
      });
    },
  ],
  ['map-user', async () => (await import('./map-user.js')).createMapUserCommand()],
];

/** The command `argv` names, alone; every command when it names none (`--help`) or one unknown. */
export async function productionCommands(argv: readonly string[]): Promise<RegisterCommand[]> {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const named = commandModules.filter(([command]) => command === name);
  return Promise.all((named.length > 0 ? named : commandModules).map(([, load]) => load()));
}
