import type { Command } from 'commander';
import { airtableClientFromEnv } from '../../crm/airtable/from-env.js';
import { setupBase, type SetupReport } from '../../crm/setup/setup-base.js';
import { ConfigError, ExitCode } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

export function formatSetupReport(report: SetupReport): string[] {
  const lines: string[] = [];
  const verb = report.dryRun ? 'would create' : 'created';
  for (const change of report.changes) {
    if (change.kind === 'table-created')
      lines.push(`${change.table}: ${verb} table with ${change.fields} fields`);
    if (change.kind === 'field-created')
      lines.push(`${change.table}.${change.field}: ${verb} field (${change.type})`);
    if (change.kind === 'link-created')
      lines.push(
        `${change.table}.${change.field}: ${verb} link to ${change.linkedTable}` +
          (change.inverseField ? ` (counterpart ${change.linkedTable}.${change.inverseField})` : ''),
      );
  }
  for (const d of report.differences)
    lines.push(`DIFFERS ${d.table}${d.field ? `.${d.field}` : ''}: ${d.problem}`);
  lines.push(
    `${report.changes.length} change(s) ${report.dryRun ? 'planned' : 'made'}, ${report.matching} field(s) already right, ` +
      `${report.differences.length} difference(s) left as they are`,
  );
  return lines;
}

/** `tomtejakt setup-base`: creates or completes the Airtable base's tables (idempotent). */
export function createSetupBaseCommand(): RegisterCommand {
  return (program: Command, context: CliContext) => {
    program
      .command('setup-base')
      .description(
        'Create or complete the Airtable tables Tomter, Kommuner and Eiere (never deletes or renames).',
      )
      .option('--dry-run', 'print what would be created; change nothing')
      .option('--strict', 'exit 1 when a field differs from the schema (type, options)')
      .addHelpText(
        'after',
        '\nNeeds AIRTABLE_TOKEN (scopes schema.bases:read, schema.bases:write) and AIRTABLE_BASE_ID, with creator access to the base.',
      )
      .action(async (options: { dryRun?: boolean; strict?: boolean }) => {
        const env = context.env();
        const client = airtableClientFromEnv(env, context.logger());
        if (!client)
          throw new ConfigError('AIRTABLE_TOKEN', 'setup-base needs AIRTABLE_TOKEN and AIRTABLE_BASE_ID');
        try {
          const report = await setupBase(client, { dryRun: Boolean(options.dryRun) });
          for (const line of formatSetupReport(report)) context.print(line);
          process.exitCode = options.strict && report.differences.length ? ExitCode.badInput : ExitCode.ok;
        } finally {
          await client.close();
        }
      });
  };
}
