import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TomterField } from '../../sync/src/crm/schema/index.js';
import { generateLots, type GeneratedBase } from './extension-lots.js';
import { buildHarness, serveHarness, type HarnessServer } from './extension-harness-server.js';

/**
 * The extension in a real browser: Debian's Chromium, headless, driven by playwright-core over a
 * harness page that renders the extension in @airtable/blocks-testing's driver with 5,000
 * generated lots. Fails on any console error or request that leaves 127.0.0.1.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../../out/extension-browser/', import.meta.url));
const LOTS = 5_000;
const TARGET_MS = 2_000;

/** What test/extension/harness/harness.tsx puts on `window.harness`. */
interface Harness {
  zoom(): number;
  setView(lon: number, lat: number, zoom: number): void;
  pixelOf(lon: number, lat: number): { x: number; y: number };
  selectInGrid(ids: string[]): void;
  serviceWrites(recordId: string, fields: Record<string, unknown>): Promise<void>;
}

/** The lot's anchor as the map computes it: the centre of a (near-)rectangular generated lot. */
function centreOf(geometryText: string): [number, number] {
  const ring = (JSON.parse(geometryText) as { coordinates: number[][][] }).coordinates[0]!.slice(0, -1);
  return [
    ring.reduce((s, p) => s + p[0]!, 0) / ring.length,
    ring.reduce((s, p) => s + p[1]!, 0) / ring.length,
  ];
}

describe('the extension in Chromium with 5,000 lots', () => {
  let base: GeneratedBase;
  let server: HarnessServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    }
    base = generateLots(LOTS);
    const [bundle] = await Promise.all([buildHarness(), mkdir(SCREENSHOT_DIR, { recursive: true })]);
    server = await serveHarness(bundle, base);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    page.setDefaultTimeout(8_000);
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
      externalRequests.push(url.href);
      return route.abort();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Calls the page's harness (this file is compiled without DOM types, hence globalThis). */
  function harness<K extends keyof Harness>(method: K, ...args: Parameters<Harness[K]>) {
    return page.evaluate(
      ([m, a]) => {
        const h = (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> })
          .harness;
        return h[m as string]!(...(a as unknown[]));
      },
      [method, args] as const,
    ) as Promise<Awaited<ReturnType<Harness[K]>>>;
  }

  it('loads to an interactive map, opens a clicked lot, follows the grid and runs Finn eier', async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 20_000 });
    const timing = await page.evaluate(() => {
      const at = (name: string) => performance.getEntriesByName(name)[0]!.startTime;
      return {
        ready: at('tomtekart:map-ready'),
        data: at('harness:data-loaded'),
        render: at('harness:render-start'),
      };
    });
    const total = Math.round(timing.ready);
    const extension = Math.round(timing.ready - timing.render);
    console.log(
      `extension browser test: ${LOTS} lots, page load → interactive map ${total} ms (target < ${TARGET_MS} ms); ` +
        `harness: fixture parsed at ${Math.round(timing.data)} ms, test driver built at ${Math.round(timing.render)} ms; ` +
        `extension: render → map ready ${extension} ms`,
    );
    // A loose ceiling keeps a busy CI machine from failing the run; the target is in the log.
    expect(total).toBeLessThan(10_000);
    expect(await page.textContent('.tomtekart-count')).toBe('Viser 5 000 av 5 000 tomter');
    expect(await page.getAttribute('.tomtekart-map', 'data-map-mode')).toBe('clusters');
    expect(server.tileRequests.length).toBeGreaterThan(0);

    // A cluster zooms in on click.
    const zoomBefore = await harness('zoom');
    await page.locator('.tomtekart-cluster').first().click();
    await page.waitForFunction(`harness.zoom() > ${zoomBefore}`);
    await page.waitForFunction(`!document.querySelector('.leaflet-zoom-anim')`); // animation done

    // Zoom to a lot until polygons show, and click the polygon itself on the canvas.
    const target = base.lots.find((l) => l.id === 'rec00000000000021')!;
    const [lon, lat] = centreOf(target.fields[TomterField.geometri] as string);
    await harness('setView', lon, lat, 16);
    await page.waitForSelector('[data-map-mode="polygons"]');
    const pixel = await harness('pixelOf', lon, lat);
    await page.mouse.click(pixel.x, pixel.y);
    const title = `Tomt ${target.fields[TomterField.matrikkelnummer]} ${target.fields[TomterField.kommune]}`;
    const panel = page.getByRole('complementary', { name: title });
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain(`Matrikkelnummer${target.fields[TomterField.matrikkelnummer]}`);
    expect(text).toContain(
      `Score${target.fields[TomterField.score]} (klasse ${target.fields[TomterField.klasse]})`,
    );
    expect(text).toMatch(/Størrelse\d+,\d av 15 poeng – Tomten er stor nok til et feltprosjekt\./);
    expect(text).toContain('EiereEieroppslagIkke bestilt');

    // Selecting another lot in the grid moves the map to it and opens it.
    const other = base.lots.find((l) => l.id === 'rec00000000004000')!;
    await harness('selectInGrid', [other.id]);
    await page
      .getByRole('complementary', {
        name: `Tomt ${other.fields[TomterField.matrikkelnummer]} ${other.fields[TomterField.kommune]}`,
      })
      .waitFor();
    expect(await page.getAttribute('.tomtekart-map', 'data-map-mode')).toBe('polygons');
    const [otherLon, otherLat] = centreOf(other.fields[TomterField.geometri] as string);
    const onScreen = await harness('pixelOf', otherLon, otherLat);
    const mapBox = (await page.locator('.tomtekart-map').boundingBox())!;
    expect(onScreen.x).toBeGreaterThan(mapBox.x);
    expect(onScreen.x).toBeLessThan(mapBox.x + mapBox.width);
    expect(onScreen.y).toBeGreaterThan(mapBox.y);
    expect(onScreen.y).toBeLessThan(mapBox.y + mapBox.height);

    // Finn eier: the request, then the service's states as it writes them back.
    const current = page.getByRole('complementary');
    await current.getByRole('button', { name: 'Finn eier' }).click();
    await current.locator('.tomtekart-step--current', { hasText: 'Forespurt' }).waitFor();
    await harness('serviceWrites', other.id, { [TomterField.eieroppslag]: { name: 'Pågår' } });
    await current.locator('.tomtekart-step--current', { hasText: 'Pågår' }).waitFor();
    await harness('serviceWrites', other.id, {
      [TomterField.eieroppslag]: { name: 'Ferdig' },
      [TomterField.eiere]: [{ id: 'recOwner00000001' }],
      [TomterField.antallEiere]: 1,
    });
    await current.getByRole('list', { name: 'Hjemmelshavere' }).getByText('Testeiendom AS').waitFor();
    await current.locator('.tomtekart-step--done', { hasText: 'Ferdig' }).waitFor();

    await page.screenshot({ path: `${SCREENSHOT_DIR}extension-map.png` });
    console.log(`extension browser test: screenshot in ${SCREENSHOT_DIR}extension-map.png`);
    expect(consoleErrors).toEqual([]);
    expect(externalRequests).toEqual([]);
  });
});
