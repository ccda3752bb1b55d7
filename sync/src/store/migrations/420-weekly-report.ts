import type { Migration } from './index.js';

/**
 * The weekly report (issue 15): one snapshot of the counts per ISO week, so the report's charts
 * have their history from the first week on, and each week's report as it was made (its HTML, its
 * summary and where it went: the Airtable Rapporter record, the e-mail).
 */
export const migration420WeeklyReport: Migration = {
  version: 420,
  name: 'weekly snapshots of the counts, and the weekly reports',
  up(db) {
    db.exec(`
      CREATE TABLE week_snapshots (
        week TEXT PRIMARY KEY,
        taken_at TEXT NOT NULL,
        taken_by TEXT NOT NULL CHECK (taken_by IN ('nightly', 'report')),
        counts TEXT NOT NULL
      );

      CREATE TABLE weekly_reports (
        week TEXT PRIMARY KEY,
        made_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        html TEXT NOT NULL,
        airtable_record_id TEXT,
        mailed_at TEXT
      );
    `);
  },
};
