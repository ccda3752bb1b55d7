import { afterEach, describe, expect, it } from 'vitest';
import { smtpMailSender } from '../../../sync/src/export/mail/smtp-mail.js';
import { makeWeeklyReport, NO_ALERT_SOURCE } from '../../../sync/src/jobs/weekly-report.js';
import { publishReport, type ReportOutlets } from '../../../sync/src/jobs/weekly-report-publish.js';
import { saveRecordCount } from '../../../sync/src/store/airtable-record-count.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { storedReport } from '../../../sync/src/store/weekly-reports.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { startSmtpDouble, type SmtpDouble } from '../../doubles/smtp/server.js';
import { TIME_ZONE, WEEK, writeReportScenario } from '../../helpers/report-store.js';

const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function made(db: Db) {
  return makeWeeklyReport(
    {
      db,
      timeZone: TIME_ZONE,
      alerts: NO_ALERT_SOURCE,
      pipeline: null,
      recordLimit: 50_000,
      now: () => new Date('2026-12-07T06:00:00Z'),
    },
    WEEK,
  );
}

function store(): Db {
  const db = openStore(':memory:');
  closing.push(() => void db.close());
  writeReportScenario(db);
  return db;
}

const outlets = (patch: Partial<ReportOutlets>): ReportOutlets => ({
  pdf: null,
  pdfUnavailable: 'Chromium not found at /nonexistent',
  airtable: null,
  recordLimit: 50_000,
  mail: null,
  reportUrl: () => null,
  pdfUrl: () => null,
  ...patch,
});

describe('publishing a weekly report', () => {
  it('without Chromium mails the HTML instead, and a refused mail is named and sent on the next try', async () => {
    const smtp: SmtpDouble = await startSmtpDouble();
    closing.push(() => smtp.close());
    const sender = smtpMailSender(smtp.url, 'Tomtejakt <tomtejakt@example.no>');
    closing.push(() => sender.close());
    const db = store();
    const report = await made(db);
    smtp.refuseNext();
    const logger = createMemoryLogger();
    const first = await publishReport(db, report, outlets({ mail: { sender, to: ['salg@example.no'] } }), {
      logger,
    });
    expect(first.mailed).toBe(false);
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0]).toMatch(/^e-mail for 2026-W49: .*554/);
    expect(first.pdfUnavailable).toBe('Chromium not found at /nonexistent');
    expect(storedReport(db, WEEK)!.mailedAt).toBeNull();
    const second = await publishReport(db, report, outlets({ mail: { sender, to: ['salg@example.no'] } }), {
      logger,
    });
    expect(second).toMatchObject({ mailed: true, problems: [] });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.data).toMatch(/filename="?tomtejakt-ukerapport-2026-W49\.html/);
    expect(smtp.messages[0]!.data).toMatch(/Content-Type: text\/html/i);
    expect(storedReport(db, WEEK)!.mailedAt).not.toBeNull();
  });

  it('creates no Rapporter record when the base is at its record ceiling, and says why', async () => {
    const double: AirtableDouble = await doubleWithBase();
    closing.push(() => double.close());
    const client = clientFor(double, { requestsPerSecond: 1000 });
    closing.push(() => client.close());
    const db = store();
    saveRecordCount(db, { countedAt: '2026-12-02T01:00:00Z', total: 47_500, tables: { Tomter: 47_500 } });
    const outcome = await publishReport(db, await made(db), outlets({ airtable: client }), {
      logger: createMemoryLogger(),
    });
    expect(outcome.recordId).toBeNull();
    expect(outcome.problems).toEqual([
      'the base is at its record ceiling (47500 of 50000); the Rapporter record for 2026-W49 was not created',
    ]);
    expect(double.records('Rapporter')).toHaveLength(0);
  });
});
