import { afterEach, describe, expect, it } from 'vitest';
import type { Tier } from '../../../sync/src/domain/lot.js';
import {
  makeWeeklyReport,
  takeWeekSnapshot,
  type WeeklyReportContext,
} from '../../../sync/src/jobs/weekly-report.js';
import type { PipelineFacts } from '../../../sync/src/presentation/report/report-data.js';
import { reportAlertSource } from '../../../sync/src/app/report-alerts.js';
import { insertNewAlerts } from '../../../sync/src/store/alerts.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { weekSnapshot } from '../../../sync/src/store/week-snapshots.js';
import { storedReport } from '../../../sync/src/store/weekly-reports.js';
import {
  AFTER,
  BEFORE,
  OWNER_NAME,
  scenarioAlerts,
  TIME_ZONE,
  WEEK,
  WEEK_BEFORE,
  writeReportScenario,
} from '../../helpers/report-store.js';

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

/** Monday 7 December 2026, 07:00 in Oslo: the Monday job's report of week 49. */
const MONDAY = new Date('2026-12-07T06:00:00.000Z');
const PIPELINE: PipelineFacts = {
  available: true,
  statuses: { Identifisert: 7, Kontaktet: 4, Dialog: 2, LOI: 1 },
  overdue: 3,
};

function scenario(): { db: Db; context: WeeklyReportContext; asked: Array<[string, string]> } {
  const db = openStore(':memory:');
  dbs.push(db);
  writeReportScenario(db);
  const asked: Array<[string, string]> = [];
  const alerts = scenarioAlerts();
  const context: WeeklyReportContext = {
    db,
    timeZone: TIME_ZONE,
    alerts: {
      alertsBetween: (from, to) => {
        asked.push([from, to]);
        return alerts.filter((a) => a.createdAt >= from && a.createdAt < to);
      },
    },
    pipeline: async () => PIPELINE,
    recordLimit: 50_000,
    now: () => MONDAY,
  };
  return { db, context, asked };
}

/** Counted straight from the store's lots, not through the report's code. */
function storeCounts(db: Db): { lots: Record<Tier, number>; homes: Record<Tier, number> } {
  const rows = db
    .prepare(
      `SELECT tier, COUNT(*) AS n, SUM(json_extract(record, '$.score.capacity.homes')) AS homes
       FROM lots WHERE state = 'active' GROUP BY tier`,
    )
    .all() as Array<{ tier: Tier; n: number; homes: number }>;
  const lots = { A: 0, B: 0, C: 0, D: 0 };
  const homes = { A: 0, B: 0, C: 0, D: 0 };
  for (const row of rows) {
    lots[row.tier] = row.n;
    homes[row.tier] = row.homes;
  }
  return { lots, homes };
}

const tierCount = (records: typeof AFTER, tier: Tier) => records.filter((r) => r.score.tier === tier).length;

