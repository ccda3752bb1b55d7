import type { Env } from '../config/env.js';
import { readPipelineCounts } from '../crm/reports/pipeline-counts.js';
import { smtpMailSender } from '../export/mail/smtp-mail.js';
import { chromiumMissing, chromiumPath } from '../export/pdf/chromium-path.js';
import type { HtmlToPdf } from '../export/pdf/html-to-pdf.js';
import {
  makeWeeklyReport,
  type AlertSource,
  type ReportComposer,
  type WeeklyReportContext,
} from '../jobs/weekly-report.js';
import {
  pdfFooter,
  publishReport,
  type PublishOutcome,
  type ReportOutlets,
} from '../jobs/weekly-report-publish.js';
import {
  reportLinkToken,
  reportPdfLinkRouter,
  reportsRouter,
  type ReportReader,
} from '../server/reports-api.js';
import { reportList, storedReport } from '../store/weekly-reports.js';
import { isoWeekOf, weekBefore } from '../util/iso-week.js';
import { storeReportComposer } from './report-composer.js';
import type { AppResources } from './resources.js';
import { ScheduledJob } from './scheduled-job.js';
import type { ServicePart } from './service.js';

/** Chromium started on first use and kept; a failed start is remembered (said once, answered as 503). */
export interface PdfEngine {
  get(): Promise<HtmlToPdf | { unavailable: string }>;
  close(): Promise<void>;
}

export function lazyPdfEngine(configuredPath: string | undefined): PdfEngine {
  let opened: Promise<HtmlToPdf | { unavailable: string }> | null = null;
  return {
    // playwright-core is loaded with the first PDF, not with every command and start.
    get: () =>
      (opened ??= import('../export/pdf/html-to-pdf.js').then(async ({ openHtmlToPdf, isPdfUnavailable }) => {
        const engine = await openHtmlToPdf(configuredPath);
        return isPdfUnavailable(engine) ? { unavailable: engine.reason } : engine;
      })),
    async close() {
      const engine = await opened;
      if (engine && !('unavailable' in engine)) await engine.close();
    },
  };
}

/** What making a report uses besides the resources: where the alerts come from, Chromium, the composing thread. */
export interface ReportTools {
  alerts: AlertSource;
  pdf: PdfEngine;
  /** On a worker thread in the service; in place in a command (`inlineComposer`). */
  compose: ReportComposer;
}

/** The report's context in the app: the store, the alerts, Airtable's pipeline, the env's limits. */
export function reportContext(
  resources: AppResources,
  tools: ReportTools,
  now?: () => Date,
): WeeklyReportContext {
  const airtable = resources.airtable;
  const alerts = tools.alerts;
  return {
    now,
    compose: tools.compose,
    db: resources.db,
    timeZone: resources.env.SYNC_TIMEZONE,
    alerts,
    pipeline: airtable ? (today) => readPipelineCounts(airtable, today) : null,
    recordLimit: resources.env.AIRTABLE_RECORD_LIMIT,
  };
}

/** Where reports go (Airtable, e-mail) and the links to them, from the env. */
export function reportOutlets(
  resources: AppResources,
  pdf: HtmlToPdf | { unavailable: string },
): ReportOutlets {
  const { env } = resources;
  const base = env.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? null;
  return {
    pdf: 'unavailable' in pdf ? null : pdf,
    pdfUnavailable: 'unavailable' in pdf ? pdf.unavailable : undefined,
    airtable: resources.airtable,
    recordLimit: env.AIRTABLE_RECORD_LIMIT,
    mail:
      env.SMTP_URL && env.REPORT_TO?.length
        ? { sender: smtpMailSender(env.SMTP_URL, env.REPORT_FROM), to: env.REPORT_TO }
        : null,
    reportUrl: (week) => (base ? `${base}/rapporter/${week}` : null),
    pdfUrl: (week) =>
      base && env.REPORT_LINK_KEY
        ? `${base}${REPORT_PDF_LINK_PATH}/${week}/${reportLinkToken(env.REPORT_LINK_KEY, week)}.pdf`
        : null,
  };
}

export const REPORT_PDF_LINK_PATH = '/rapport-pdf';

/** Makes the week's report, prints it, and sends it where the env says. */
export async function makeAndPublishReport(
  resources: AppResources,
  input: { week: string; tools: ReportTools; mail?: 'once' | 'again'; now?: () => Date },
): Promise<{ week: string; summary: string; outcome: PublishOutcome }> {
  const made = await makeWeeklyReport(reportContext(resources, input.tools, input.now), input.week);
  const outlets = reportOutlets(resources, await input.tools.pdf.get());
  try {
    const outcome = await publishReport(resources.db, made, outlets, {
      mail: input.mail,
      logger: resources.logger,
    });
    return { week: made.week, summary: made.summary, outcome };
  } finally {
    outlets.mail?.sender.close();
  }
}

