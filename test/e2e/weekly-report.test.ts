import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyPdfEngine, makeAndPublishReport } from '../../sync/src/app/report-part.js';
import { appResources, type AppResources } from '../../sync/src/app/resources.js';
import { loadEnv } from '../../sync/src/config/env.js';
import { defaultRules } from '../../sync/src/config/rules.js';
import type { Tier } from '../../sync/src/domain/lot.js';
import { RapporterField, TomterField, EiereField } from '../../sync/src/crm/schema/index.js';
import { inlineComposer, type AlertSource } from '../../sync/src/jobs/weekly-report.js';
import { reportLinkToken } from '../../sync/src/server/reports-api.js';
import { openStore, type Db } from '../../sync/src/store/database.js';
import { createMemoryLogger } from '../../sync/src/util/logger.js';
import { silentProgress } from '../../sync/src/util/progress.js';
import { clientFor, doubleWithBase } from '../doubles/airtable/harness.js';
import type { AirtableDouble } from '../doubles/airtable/server.js';
import { startSmtpDouble, type SmtpDouble } from '../doubles/smtp/server.js';
import { chromiumPath, launchChromium } from '../helpers/chromium.js';
import { hasPdfToText, pdfText } from '../helpers/pdf-text.js';
import { AAS, OWNER_NAME, scenarioAlerts, WEEK, writeReportScenario } from '../helpers/report-store.js';

/** Where the screenshot is kept (under out/, ignored by git, like the other browser tests'). */
const SCREENSHOT_DIR = fileURLToPath(new URL('../../out/weekly-report/', import.meta.url));
const PUBLIC = 'https://tomtejakt.example.no';
const LINK_KEY = 'k'.repeat(40);
/** Monday 7 December 2026, 07:00 in Oslo: when REPORT_CRON makes week 49's report. */
const MONDAY = new Date('2026-12-07T06:00:00.000Z');

const alerts: AlertSource = {
  alertsBetween: (from, to) => scenarioAlerts().filter((a) => a.createdAt >= from && a.createdAt < to),
};

/** Lots and homes by tier, counted straight from the store's rows. */
function storeNumbers(db: Db): Record<Tier, { lots: number; homes: number }> {
  const rows = db
    .prepare(
      `SELECT tier, COUNT(*) AS lots, SUM(json_extract(record, '$.score.capacity.homes')) AS homes
       FROM lots WHERE state = 'active' GROUP BY tier`,
    )
    .all() as Array<{ tier: Tier; lots: number; homes: number }>;
  const numbers = {
    A: { lots: 0, homes: 0 },
    B: { lots: 0, homes: 0 },
    C: { lots: 0, homes: 0 },
    D: { lots: 0, homes: 0 },
  };
  for (const row of rows) numbers[row.tier] = { lots: row.lots, homes: row.homes };
  return numbers;
}

const spaced = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

