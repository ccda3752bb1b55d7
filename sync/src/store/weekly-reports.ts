import type { Db } from './database.js';

/** A week's report as it was made: what `/rapporter/<week>` serves and where it went. */
export interface StoredReport {
  week: string;
  madeAt: string;
  /** A few Norwegian lines: the report's first page in words (Airtable, the e-mail). */
  summary: string;
  html: string;
  airtableRecordId: string | null;
  mailedAt: string | null;
}

/** Keeps a week's report, replacing the one made before (where it went is kept). */
export function saveReport(db: Db, report: Pick<StoredReport, 'week' | 'madeAt' | 'summary' | 'html'>): void {
  db.prepare(
    `INSERT INTO weekly_reports (week, made_at, summary, html) VALUES (@week, @madeAt, @summary, @html)
     ON CONFLICT (week) DO UPDATE SET made_at = excluded.made_at, summary = excluded.summary, html = excluded.html`,
  ).run(report);
}

export function markReportRecord(db: Db, week: string, recordId: string): void {
  db.prepare('UPDATE weekly_reports SET airtable_record_id = ? WHERE week = ?').run(recordId, week);
}

export function markReportMailed(db: Db, week: string, at: string): void {
  db.prepare('UPDATE weekly_reports SET mailed_at = ? WHERE week = ?').run(at, week);
}

const COLUMNS = `week, made_at AS madeAt, summary, html, airtable_record_id AS airtableRecordId, mailed_at AS mailedAt`;

export function storedReport(db: Db, week: string): StoredReport | null {
  return (
    (db.prepare(`SELECT ${COLUMNS} FROM weekly_reports WHERE week = ?`).get(week) as StoredReport) ?? null
  );
}

/** The weeks with a report, newest first, without their HTML. */
export function reportList(db: Db): Array<Omit<StoredReport, 'html'>> {
  return db
    .prepare(
      `SELECT week, made_at AS madeAt, summary, airtable_record_id AS airtableRecordId, mailed_at AS mailedAt
       FROM weekly_reports ORDER BY week DESC`,
    )
    .all() as Array<Omit<StoredReport, 'html'>>;
}
