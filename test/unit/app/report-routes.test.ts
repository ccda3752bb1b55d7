import { afterEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { makeWeeklyReport, NO_ALERT_SOURCE } from '../../../sync/src/jobs/weekly-report.js';
import { reportLinkToken } from '../../../sync/src/server/reports-api.js';
import { isoWeekOf, weekBefore } from '../../../sync/src/util/iso-week.js';
import { openStore } from '../../../sync/src/store/database.js';
import { weekSnapshot } from '../../../sync/src/store/week-snapshots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { fixtureStages } from '../../fixtures/crm/lots.js';
import { chromiumPath } from '../../helpers/chromium.js';
import { AAS, TIME_ZONE, WEEK, writeReportScenario } from '../../helpers/report-store.js';
import { startFixtureApp, tempStorePath } from './fixture-app.js';

const KEY = 'r'.repeat(40);
const USER = { 'x-forwarded-user': 'leder@example.no' };

const apps: RunningApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});

/** The app on a store with week 49's report made, behind proxy-header access. */
async function appWithReport(env: Record<string, string> = {}) {
  const storePath = tempStorePath();
  const db = openStore(storePath);
  writeReportScenario(db);
  await makeWeeklyReport(
    {
      db,
      timeZone: TIME_ZONE,
      alerts: NO_ALERT_SOURCE,
      pipeline: null,
      recordLimit: 50_000,
      now: () => new Date('2026-12-07T06:00:00.000Z'),
    },
    WEEK,
  );
  db.close();
  const logger = createMemoryLogger();
  const app = await startFixtureApp(
    storePath,
    fixtureStages(() => []),
    {
      logger,
      env: {
        MAP_ACCESS: 'proxy-header',
        MAP_PROXY_HEADER: 'x-forwarded-user',
        PUBLIC_BASE_URL: 'https://tomtejakt.example.no',
        REPORT_LINK_KEY: KEY,
        ...env,
      },
    },
  );
  apps.push(app);
  return { url: app.url, logger };
}

describe('report routes in the service', () => {
  it('serves the list and the week’s report to the team only', async () => {
    const { url } = await appWithReport();
    for (const path of ['/rapporter', `/rapporter/${WEEK}`, `/rapporter/${WEEK}.pdf`]) {
      const outsider = await fetch(`${url}${path}`);
      expect(outsider.status, path).toBe(401);
      expect(await outsider.text()).not.toContain('Ukerapport');
    }
    const list = await fetch(`${url}/rapporter`, { headers: USER });
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(`href="rapporter/${WEEK}"`);
    expect(listHtml).toContain('Uke 49 2026');
    const report = await fetch(`${url}/rapporter/${WEEK}`, { headers: USER });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(await report.text()).toContain('<h1>Ukerapport uke 49</h1>');
    // A week long gone with no report is not made now (its counts would be today's).
    expect((await fetch(`${url}/rapporter/2020-W01`, { headers: USER })).status).toBe(404);
    expect((await fetch(`${url}/rapporter/2026-W99`, { headers: USER })).status).toBe(404);
  });

  it('makes this week’s (or last week’s) report on first request, on the report thread, and lists it', async () => {
    const { url } = await appWithReport();
    // This week or the one before, whichever has no report yet (week 49's is made).
    const current = isoWeekOf(new Date(), TIME_ZONE);
    const week = [current, weekBefore(current)].find((w) => w !== WEEK)!;
    const before = await (await fetch(`${url}/rapporter`, { headers: USER })).text();
    expect(before).toContain(`Lag rapporten for uke ${Number(week.slice(6))}`);
    const made = await fetch(`${url}/rapporter/${week}`, { headers: USER });
    expect(made.status).toBe(200);
    const html = await made.text();
    expect(html).toContain(`<h1>Ukerapport uke ${Number(week.slice(6))}</h1>`);
    expect(html).toMatch(/I alt \d+ tomter/);
    const list = await (await fetch(`${url}/rapporter`, { headers: USER })).text();
    expect(list).toContain(`href="rapporter/${week}.pdf"`);
  });

  it.skipIf(!chromiumPath())(
    'prints the PDF, and lets Airtable fetch it by the signed link alone',
    async () => {
      const { url } = await appWithReport();
      const pdf = await fetch(`${url}/rapporter/${WEEK}.pdf`, { headers: USER });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const signed = await fetch(`${url}/rapport-pdf/${WEEK}/${reportLinkToken(KEY, WEEK)}.pdf`);
      expect(signed.status).toBe(200);
      expect(
        Buffer.from(await signed.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const otherWeek = await fetch(`${url}/rapport-pdf/2026-W48/${reportLinkToken(KEY, WEEK)}.pdf`);
      expect(otherWeek.status).toBe(404);
      const guessed = await fetch(`${url}/rapport-pdf/${WEEK}/${'A'.repeat(32)}.pdf`);
      expect(guessed.status).toBe(404);
    },
  );

  it('without Chromium: says so once at start, serves the HTML, answers the PDF with 503 and why', async () => {
    const { url, logger } = await appWithReport({ CHROMIUM_PATH: '/nonexistent/chromium' });
    const said = logger.lines.filter((line) => line.includes('Chromium not found'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('served as HTML only');
    expect((await fetch(`${url}/rapporter/${WEEK}`, { headers: USER })).status).toBe(200);
    const pdf = await fetch(`${url}/rapporter/${WEEK}.pdf`, { headers: USER });
    expect(pdf.status).toBe(503);
    expect(((await pdf.json()) as { message: string }).message).toMatch(
      /^No PDF: Chromium not found at \/nonexistent\/chromium/,
    );
    await fetch(`${url}/rapporter/${WEEK}.pdf`, { headers: USER });
    expect(logger.lines.filter((line) => line.includes('Chromium not found'))).toHaveLength(1);
  });

  it('the nightly run leaves this week’s snapshot of the counts behind', async () => {
    const storePath = tempStorePath();
    const app = await startFixtureApp(
      storePath,
      fixtureStages(() => AAS.slice(0, 12)),
      { runNow: true },
    );
    apps.push(app);
    await app.initialRun;
    const db = openStore(storePath);
    try {
      const snapshot = weekSnapshot(db, isoWeekOf(new Date(), TIME_ZONE))!;
      expect(snapshot.takenBy).toBe('nightly');
      const lots = snapshot.counts.lots;
      expect(lots.A + lots.B + lots.C + lots.D).toBe(12);
      expect(snapshot.counts.byKommune.map((k) => k.kommunenummer)).toEqual(['3218']);
    } finally {
      db.close();
    }
  });
});