describe('weekly report: the model from the store', () => {
  it('counts lots and homes by tier as the store has them, with the change since the week before', async () => {
    const { db, context } = scenario();
    const counted = storeCounts(db);
    const { data } = await makeWeeklyReport(context, WEEK);
    for (const line of data.tiers) {
      expect(line.lots).toBe(counted.lots[line.tier]);
      expect(line.homes).toBe(counted.homes[line.tier]);
      expect(line.lotsChange).toBe(tierCount(AFTER, line.tier) - tierCount(BEFORE, line.tier));
    }
    expect(data.totals.lots).toBe(AFTER.length);
    expect(data.totals.lotsChange).toBe(AFTER.length - BEFORE.length);
    expect(data.tierHistory.map((h) => h.week).slice(-2)).toEqual([WEEK_BEFORE, WEEK]);
    expect(data.tierHistory.filter((h) => h.lots === null)).toHaveLength(10);
  });

  it('lists the A and B lots first seen in the week, best first, five with a map', async () => {
    const { context } = scenario();
    const { data } = await makeWeeklyReport(context, WEEK);
    const expected = AFTER.filter((r) => !BEFORE.includes(r) && ['A', 'B'].includes(r.score.tier));
    expect(data.newLots.count).toBe(expected.length);
    const shown = [...data.newLots.best, ...data.newLots.rest];
    expect(shown.map((l) => l.tomtId).sort()).toEqual(expected.map((r) => r.tomtId).sort());
    expect(shown.map((l) => l.score)).toEqual([...shown.map((l) => l.score)].sort((a, b) => b - a));
    expect(data.newLots.best.map((l) => l.tier)).toEqual(['A', 'A', 'A', 'B', 'B']);
    expect(data.newLots.best[0]!.geometry.type).toMatch(/Polygon/);
  });

  it('reads the alerts of exactly the Oslo week and sorts them into competitors and lost lots', async () => {
    const { context, asked } = scenario();
    const { data } = await makeWeeklyReport(context, WEEK);
    expect(asked).toEqual([['2026-11-29T23:00:00.000Z', '2026-12-06T23:00:00.000Z']]);
    expect(data.lost.map((a) => a.type)).toEqual(['tomt_tapt']);
    expect(data.competitors.map((a) => a.type)).toEqual(['planarbeid']);
    expect(data.vanishedLots).toBe(5);
  });

  it('reads them from the alerts store the nightly run fills, the same as from any other source', async () => {
    const { db, context } = scenario();
    insertNewAlerts(db, scenarioAlerts());
    const { data } = await makeWeeklyReport({ ...context, alerts: reportAlertSource(db) }, WEEK);
    expect(data.lost.map((a) => a.type)).toEqual(['tomt_tapt']);
    expect(data.competitors.map((a) => a.type)).toEqual(['planarbeid']);
    const { data: direct } = await makeWeeklyReport(context, WEEK);
    expect(data.lost).toEqual(direct.lost);
    expect(data.competitors).toEqual(direct.competitors);
  });

  it('gives the pipeline, the owner lookups, the ranking changes and the data health of the week', async () => {
    const { context } = scenario();
    const { data } = await makeWeeklyReport(context, WEEK);
    expect(data.pipeline).toEqual(PIPELINE);
    expect(data.ownerLookups).toEqual({ doneInWeek: 2, failedInWeek: 1, pending: 1 });
    expect(data.rankingChanges).toMatchObject([
      { navn: 'Nordre Follo', change: 'entered', rank: 48, previousRank: 53 },
    ]);
    expect(data.health.kommuner).toMatchObject([{ kommunenummer: '3205', outcome: 'failed', stage: 'load' }]);
    expect(data.health.gaps).toEqual([{ kommunenummer: '3207', navn: '3207' }]);
    expect(data.health.headroom).toBe(50_000 - 41_234);
  });

  it('says when the pipeline cannot be read, and still makes the report', async () => {
    const { context } = scenario();
    const made = await makeWeeklyReport({ ...context, pipeline: null }, WEEK);
    expect(made.data.pipeline).toMatchObject({ available: false });
    expect(made.html).toContain('Salgstrakten kunne ikke leses: Airtable er ikke satt opp');
  });

  it('keeps the report in the store, and names no person', async () => {
    const { db, context } = scenario();
    const made = await makeWeeklyReport(context, WEEK);
    const stored = storedReport(db, WEEK)!;
    expect(stored.html).toBe(made.html);
    expect(stored.summary.split('\n')[0]).toBe(
      `${made.data.newLots.count} nye tomter i klasse A eller B (3 A, ${made.data.newLots.count - 3} B).`,
    );
    expect(made.html).not.toContain(OWNER_NAME);
    // Self-contained: no script, and no address but the SVG namespace and the plan's link.
    expect(made.html).not.toMatch(/<script|https?:\/\/(?!www\.arealplaner\.no|www\.w3\.org\/2000\/svg)/);
  });
});

describe('weekly snapshots', () => {
  it('keeps one per week: a running week is replaced by its latest state, a past week stays as it was', async () => {
    const { db, context } = scenario();
    const week48 = weekSnapshot(db, WEEK_BEFORE)!;
    expect(week48.counts.lots.B + week48.counts.lots.C + week48.counts.lots.D).toBe(BEFORE.length);
    // A nightly run in week 50 writes week 50, not 49 or 48.
    db.prepare(`UPDATE lots SET state = 'vanished' WHERE tomt_id = ?`).run(AFTER[0]!.tomtId);
    expect(takeWeekSnapshot(db, { now: MONDAY, timeZone: TIME_ZONE })).toEqual({ week: '2026-W50' });
    const week49 = weekSnapshot(db, WEEK)!;
    await makeWeeklyReport(context, WEEK);
    expect(weekSnapshot(db, WEEK)!.counts.lots).toEqual(week49.counts.lots);
    expect(weekSnapshot(db, WEEK_BEFORE)).toEqual(week48);
    // A past week's snapshot is not rewritten by a report, not even with the pipeline it read.
    expect(weekSnapshot(db, WEEK)!.counts.pipeline).toBeNull();
    takeWeekSnapshot(db, { now: MONDAY, timeZone: TIME_ZONE });
    expect(weekSnapshot(db, '2026-W50')!.counts.lots.B + weekSnapshot(db, '2026-W50')!.counts.lots.A).toBe(
      tierCount(AFTER, 'A') + tierCount(AFTER, 'B') - (['A', 'B'].includes(AFTER[0]!.score.tier) ? 1 : 0),
    );
  });

  it('takes no snapshot for an older week made late: its counts are shown as unknown', async () => {
    const { db, context } = scenario();
    const { data, html } = await makeWeeklyReport(context, '2026-W40');
    expect(weekSnapshot(db, '2026-W40')).toBeNull();
    expect(data.counted).toBe(false);
    expect(html).toContain('Ingen telling ble tatt denne uken');
  });
});
