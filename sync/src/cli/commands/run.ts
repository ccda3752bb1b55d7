import type { Command } from 'commander';
import { kommuneChooser, runNightlyOnce, runToResume } from '../../app/jobs.js';
import { openResources } from '../../app/resources.js';
import type { PipelineFactory } from '../../jobs/nightly-stages.js';
import { formatRunSummary } from '../../jobs/nightly-summary.js';
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
 * `tomtejakt run [--kommune 3218,3207] [--dry-run]`: the nightly job once, with a summary; the
 * kommuner as the nightly run chooses them (`jobs/kommune-choice.ts`) unless `--kommune` names them.
 * Exit 0 when every kommune went through, 2 when one failed (its last good lots are kept).
 */
export function createRunCommand(pipelineFactory: PipelineFactory): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('run')
      .description('Run the nightly job once: fetch, find lots, score, store and bring Airtable in step.')
      .option(
        '--kommune <list>',
        "comma-separated kommunenummer: exactly these (default: the ranking's top 50 with KOMMUNER and Prioritet pins)",
        parseKommuneList,
      )
      .option('--dry-run', 'print what would be created, updated and marked in Airtable; write nothing')
      .option('--resume', 'continue the last run that was killed or stopped, at its first unfinished kommune')
      .option('--json', 'print the summary as JSON')
      .addHelpText(
        'after',
        "\nWithout --kommune the run covers the kommune ranking's top 50, plus KOMMUNER, plus the kommuner\n" +
          'whose Prioritet in Airtable (Kommuner) is "Alltid med", minus those marked "Ikke aktuell" (unless\n' +
          'in KOMMUNER); with no ranking, KOMMUNER; with no sources configured, the sample kommune.\n' +
          'The summary says why each kommune is in.\n' +
          'Without AIRTABLE_TOKEN/AIRTABLE_BASE_ID the results are kept in the store only.\n' +
          'With --resume the last interrupted run is continued: kommuner it finished are not redone.\n' +
          'Examples:\n  tomtejakt run --kommune 3218\n  tomtejakt run --kommune 3218,3207 --dry-run\n  tomtejakt run --resume',
      )
      .action(async (options: { kommune?: string[]; dryRun?: boolean; json?: boolean; resume?: boolean }) => {
        if (options.resume && (options.kommune || options.dryRun))
          throw new InputError(
            '--resume',
            'continues the interrupted run as it was; leave out --kommune and --dry-run',
          );
        const resources = openResources({
          env: context.env(),
          rules: context.rules(),
          logger: context.logger(),
          progress: context.progress(),
        });
        try {
          const pipeline = await pipelineFactory({ ...resources });
          resources.own('pipeline', () => pipeline.close?.());
          const dryRun = Boolean(options.dryRun);
          const resume = options.resume ? runToResume(resources) : null;
          if (options.resume && !resume) {
            context.print('Nothing to resume: the last run was not interrupted with kommuner left.');
            process.exitCode = ExitCode.ok;
            return;
          }
          const requested = resume?.remaining ?? options.kommune;
          const selection = await kommuneChooser(resources, pipeline)({ requested, dryRun });
          const summary = await runNightlyOnce(resources, pipeline, {
            selection,
            dryRun,
            resume,
            trigger: resume ? 'resume' : 'cli',
            shouldStop: () => false,
          });
          if (options.json) context.print(JSON.stringify(summary, null, 2));
          else
            for (const line of [...(pipeline.report?.() ?? []), ...formatRunSummary(summary)])
              context.print(line);
          process.exitCode = summary.kommuner.some((k) => k.outcome === 'failed')
            ? ExitCode.sourceFailed
            : ExitCode.ok;
        } finally {
          await resources.close();
        }
      });
  };
}
