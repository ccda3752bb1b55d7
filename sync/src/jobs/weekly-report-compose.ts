import type { WeekCounts } from '../domain/week-counts.js';
import { reportDataOf, type ReportData, type ReportInputs } from '../presentation/report/report-data.js';
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
import { storeWeekCounts, weekSnapshot, weekSnapshots, type WeekSnapshot } from '../store/week-snapshots.js';
import { isoWeekOf, weekBefore, weekBounds, weeksEndingWith, type WeekBounds } from '../util/iso-week.js';
import type { ComposeRequest } from './weekly-report.js';

/** A report composed from the store: its model, HTML and summary, and the week's snapshot to keep. */
export interface ComposedReport {
  data: ReportData;
  html: string;
  summary: string;
  /** The week's counts taken now (this week, or the week just ended that has none); null: the week keeps its own. */
  snapshot: WeekSnapshot | null;
}

/** The weeks the report's chart covers. */
export const HISTORY_WEEKS = 12;
const NEW_LOT_TIERS = ['A', 'B'] as const;

/**
 * Reads the week from the store and renders it; writes nothing (it runs on a worker thread with
 * a read-only connection in the service). The store's counts now stand for this week, or for
 * the week just ended when it has no snapshot yet (Monday's report); an older week keeps the
 * snapshot taken then, or shows none.
 */
export function composeReport(db: Db, request: ComposeRequest): ComposedReport {
  const { week, timeZone } = request;
  const current = isoWeekOf(new Date(request.now), timeZone);
  const takeNow = week === current || (week === weekBefore(current) && !weekSnapshot(db, week));
  const snapshot: WeekSnapshot | null = takeNow
    ? {
        week,
        takenAt: request.now,
        takenBy: 'report',
        counts: {
          ...storeWeekCounts(db),
          pipeline: request.pipeline.available ? request.pipeline.statuses : null,
        },
      }
    : null;
  const data = reportDataOf(reportInputs(db, request, weekBounds(week, timeZone), snapshot?.counts ?? null));
  return { data, html: reportHtml(data), summary: reportSummaryLines(data).join('\n'), snapshot };
}

function reportInputs(
  db: Db,
  request: ComposeRequest,
  bounds: WeekBounds,
  countsNow: WeekCounts | null,
): ReportInputs {
  const { week } = request;
  const { from, to } = bounds;
  const weeks = weeksEndingWith(week, HISTORY_WEEKS);
  const snapshots = new Map(weekSnapshots(db, weeks).map((s) => [s.week, s.counts]));
  if (countsNow) snapshots.set(week, countsNow);
  const trouble = kommuneTroubleBetween(db, from, to);
  const records = lastRecordCount(db);
  const lookups = ownerLookupsFinishedBetween(db, from, to);
  return {
    week,
    firstDay: bounds.firstDay,
    lastDay: bounds.lastDay,
    madeAt: request.now,
    history: weeks.map((w) => ({ week: w, counts: snapshots.get(w) ?? null })),
    newLots: lotsFirstSeenBetween(db, from, to, NEW_LOT_TIERS),
    vanishedLots: lotsVanishedBetween(db, from, to),
    alerts: request.alerts,
    rankingChanges: topChanges(db, { since: from }).filter((change) => change.at < to),
    pipeline: request.pipeline,
    ownerLookups: {
      doneInWeek: lookups.done,
      failedInWeek: lookups.failed,
      pending: ownerLookupsPending(db),
    },
    health: {
      kommuner: trouble,
      gaps: coverageGaps(db, bounds, new Set(trouble.map((t) => t.kommunenummer))),
      records: records && { total: records.total, limit: request.recordLimit, countedAt: records.countedAt },
    },
  };
}

/** Kommuner the week's runs set out to cover that neither succeeded nor failed (never reached). */
function coverageGaps(db: Db, { from, to }: WeekBounds, troubled: Set<string>) {
  const ok = kommunerRunOkBetween(db, from, to);
  const gaps = kommunerPlannedBetween(db, from, to).filter((k) => !ok.has(k) && !troubled.has(k));
  const names = kommuneNamesOf(db, gaps);
  return gaps.map((kommunenummer) => ({ kommunenummer, navn: names.get(kommunenummer) ?? kommunenummer }));
}
