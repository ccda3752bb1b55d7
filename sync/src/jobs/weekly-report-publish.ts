import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import { writeReportRecord } from '../crm/reports/report-record.js';
import type { MailSender } from '../export/mail/smtp-mail.js';
import type { HtmlToPdf } from '../export/pdf/html-to-pdf.js';
import { reportTitle } from '../presentation/report/report-html.js';
import type { Db } from '../store/database.js';
import { markReportMailed, markReportRecord, storedReport } from '../store/weekly-reports.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { MadeReport } from './weekly-report.js';

/** Where a made report goes besides the store; each part is optional. */
export interface ReportOutlets {
  /** Chromium for the PDF; null when it is not installed (the reason is in `pdfUnavailable`). */
  pdf: HtmlToPdf | null;
  pdfUnavailable?: string;
  airtable: AirtableRecordsClient | null;
  recordLimit: number;
  mail: { sender: MailSender; to: string[] } | null;
  /** The report's page for the team, e.g. https://tomtejakt.example.no/rapporter/2026-W49; null without PUBLIC_BASE_URL. */
  reportUrl(week: string): string | null;
  /** A URL Airtable can fetch the PDF from; null when there is none (no PUBLIC_BASE_URL or no link key). */
  pdfUrl(week: string): string | null;
}

export interface PublishOutcome {
  pdf: Uint8Array | null;
  /** Why there is no PDF when Chromium is not installed: not a failure, the HTML is served and mailed instead. */
  pdfUnavailable: string | null;
  /** Why each part did not happen, in English for the log; null when it did or was not configured. */
  problems: string[];
  recordId: string | null;
  mailed: boolean;
}

/** The PDF's running footer. */
export const pdfFooter = (made: Pick<MadeReport, 'week'>) => reportTitle(made);

export const pdfFileName = (week: string) => `tomtejakt-ukerapport-${week}.pdf`;

/**
 * The made report printed as PDF, written to Airtable's Rapporter (one record per week) and
 * e-mailed (once per week: `mail: 'again'` sends it even when it went before). A part that fails
 * is named in `problems`; the others still happen.
 */
export async function publishReport(
  db: Db,
  made: MadeReport,
  outlets: ReportOutlets,
  options: { mail?: 'once' | 'again'; logger: Logger },
): Promise<PublishOutcome> {
  const outcome: PublishOutcome = {
    pdf: null,
    pdfUnavailable: null,
    problems: [],
    recordId: null,
    mailed: false,
  };
  const attempt = async (part: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      outcome.problems.push(`${part} for ${made.week}: ${messageOf(error)}`);
    }
  };
  if (outlets.pdf)
    await attempt(
      'PDF',
      async () => void (outcome.pdf = await outlets.pdf!.render(made.html, { footer: pdfFooter(made) })),
    );
  else outcome.pdfUnavailable = outlets.pdfUnavailable ?? null;
  if (outlets.airtable) await attempt('Rapporter record', () => writeRecord(db, made, outlets, outcome));
  const mailedBefore = storedReport(db, made.week)?.mailedAt ?? null;
  if (outlets.mail && (options.mail === 'again' || !mailedBefore))
    await attempt('e-mail', () => sendMail(db, made, outlets, outcome));
  for (const problem of outcome.problems) options.logger.warn(`Weekly report: ${problem}`);
  return outcome;
}

async function writeRecord(db: Db, made: MadeReport, outlets: ReportOutlets, outcome: PublishOutcome) {
  const result = await writeReportRecord(
    outlets.airtable!,
    db,
    {
      week: made.week,
      summary: made.summary,
      madeAt: made.madeAt,
      link: outlets.reportUrl(made.week),
      pdfUrl: outcome.pdf ? outlets.pdfUrl(made.week) : null,
    },
    outlets.recordLimit,
  );
  if (result.recordId === null) outcome.problems.push(result.skipped);
  else {
    outcome.recordId = result.recordId;
    markReportRecord(db, made.week, result.recordId);
  }
}

async function sendMail(db: Db, made: MadeReport, outlets: ReportOutlets, outcome: PublishOutcome) {
  const link = outlets.reportUrl(made.week);
  const attachment = outcome.pdf
    ? { filename: pdfFileName(made.week), content: outcome.pdf, contentType: 'application/pdf' }
    : {
        filename: `tomtejakt-ukerapport-${made.week}.html`,
        content: new TextEncoder().encode(made.html),
        contentType: 'text/html; charset=utf-8',
      };
  await outlets.mail!.sender.send({
    to: outlets.mail!.to,
    subject: reportTitle(made),
    text: `${made.summary}\n${link ? `\nRapporten: ${link}\n` : ''}\nRapporten ligger vedlagt.`,
    attachments: [attachment],
  });
  markReportMailed(db, made.week, new Date().toISOString());
  outcome.mailed = true;
}
