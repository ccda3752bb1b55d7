import type { Command } from 'commander';
import { airtableClientFromEnv } from '../../crm/airtable/from-env.js';
import { runNightly } from '../../jobs/nightly.js';
import { kommunerToRun, type PipelineFactory } from '../../jobs/nightly-stages.js';
import { productionPipeline } from '../../jobs/production-pipeline.js';
import { formatRunSummary } from '../../jobs/nightly-summary.js';
import { openStore } from '../../store/database.js';
import { ExitCode, InputError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

export function parseKommuneList(value: string): string[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((k) => !/^\d{4}$/.test(k));
  if (bad !== undefined || list.length === 0)
    throw new InputError(
      '--kommune',
      `"${bad ?? value}" is not a list of 4-digit kommunenummer, e.g. 3218,3207`,
    );
  return [...new Set(list)];
}

/**
 * `tomtejakt run [--kommune 3218,3207] [--dry-run]`: the nightly job once, with a summary.
 * Exit 0 when every kommune went through, 2 when one failed (its last good lots are kept).
 */
export function createRunCommand(deps: { pipeline?: PipelineFactory } = {}): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('run')
      .description('Run the nightly job once: fetch, find lots, score, store and bring Airtable in step.')
      .option(
        '--kommune <list>',
        'comma-separated kommunenummer (default: KOMMUNER, else the sample kommune)',
        parseKommuneList,
      )
      .option('--dry-run', 'print what would be created, updated and marked in Airtable; write nothing')
      .option('--json', 'print the summary as JSON')
      .addHelpText(
        'after',
        '\nWithout AIRTABLE_TOKEN/AIRTABLE_BASE_ID the results are kept in the store only.\n' +
          'Examples:\n  tomtejakt run --kommune 3218\n  tomtejakt run --kommune 3218,3207 --dry-run',
      )
      .action(async (options: { kommune?: string[]; dryRun?: boolean; json?: boolean }) => {
        const env = context.env();
        const logger = context.logger();
        const rules = context.rules();
        const db = openStore(env.storePath);
        const progress = context.progress();
        const airtable = airtableClientFromEnv(env, logger);
        const pipeline = await (deps.pipeline ?? productionPipeline)({ env, rules, logger, db, progress });
        try {
          const kommuner = kommunerToRun({
            requested: options.kommune,
            env,
            sampleKommune: pipeline.sampleKommune,
          });
          const summary = await runNightly({
            db,
            stages: pipeline.stages,
            kommuner,
            airtable,
            timeZone: env.SYNC_TIMEZONE,
            trigger: 'cli',
            dryRun: Boolean(options.dryRun),
            regulatedPlanstatus: rules.engine.regulated.planstatus,
            logger,
            progress,
          });
          if (options.json) context.print(JSON.stringify(summary, null, 2));
          else {
            for (const line of pipeline.report?.() ?? []) context.print(line);
            for (const line of formatRunSummary(summary)) context.print(line);
          }
          process.exitCode = summary.kommuner.some((k) => k.outcome === 'failed')
            ? ExitCode.sourceFailed
            : ExitCode.ok;
        } finally {
          await pipeline.close?.();
          await airtable?.close();
          db.close();
        }
      });
  };
}
