import { createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Response } from 'express';
import { escapeXml as e } from '../presentation/report/escape.js';
import { REPORT_CSS } from '../presentation/report/report-style.js';

/** A report as the list shows it. */
export interface ReportListEntry {
  week: string;
  madeAt: string;
  summary: string;
}

export type ReportPdf = { bytes: Uint8Array } | { unavailable: string };

/** What the report routes read (the app: the store, the report job and Chromium; tests: fixtures). */
export interface ReportReader {
  /** The reports made, newest first, and the weeks that may be asked for (the week before at least). */
  list(): { reports: ReportListEntry[]; missing: string[] };
  /** A week's report as HTML (made when a finished week has none yet); null for a week that may not have one. */
  html(week: string): Promise<string | null>;
  /** The week's report as PDF; null where `html` is null. */
  pdf(week: string): Promise<ReportPdf | null>;
}

const WEEK = /^(\d{4}-W\d{2})$/;

/**
 * The weekly reports for the team, behind the map's access control: `GET /rapporter` (the list),
 * `/rapporter/2026-W49` (the report) and `/rapporter/2026-W49.pdf` (503 with the reason when
 * Chromium is missing).
 */
export function reportsRouter(reader: ReportReader): Router {
  const router = Router({ strict: true });
  router.get('/', (req, res) => {
    // The list's links are relative to /rapporter (works under a proxy's base path too).
    if (req.originalUrl.split('?')[0]!.endsWith('/')) return void res.redirect(301, '../rapporter');
    res.type('html').set('cache-control', 'no-cache').send(listPage(reader.list()));
  });
  router.get('/:file', async (req, res, next) => {
    try {
      const [, week, pdf] = /^(\d{4}-W\d{2})(\.pdf)?$/.exec(req.params.file) ?? [];
      if (!week) return void res.status(404).json({ error: 'not found' });
      if (pdf) return void sendPdf(res, week, await reader.pdf(week));
      const html = await reader.html(week);
      if (html === null) return void res.status(404).json({ error: `no report for ${week}` });
      res.type('html').set('cache-control', 'no-cache').send(html);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function sendPdf(res: Response, week: string, pdf: ReportPdf | null): void {
  if (pdf === null) return void res.status(404).json({ error: `no report for ${week}` });
  if ('unavailable' in pdf)
    return void res.status(503).json({ error: 'pdf-unavailable', message: `No PDF: ${pdf.unavailable}` });
  res
    .type('application/pdf')
    .set('cache-control', 'no-cache')
    .set('content-disposition', `inline; filename="tomtejakt-ukerapport-${week}.pdf"`)
    .send(Buffer.from(pdf.bytes.buffer, pdf.bytes.byteOffset, pdf.bytes.byteLength));
}

function listPage(list: { reports: ReportListEntry[]; missing: string[] }): string {
  const made = list.reports
    .map(
      (r) =>
        `<li><a href="rapporter/${e(r.week)}">Uke ${Number(r.week.slice(6))} ${e(r.week.slice(0, 4))}</a> · <a href="rapporter/${e(r.week)}.pdf">PDF</a><br><span class="muted">${e(r.summary.split('\n')[0] ?? '')}</span></li>`,
    )
    .join('');
  const missing = list.missing
    .map(
      (week) =>
        `<li><a href="rapporter/${e(week)}">Lag rapporten for uke ${Number(week.slice(6))} ${e(week.slice(0, 4))}</a></li>`,
    )
    .join('');
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Tomtejakt – ukerapporter</title>
<style>${REPORT_CSS}</style></head><body><h1>Ukerapporter</h1>
<p><a href="./">Kartet</a> · <a href="kommuner">Kommuner</a></p>
${missing ? `<ul>${missing}</ul>` : ''}${made ? `<ul>${made}</ul>` : '<p>Ingen rapporter ennå.</p>'}</body></html>`;
}

/** The key in the PDF link Airtable fetches: HMAC of the week, so a link opens that week's PDF only. */
export function reportLinkToken(key: string, week: string): string {
  return createHmac('sha256', key).update(`rapport:${week}`).digest('base64url').slice(0, 32);
}

/**
 * `GET /rapport-pdf/2026-W49/<token>.pdf`: the one route to a report outside the map's access,
 * for Airtable to fetch the Rapporter attachment from. Public, so it checks its own key.
 */
export function reportPdfLinkRouter(reader: Pick<ReportReader, 'pdf'>, key: string): Router {
  const router = Router({ strict: true });
  router.get('/:week/:token', async (req, res, next) => {
    try {
      const week = WEEK.exec(req.params.week)?.[1];
      const token = /^([A-Za-z0-9_-]{32})\.pdf$/.exec(req.params.token)?.[1];
      if (!week || !token || !sameText(token, reportLinkToken(key, week)))
        return void res.status(404).json({ error: 'not found' });
      sendPdf(res, week, await reader.pdf(week));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
