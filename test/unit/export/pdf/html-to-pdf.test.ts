import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumPath,
  isPdfUnavailable,
  openHtmlToPdf,
  type HtmlToPdf,
} from '../../../../sync/src/export/pdf/html-to-pdf.js';
import { hasPdfToText, pdfText } from '../../../helpers/pdf-text.js';

const ready = chromiumPath(process.env.CHROMIUM_PATH) !== null && hasPdfToText();

describe('HTML to PDF without Chromium', () => {
  it('says which path it looked for and how to install it, instead of failing later', async () => {
    const result = await openHtmlToPdf('/nowhere/chromium');
    expect(isPdfUnavailable(result)).toBe(true);
    expect((result as { reason: string }).reason).toMatch(/\/nowhere\/chromium.*apt-get install chromium/);
  });
});

describe.skipIf(!ready)('HTML to PDF through Chromium', () => {
  let pdf: HtmlToPdf;
  beforeAll(async () => {
    const opened = await openHtmlToPdf(process.env.CHROMIUM_PATH);
    if (isPdfUnavailable(opened)) throw new Error(opened.reason);
    pdf = opened;
  }, 30_000);
  afterAll(() => pdf?.close());

  it('prints Norwegian text, an SVG and a footer with page numbers on A4 pages a PDF reader opens', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `<p>Tomt ${i + 1} på Ås: 2 350 m²</p>`).join('');
    const bytes = await pdf.render(
      `<!doctype html><html lang="nb"><meta charset="utf-8"><body><h1>Ukerapport for Sørøst</h1>` +
        `<svg width="100" height="40"><rect width="80" height="30" fill="#2a7"/></svg>${rows}</body></html>`,
      { footer: 'Tomtejakt · uke 49 <b>' },
    );
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const { text, pages } = pdfText(bytes);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Ukerapport for Sørøst');
    expect(text).toContain('Tomt 80 på Ås: 2 350 m²');
    expect(text).toContain('Tomtejakt · uke 49 <b>');
    expect(text).toMatch(new RegExp(`Side 1 av ${pages}`));
  }, 30_000);

  it('loads nothing from the network while printing', async () => {
    let requested = false;
    const server = await import('node:http').then((http) =>
      http.createServer((_, res) => {
        requested = true;
        res.end('x');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const bytes = await pdf.render(`<img src="http://127.0.0.1:${port}/tracker.png"><p>Brev</p>`);
      expect(pdfText(bytes).text).toContain('Brev');
      expect(requested).toBe(false);
    } finally {
      server.close();
    }
  }, 30_000);
});
