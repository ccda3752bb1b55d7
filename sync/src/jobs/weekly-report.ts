import { localDate } from '../crm/tomter/dates.js';
import type { Alert } from '../domain/alert.js';
import type { WeekCounts } from '../domain/week-counts.js';
import type { PipelineFacts } from '../presentation/report/report-data.js';
import type { Db } from '../store/database.js';
import { saveWeekSnapshot, storeWeekCounts } from '../store/week-snapshots.js';
import { saveReport } from '../store/weekly-reports.js';
import { isoWeekOf, weekBounds } from '../util/iso-week.js';
import { composeReport, type ComposedReport } from './weekly-report-compose.js';

/** Where the report reads the week's alerts: the alerts store, or anything else that has them. */
export interface AlertSource {
  /** The alerts created in [fromIso, toIso). */
  alertsBetween(fromIso: string, toIso: string): Alert[];
}

export const NO_ALERT_SOURCE: AlertSource = { alertsBetween: () => [] };

export interface WeeklyReportContext {
  db: Db;
  /** SYNC_TIMEZONE: the calendar the weeks are read in (Europe/Oslo). */
  timeZone: string;
  alerts: AlertSource;
  /** The team's pipeline (Airtable Tomter) on a calendar day; null without Airtable. */
  pipeline: ((today: string) => Promise<PipelineFacts>) | null;
  /** AIRTABLE_RECORD_LIMIT, for the record headroom. */
  recordLimit: number;
  /** Where the store is read and the report rendered; in place by default. */
  compose?: ReportComposer;
  now?: () => Date;
}

/** A report as made: its data, its HTML and its summary, kept in the store. */
export interface MadeReport extends ComposedReport {
  week: string;
  madeAt: string;
}

/**
 * The current week's snapshot of the counts, taken after a nightly run: the week's row is
 * replaced, so a week is remembered by its latest state (a week that is over is never touched).
 */
export function takeWeekSnapshot(db: Db, options: { now: Date; timeZone: string }): { week: string } {
  const week = isoWeekOf(options.now, options.timeZone);
  const counts: WeekCounts = { ...storeWeekCounts(db), pipeline: null };
  saveWeekSnapshot(
    db,
    { week, takenAt: options.now.toISOString(), takenBy: 'nightly', counts },
    { replace: true },
  );
  return { week };
}

/** What the report is composed from besides the store: everything read off the store's thread. */
export interface ComposeRequest {
  week: string;
  timeZone: string;
  /** ISO time the report is made at. */
  now: string;
  pipeline: PipelineFacts;
  alerts: Alert[];
  recordLimit: number;
}

/** Composes a report from a store (in place, or on a worker thread with its own connection). */
export type ReportComposer = (request: ComposeRequest) => Promise<ComposedReport>;

export const inlineComposer =
  (db: Db): ReportComposer =>
  async (request) =>
    composeReport(db, request);

/**
 * Reads everything the week's report says from the store, the alerts and Airtable, renders it
 * and keeps it (with the week's snapshot, when it is this week's or the one just ended). The
 * reading and rendering run through `context.compose` (a worker thread in the service).
 */
export async function makeWeeklyReport(context: WeeklyReportContext, week: string): Promise<MadeReport> {
  const now = (context.now ?? (() => new Date()))();
  const { from, to } = weekBounds(week, context.timeZone);
  const pipeline: PipelineFacts = context.pipeline
    ? await context.pipeline(localDate(now.toISOString(), context.timeZone))
    : { available: false, reason: 'Airtable er ikke satt opp (AIRTABLE_TOKEN, AIRTABLE_BASE_ID)' };
  const composed = await (context.compose ?? inlineComposer(context.db))({
    week,
    timeZone: context.timeZone,
    now: now.toISOString(),
    pipeline,
    alerts: context.alerts.alertsBetween(from, to),
    recordLimit: context.recordLimit,
  });
  if (composed.snapshot)
    saveWeekSnapshot(context.db, composed.snapshot, {
      replace: week === isoWeekOf(now, context.timeZone),
    });
  const made: MadeReport = { week, madeAt: now.toISOString(), ...composed };
  saveReport(context.db, made);
  return made;
}
