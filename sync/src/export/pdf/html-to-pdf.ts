import { chromium, type Browser } from 'playwright-core';
import { chromiumMissing, chromiumPath } from './chromium-path.js';

export { chromiumPath };

/**
 * HTML to PDF through a real browser engine (Debian's Chromium driven by playwright-core), so a
 * report or a letter prints exactly as the page the team sees. Chromium is a system package: when
 * it is missing, `openHtmlToPdf` says so and callers keep serving HTML.
 */
export interface HtmlToPdf {
  /** A4 PDF bytes of a self-contained HTML document (inline CSS, SVG and data: images only). */
  render(html: string, options?: PdfOptions): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface PdfOptions {
  /** Running footer, e.g. "Tomtejakt · uke 49" (plain text). */
  footer?: string;
  landscape?: boolean;
}

export type PdfUnavailable = { available: false; reason: string };

/** Headless and quiet on the network: no update checks, no first-run pages. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

export async function openHtmlToPdf(configuredPath?: string): Promise<HtmlToPdf | PdfUnavailable> {
  const executablePath = chromiumPath(configuredPath);
  if (!executablePath) {
    return { available: false, reason: chromiumMissing(configuredPath) };
  }
  try {
    return browserPdf(await launchChromium(executablePath));
  } catch (error) {
    return { available: false, reason: `Chromium at ${executablePath} did not start: ${String(error)}` };
  }
}

export function isPdfUnavailable(value: HtmlToPdf | PdfUnavailable): value is PdfUnavailable {
  return 'available' in value && value.available === false;
}

function browserPdf(browser: Browser): HtmlToPdf {
  return {
    async render(html, options = {}) {
      const page = await browser.newPage();
      try {
        // The document is self-contained: nothing may leave the machine while it prints.
        await page.route('**/*', (route) =>
          route.request().url().startsWith('data:') ? route.continue() : route.abort(),
        );
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4',
          landscape: options.landscape ?? false,
          printBackground: true,
          margin: { top: '16mm', bottom: '18mm', left: '15mm', right: '15mm' },
          displayHeaderFooter: options.footer !== undefined,
          headerTemplate: '<span></span>',
          footerTemplate: footerTemplate(options.footer ?? ''),
        });
      } finally {
        await page.close();
      }
    },
    close: () => browser.close(),
  };
}

function footerTemplate(text: string): string {
  const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<div style="font-size:8px;width:100%;padding:0 15mm;display:flex;justify-content:space-between;color:#555">` +
    `<span>${escaped}</span><span>Side <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>`
  );
}
