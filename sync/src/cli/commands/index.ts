import type { Command } from 'commander';
import type { AppParts } from '../../app/app.js';
import { loadEnv, secretsOf } from '../../config/env.js';
import { airtableClientFromEnv } from '../../crm/airtable/from-env.js';
import { productionPipeline } from '../../jobs/production-pipeline.js';
import { createStoreLotGeometryLookup } from '../../store/lot-geometry-lookup.js';
import { createLogger } from '../../util/logger.js';
import type { CliContext } from '../context.js';
import { registerAccept } from './accept.js';
import { registerAnalyse } from './analyse.js';
import { registerFetch } from './fetch.js';
import { registerKommuner } from './kommuner.js';
import { createMapUserCommand } from './map-user.js';
import { ownersCommand } from './owners.js';
import { registerReport } from './report.js';
import { createRunCommand } from './run.js';
import { createSetupBaseCommand } from './setup-base.js';
import { createStartCommand } from './start.js';
import { verifyCommand } from './verify.js';

/** A CLI command lives in its own file and registers itself on the program. */
export type RegisterCommand = (program: Command, context: CliContext) => void;

/** The parts production runs: the real pipeline, the owner lookup and the kommune ranking check. */
export const productionParts: AppParts = {
  pipeline: productionPipeline,
  ownerLookup: true,
  kommuneRanking: true,
};

/**
 * Every command, in the order `--help` lists them, with the production parts each needs
 * (this is the one place that chooses them; tests build commands with doubles instead).
 */
export const commands: RegisterCommand[] = [
  createStartCommand(productionParts),
  createRunCommand(productionParts.pipeline),
  createSetupBaseCommand(),
  registerAnalyse,
  registerFetch,
  verifyCommand(createStoreLotGeometryLookup(() => loadEnv().storePath)),
  registerKommuner,
  registerAccept,
  registerReport,
  ownersCommand({
    airtable: (env) =>
      airtableClientFromEnv(env, createLogger({ level: env.LOG_LEVEL, secrets: secretsOf(env) })),
  }),
  createMapUserCommand(),
];
