import { localDate } from '../crm/tomter/dates.js';
import type { Alert } from '../domain/alert.js';
import type { WeekCounts } from '../domain/week-counts.js';
import {
  reportDataOf,
  type PipelineFacts,
  type ReportData,
  type ReportInputs,
} from '../presentation/report/report-data.js';
import { reportHtml } from '../presentation/report/report-html.js';
import { reportSummaryLines } from '../presentation/report/report-summary.js';
import { lastRecordCount } from '../store/airtable-record-count.js';
import type { Db } from '../store/database.js';
import { topChanges } from '../store/kommune-top.js';
import {
  kommuneNamesOf,
  kommunerPlannedBetween,
  kommunerRunOkBetween,
  kommuneTroubleBetween,
  lotsFirstSeenBetween,
  lotsVanishedBetween,
  ownerLookupsFinishedBetween,
  ownerLookupsPending,
} from '../store/report-facts.js';
import { saveWeekSnapshot, storeWeekCounts, weekSnapshots } from '../store/week-snapshots.js';
import { saveReport } from '../store/weekly-reports.js';
import { isoWeekOf, weekBefore, weekBounds, weeksEndingWith, type WeekBounds } from '../util/iso-week.js';

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
  now?: () => Date;
}

/** A report as made: its data, its HTML and its summary, kept in the store. */
export interface MadeReport {
  week: string;
  madeAt: string;
  data: ReportData;
  html: string;
  summary: string;
}

/** The weeks the report's chart covers. */
export const HISTORY_WEEKS = 12;
const NEW_LOT_TIERS = ['A', 'B'] as const;

/**
 * The week's snapshot of the counts, taken now: the current week's row is replaced (a week is
 * remembered by its latest state); `week` given and already over, it is kept when it has one.
 * The nightly run calls this after each run, a report before it reads the history.
 */
export function takeWeekSnapshot(
  db: Db,
  options: {
    now: Date;
    timeZone: string;
    takenBy: 'nightly' | 'report';
    week?: string;
    pipeline?: WeekCounts['pipeline'];
  },
): { week: string; written: boolean } {
  const current = isoWeekOf(options.now, options.timeZone);
  const week = options.week ?? current;
  const counts: WeekCounts = { ...storeWeekCounts(db), pipeline: options.pipeline ?? null };
  const written = saveWeekSnapshot(
    db,
    { week, takenAt: options.now.toISOString(), takenBy: options.takenBy, counts },
    { replace: week === current },
  );
  return { week, written };
}

/** Reads everything the week's report says from the store, the alerts and Airtable, and renders it. */
export async function makeWeeklyReport(context: WeeklyReportContext, week: string): Promise<MadeReport> {
  const now = (context.now ?? (() => new Date()))();
  const bounds = weekBounds(week, context.timeZone);
  const pipeline: PipelineFacts = context.pipeline
    ? await context.pipeline(localDate(now.toISOString(), context.timeZone))
    : { available: false, reason: 'Airtable er ikke satt opp (AIRTABLE_TOKEN, AIRTABLE_BASE_ID)' };
  // The store's counts now describe this week, or the one just ended (Monday's report) when it
  // has no snapshot yet; an older week keeps what was taken then (or shows none).
  const current = isoWeekOf(now, context.timeZone);
  if (week === current || week === weekBefore(current))
    takeWeekSnapshot(context.db, {
      now,
      timeZone: context.timeZone,
      takenBy: 'report',
      week,
      pipeline: pipeline.available ? pipeline.statuses : null,
    });
  const data = reportDataOf(reportInputs(context, week, bounds, now, pipeline));
  const made: MadeReport = {
    week,
    madeAt: now.toISOString(),
    data,
    html: reportHtml(data),
    summary: reportSummaryLines(data).join('\n'),
  };
  saveReport(context.db, made);
  return made;
}

function reportInputs(
  context: WeeklyReportContext,
  week: string,
  bounds: WeekBounds,
  now: Date,
  pipeline: PipelineFacts,
): ReportInputs {
  const { db } = context;
  const { from, to } = bounds;
  const weeks = weeksEndingWith(week, HISTORY_WEEKS);
  const snapshots = new Map(weekSnapshots(db, weeks).map((s) => [s.week, s.counts]));
  const trouble = kommuneTroubleBetween(db, from, to);
  const ok = kommunerRunOkBetween(db, from, to);
  const troubled = new Set(trouble.map((t) => t.kommunenummer));
  const records = lastRecordCount(db);
  const lookups = ownerLookupsFinishedBetween(db, from, to);
  return {
    week,
    firstDay: bounds.firstDay,
    lastDay: bounds.lastDay,
    madeAt: now.toISOString(),
    history: weeks.map((w) => ({ week: w, counts: snapshots.get(w) ?? null })),
    newLots: lotsFirstSeenBetween(db, from, to, NEW_LOT_TIERS),
    vanishedLots: lotsVanishedBetween(db, from, to),
    alerts: context.alerts.alertsBetween(from, to),
    rankingChanges: topChanges(db, { since: from }).filter((change) => change.at < to),
    pipeline,
    ownerLookups: {
      doneInWeek: lookups.done,
      failedInWeek: lookups.failed,
      pending: ownerLookupsPending(db),
    },
    health: {
      kommuner: trouble,
      gaps: coverageGaps(db, bounds, ok, troubled),
      records: records && { total: records.total, limit: context.recordLimit, countedAt: records.countedAt },
    },
  };
}

/** Kommuner the week's runs set out to cover that neither succeeded nor failed (never reached). */
function coverageGaps(db: Db, { from, to }: WeekBounds, ok: Set<string>, troubled: Set<string>) {
  const gaps = kommunerPlannedBetween(db, from, to).filter((k) => !ok.has(k) && !troubled.has(k));
  const names = kommuneNamesOf(db, gaps);
  return gaps.map((kommunenummer) => ({ kommunenummer, navn: names.get(kommunenummer) ?? kommunenummer }));
}
