import path from 'node:path';
import type { Command } from 'commander';
import { reportAlertSource } from '../../app/report-alerts.js';
import { lazyPdfEngine, makeAndPublishReport } from '../../app/report-part.js';
import { openResources } from '../../app/resources.js';
import { inlineComposer } from '../../jobs/weekly-report.js';
import { chromiumPath } from '../../export/pdf/chromium-path.js';
import { ConfigError, ExitCode, InputError } from '../../util/errors.js';
import { isoWeekOf, parseIsoWeek, weekBefore } from '../../util/iso-week.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

interface ReportFlags {
  week?: string;
  pdf?: string;
  mailAgain?: boolean;
}

/**
 * `tomtejakt report [--week 2026-W49] [--pdf out.pdf]`: the weekly report made now, as the
 * Monday job makes it (kept in the store, Rapporter in Airtable, e-mail when SMTP_URL is set).
 * Exit 0; 1 for a wrong week or a PDF asked for without Chromium; 2 when Airtable, the e-mail or
 * the PDF failed (the report is made and kept all the same).
 */
export const registerReport: RegisterCommand = (program: Command, context: CliContext) => {
  program
    .command('report')
    .description('make the weekly report (Norwegian), keep it, write Rapporter in Airtable and e-mail it')
    .option('--week <week>', 'the ISO week, e.g. 2026-W49 (default: the week before this one)')
    .option('--pdf <file>', 'also write the report as PDF to this file (needs Chromium)')
    .option('--mail-again', 'send the e-mail even when this week’s report was mailed before')
    .addHelpText(
      'after',
      '\nThe report is served at /rapporter/<week> by `tomtejakt start`; REPORT_CRON makes it every Monday.\n' +
        'Examples:\n  tomtejakt report\n  tomtejakt report --week 2026-W49 --pdf uke49.pdf',
    )
    .action(async (flags: ReportFlags) => {
      const env = context.env();
      const week = flags.week?.trim() ?? weekBefore(isoWeekOf(new Date(), env.SYNC_TIMEZONE));
      if (!parseIsoWeek(week)) throw new InputError('--week', `not an ISO week such as 2026-W49: ${week}`);
      if (flags.pdf && !chromiumPath(env.CHROMIUM_PATH))
        throw new ConfigError(
          'CHROMIUM_PATH',
          `--pdf needs Chromium, not found at ${env.CHROMIUM_PATH ?? '/usr/bin/chromium'} (apt-get install chromium)`,
        );
      const resources = openResources({
        env,
        rules: context.rules(),
        logger: context.logger(),
        progress: context.progress(),
      });
      const pdf = lazyPdfEngine(env.CHROMIUM_PATH);
      try {
        const result = await makeAndPublishReport(resources, {
          week,
          tools: { alerts: reportAlertSource(resources.db), pdf, compose: inlineComposer(resources.db) },
          mail: flags.mailAgain ? 'again' : 'once',
        });
        const { outcome } = result;
        if (flags.pdf && outcome.pdf)
          await writeFileAtomic(path.resolve(flags.pdf), Buffer.from(outcome.pdf));
        context.print(`Weekly report ${week}:`);
        for (const line of result.summary.split('\n')) context.print(`  ${line}`);
        if (flags.pdf && outcome.pdf) context.print(`PDF: ${path.resolve(flags.pdf)}`);
        if (outcome.recordId) context.print(`Airtable Rapporter: record ${outcome.recordId}`);
        if (outcome.pdfUnavailable) context.print(`No PDF (HTML only): ${outcome.pdfUnavailable}`);
        if (outcome.mailed) context.print(`E-mailed to ${env.REPORT_TO?.join(', ')}`);
        for (const problem of outcome.problems) context.print(`Not done: ${problem}`);
        process.exitCode = outcome.problems.length ? ExitCode.sourceFailed : ExitCode.ok;
      } finally {
        await pdf.close();
        await resources.close();
      }
    });
};