describe.skipIf(!chromiumPath() || !hasPdfToText())(
  'weekly report: Chromium, PDF, e-mail and Airtable',
  () => {
    let dir: string;
    let airtable: AirtableDouble;
    let smtp: SmtpDouble;
    let resources: AppResources;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-report-'));
      airtable = await doubleWithBase();
      smtp = await startSmtpDouble();
      const team = (status: string, due?: string) =>
        airtable.addRecord('Tomter', {
          [TomterField.tomtId]: AAS[20 + airtable.records('Tomter').length]!.tomtId,
          [TomterField.status]: status,
          ...(due ? { [TomterField.nesteHandlingDato]: due } : {}),
        });
      team('Kontaktet', '2026-11-30');
      team('Kontaktet', '2026-12-01');
      team('Kontaktet', '2026-12-20');
      team('Dialog');
      team('Dialog', '2026-12-02');
      team('Avvist', '2026-11-01');
      airtable.addRecord('Eiere', { [EiereField.eierId]: 'e1', [EiereField.navn]: OWNER_NAME });
      const storePath = path.join(dir, 'store.sqlite');
      const db = openStore(storePath);
      writeReportScenario(db);
      const env = loadEnv({
        source: {
          DATA_DIR: dir,
          STORE_PATH: storePath,
          AIRTABLE_TOKEN: airtable.token,
          AIRTABLE_BASE_ID: airtable.baseId,
          AIRTABLE_API_URL: airtable.url,
          PUBLIC_BASE_URL: PUBLIC,
          REPORT_LINK_KEY: LINK_KEY,
          SMTP_URL: smtp.url,
          REPORT_TO: 'salg@example.no,leder@example.no',
        },
      });
      resources = appResources({
        env,
        rules: defaultRules(),
        logger: createMemoryLogger(),
        progress: silentProgress,
        db,
        airtable: clientFor(airtable, { requestsPerSecond: 1000 }),
      });
    });

    afterAll(async () => {
      await resources?.close();
      await airtable?.close();
      await smtp?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('makes week 49 as the Monday job does: a PDF with the store’s numbers, one mail, one Rapporter record', async () => {
      const pdf = lazyPdfEngine(undefined);
      try {
        const first = await makeAndPublishReport(resources, {
          week: WEEK,
          tools: { alerts, pdf, compose: inlineComposer(resources.db) },
          now: () => MONDAY,
        });
        expect(first.outcome.problems).toEqual([]);
        const { text, pages } = pdfText(first.outcome.pdf!);
        expect(pages).toBeGreaterThanOrEqual(2);
        // The first page stands alone: summary, numbers, chart and funnel; the details start on page 2.
        const [firstPage, secondPage] = text.split('\f');
        expect(firstPage).toContain('Kort fortalt');
        expect(firstPage).toContain('Salgstrakten');
        expect(firstPage).not.toContain('Nye tomter');
        expect(secondPage).toContain('Nye tomter (15)');
        const numbers = storeNumbers(resources.db);
        for (const tier of ['A', 'B', 'C', 'D'] as const)
          expect(text).toMatch(
            new RegExp(
              `Klasse ${tier}\\s+${spaced(numbers[tier].lots)}\\s+\\S+\\s+${spaced(numbers[tier].homes)}\\s`,
            ),
          );
        const total = Object.values(numbers).reduce((sum, n) => ({
          lots: sum.lots + n.lots,
          homes: sum.homes + n.homes,
        }));
        expect(text).toMatch(new RegExp(`Sum\\s+${spaced(total.lots)}\\s+\\S+\\s+${spaced(total.homes)}\\s`));
        expect(text).toContain('41 234 av 50 000');
        // The pipeline from the Tomter double: 3 Kontaktet, 2 Dialog; next steps before 7 December on open lots: 3.
        expect(text).toMatch(/Kontaktet 3,\s+Dialog 2/);
        expect(text).toMatch(/3\s+neste\s+handlinger\s+på\s+overtid/);
        expect(text).not.toContain(OWNER_NAME);

        expect(smtp.messages).toHaveLength(1);
        const mail = smtp.messages[0]!;
        expect(mail.to).toEqual(['salg@example.no', 'leder@example.no']);
        expect(mail.data).toMatch(
          /filename=tomtejakt-ukerapport-2026-W49\.pdf|filename="tomtejakt-ukerapport-2026-W49\.pdf"/,
        );
        expect(mail.data).toContain('JVBERi0'); // "%PDF-" in base64: the PDF itself is attached
        expect(mail.data).toContain(`${PUBLIC}/rapporter/${WEEK}`);
        expect(mail.data).not.toContain(OWNER_NAME);

        const records = airtable.records('Rapporter');
        expect(records).toHaveLength(1);
        expect(records[0]!.fields[RapporterField.uke]).toBe(WEEK);
        expect(records[0]!.fields[RapporterField.lenke]).toBe(`${PUBLIC}/rapporter/${WEEK}`);
        expect(records[0]!.fields[RapporterField.sammendrag]).toBe(first.summary);
        expect(JSON.stringify(records[0]!.fields[RapporterField.pdf])).toContain(
          `${PUBLIC}/rapport-pdf/${WEEK}/${reportLinkToken(LINK_KEY, WEEK)}.pdf`,
        );

        // Made again (a rerun of Monday's job): the same record, no second mail.
        const again = await makeAndPublishReport(resources, {
          week: WEEK,
          tools: { alerts, pdf, compose: inlineComposer(resources.db) },
          now: () => MONDAY,
        });
        expect(again.outcome.problems).toEqual([]);
        expect(airtable.records('Rapporter')).toHaveLength(1);
        expect(smtp.messages).toHaveLength(1);
      } finally {
        await pdf.close();
      }
    });

    it('renders in Chromium with every chart and lot map drawn (screenshot kept in out/weekly-report/)', async () => {
      const html = (
        resources.db.prepare('SELECT html FROM weekly_reports WHERE week = ?').get(WEEK) as { html: string }
      ).html;
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
        const outside: string[] = [];
        page.on('request', (request) => {
          if (!request.url().startsWith('data:') && request.url() !== 'about:blank')
            outside.push(request.url());
        });
        await page.setContent(html, { waitUntil: 'load' });
        const drawn = (await page.evaluate(`(() => ({
        charts: document.querySelectorAll('svg.chart').length,
        maps: document.querySelectorAll('svg.lot-map').length,
        lotPolygons: document.querySelectorAll('svg.lot-map path[fill-rule]').length,
        firstChartWidth: document.querySelector('svg.chart').getBoundingClientRect().width,
      }))()`)) as { charts: number; maps: number; lotPolygons: number; firstChartWidth: number };
        expect(drawn.charts).toBe(2);
        expect(drawn.maps).toBe(1 + 5); // the week's map and one per best lot
        expect(drawn.firstChartWidth).toBeGreaterThan(200);
        expect(drawn.lotPolygons).toBeGreaterThan(5);
        expect(outside).toEqual([]);
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOT_DIR}${WEEK}.png`, fullPage: true });
      } finally {
        await browser.close();
      }
    });
  },
);