/** The weekly report on REPORT_CRON (Monday 07:00), for the week before. */
export function weeklyReportJob(resources: AppResources, tools: ReportTools) {
  return new ScheduledJob({
    name: 'weeklyReport',
    cron: resources.env.REPORT_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    async run() {
      const week = weekBefore(isoWeekOf(new Date(), resources.env.SYNC_TIMEZONE));
      const result = await makeAndPublishReport(resources, { week, tools });
      resources.logger.info(`Weekly report ${week} made`, {
        pdf: result.outcome.pdf !== null,
        airtable: result.outcome.recordId !== null,
        mailed: result.outcome.mailed,
      });
      return result;
    },
    describe: (result) => ({
      week: result.week,
      pdf: result.outcome.pdf !== null,
      airtable: result.outcome.recordId !== null,
      mailed: result.outcome.mailed,
      problems: result.outcome.problems.length,
    }),
  });
}

/**
 * The weeks the team may ask for before they have a report: the one before (what Monday's job
 * makes) and the current one (made as it stands). Older weeks have only what was made then.
 */
function makeableWeeks(env: Env, now: Date): string[] {
  const current = isoWeekOf(now, env.SYNC_TIMEZONE);
  return [weekBefore(current), current];
}

/** The report routes' reader: stored reports, the makeable weeks made on first request, PDFs from Chromium. */
export function storeReportReader(resources: AppResources, tools: ReportTools): ReportReader {
  const { db, env } = resources;
  const printed = new Map<string, { madeAt: string; bytes: Uint8Array }>();
  // Two first requests for a week wait for one making of it.
  const making = new Map<string, Promise<unknown>>();
  const html = async (week: string) => {
    const stored = storedReport(db, week);
    if (stored) return stored;
    if (!makeableWeeks(env, new Date()).includes(week)) return null;
    if (!making.has(week))
      making.set(
        week,
        makeWeeklyReport(reportContext(resources, tools), week).finally(() => making.delete(week)),
      );
    await making.get(week);
    return storedReport(db, week);
  };
  return {
    list() {
      const reports = reportList(db);
      const made = new Set(reports.map((r) => r.week));
      return {
        reports,
        missing: makeableWeeks(env, new Date())
          .filter((w) => !made.has(w))
          .reverse(),
      };
    },
    html: async (week) => (await html(week))?.html ?? null,
    async pdf(week) {
      const report = await html(week);
      if (!report) return null;
      const cached = printed.get(week);
      if (cached?.madeAt === report.madeAt) return { bytes: cached.bytes };
      const engine = await tools.pdf.get();
      if ('unavailable' in engine) return engine;
      const bytes = await engine.render(report.html, { footer: pdfFooter(report) });
      printed.set(week, { madeAt: report.madeAt, bytes });
      return { bytes };
    },
  };
}

/**
 * The reports as a part of the service: `/rapporter` behind the map's access, the signed PDF link
 * for Airtable (when REPORT_LINK_KEY is set), and Chromium closed on stop. Says once at start when
 * Chromium is missing: the HTML is served all the same.
 */
export function reportPart(
  resources: AppResources,
  tools: ReportTools & { close(): Promise<void> },
): ServicePart {
  const { env, logger } = resources;
  const reader = storeReportReader(resources, tools);
  const routers: ServicePart['routers'] = [{ path: '/rapporter', router: reportsRouter(reader) }];
  if (env.REPORT_LINK_KEY)
    routers.push({
      path: REPORT_PDF_LINK_PATH,
      router: reportPdfLinkRouter(reader, env.REPORT_LINK_KEY),
      public: true,
    });
  return {
    name: 'reports',
    routers,
    start() {
      if (!chromiumPath(env.CHROMIUM_PATH))
        logger.warn(
          `${chromiumMissing(env.CHROMIUM_PATH)}. The weekly reports are served as HTML only; /rapporter/<week>.pdf answers 503.`,
        );
    },
    stop: () => tools.close(),
  };
}

/** The service's report tools: the store's alerts, Chromium on first use, a composing thread; closed with the part. */
export function serviceReportTools(
  resources: AppResources,
  alerts: AlertSource,
): ReportTools & { close(): Promise<void> } {
  const pdf = lazyPdfEngine(resources.env.CHROMIUM_PATH);
  const composer = storeReportComposer(resources.db);
  return {
    alerts,
    pdf,
    compose: composer.compose,
    close: async () => {
      await pdf.close();
      await composer.close();
    },
  };
}
