import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as blocksBundler from '@airtable/blocks-esbuild-bundler';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TomterField } from '../../sync/src/crm/schema/index.js';
import { generateLots, type GeneratedBase } from './extension-lots.js';
import {
  buildHarness,
  launchChromium,
  serveHarness,
  tilePng,
  type HarnessServer,
} from './extension-harness-server.js';

/**
 * The extension in a real browser: Debian's Chromium, headless, driven by playwright-core over a
 * harness page that renders the extension in @airtable/blocks-testing's driver with 5,000
 * generated lots. Fails on any console error or request that leaves 127.0.0.1.
 */
const SCREENSHOT_DIR = fileURLToPath(new URL('../../out/extension-browser/', import.meta.url));
const EXTENSION_DIR = fileURLToPath(new URL('../../extension/', import.meta.url));
const EXTENSION_ENTRY = join(EXTENSION_DIR, 'frontend/index.tsx');
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

/** The same lot some metres further south (a polygon, as the generator writes most lots). */
function shiftSouth(geometryText: string, metres: number): string {
  const geometry = JSON.parse(geometryText) as { type: string; coordinates: number[][][] };
  const dLat = metres / 111_320;
  geometry.coordinates = geometry.coordinates.map((ring) => ring.map(([lon, lat]) => [lon!, lat! - dLat]));
  return JSON.stringify(geometry);
}

describe('the extension in Chromium with 5,000 lots', () => {
  let base: GeneratedBase;
  let server: HarnessServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];

  beforeAll(async () => {
    base = generateLots(LOTS);
    const [bundle] = await Promise.all([buildHarness(), mkdir(SCREENSHOT_DIR, { recursive: true })]);
    server = await serveHarness(bundle, base);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    // Generous: CI and developer machines share two cores with other test suites.
    page.setDefaultTimeout(15_000);
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

  it(
    'loads to an interactive map, opens a clicked lot, follows the grid and runs Finn eier',
    { timeout: 90_000 },
    async () => {
      await page.goto(server.url);
      await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 });
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
      expect(total).toBeLessThan(15_000);
      expect(await page.textContent('.tomtekart-count')).toBe('Viser 5 000 av 5 000 tomter');
      expect(await page.getAttribute('.tomtekart-map', 'data-map-mode')).toBe('clusters');
      expect(server.tileRequests.length).toBeGreaterThan(0);
      expect(await page.textContent('.tomtekart-legend')).toBe(
        'A (80–100): kontakt nåB (60–79): aktuellC (40–59): følg medD (under 40): arkivUten score' +
          'Under terskel (stiplet): beholdt, men under grensen for Airtable',
      );

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
      const otherTitle = `Tomt ${other.fields[TomterField.matrikkelnummer]} ${other.fields[TomterField.kommune]}`;
      await page.getByRole('complementary', { name: otherTitle }).waitFor();
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

      // The nightly sync redraws a lot: the map follows the new geometry without a reload.
      const moved = shiftSouth(other.fields[TomterField.geometri] as string, 400);
      await harness('serviceWrites', other.id, { [TomterField.geometri]: moved });
      await current.getByRole('button', { name: 'Lukk panelet' }).click();
      const [movedLon, movedLat] = centreOf(moved);
      await harness('setView', movedLon, movedLat, 16);
      const movedPixel = await harness('pixelOf', movedLon, movedLat);
      await page.mouse.click(movedPixel.x, movedPixel.y);
      await page.getByRole('complementary', { name: otherTitle }).waitFor();
      expect(consoleErrors).toEqual([]);
      expect(externalRequests).toEqual([]);
    },
  );

  it(
    'asks Kartverket for topo tiles by default and falls back to OpenStreetMap when they fail',
    { timeout: 60_000 },
    async () => {
      const tab = await browser.newPage({ viewport: { width: 900, height: 700 } });
      const kartverket: string[] = [];
      const osm: string[] = [];
      const other: string[] = [];
      const errors: string[] = [];
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      tab.on('pageerror', (e) => errors.push(e.message));
      const tile = tilePng();
      await tab.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
        if (url.hostname === 'cache.kartverket.no') {
          kartverket.push(url.href);
          return route.fulfill({ status: 503, body: 'Service Unavailable' });
        }
        if (url.hostname === 'tile.openstreetmap.org') {
          osm.push(url.href);
          return route.fulfill({ status: 200, contentType: 'image/png', body: tile });
        }
        other.push(url.href);
        return route.abort();
      });
      await tab.goto(`${server.url}/?tiles=default`);
      await tab.getByText('Kartverkets bakgrunnskart svarer ikke – viser OpenStreetMap i stedet.').waitFor();
      await tab.waitForFunction(`document.querySelectorAll('.leaflet-tile-loaded').length > 0`);

      expect(kartverket.length).toBeGreaterThanOrEqual(4);
      for (const url of kartverket) {
        expect(url).toMatch(
          /^https:\/\/cache\.kartverket\.no\/v1\/wmts\/1\.0\.0\/topo\/default\/webmercator\/\d+\/\d+\/\d+\.png$/,
        );
      }
      expect(osm.length).toBeGreaterThan(0);
      for (const url of osm) expect(url).toMatch(/^https:\/\/tile\.openstreetmap\.org\/\d+\/\d+\/\d+\.png$/);
      expect(await tab.textContent('.leaflet-control-attribution')).toContain('OpenStreetMap-bidragsytere');
      expect(other).toEqual([]);
      // Only the failed Kartverket tiles may complain.
      expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
      await tab.close();
    },
  );

  it(
    "builds frontend/index.tsx with Airtable's own bundler, with no test code and no secret in it",
    { timeout: 60_000 },
    async () => {
      const outputPath = await mkdtemp(join(tmpdir(), 'tomtekart-release-'));
      try {
        // What `block release` runs: @airtable/blocks-esbuild-bundler in production mode.
        const createBundler = createRequire(import.meta.url)('@airtable/blocks-esbuild-bundler')
          .default as typeof blocksBundler.default.default;
        const bundler = createBundler();
        await bundler.bundleAsync({
          mode: 'production',
          context: EXTENSION_DIR,
          entry: EXTENSION_ENTRY,
          outputPath,
        });
        const bundle = await readFile(join(outputPath, 'bundle.js'), 'utf8');
        console.log(`extension release bundle: ${Math.round(bundle.length / 1024)} KiB`);
        expect(bundle.length).toBeLessThan(2 * 1024 * 1024);
        expect(bundle).toContain(
          'cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png',
        );
        expect(bundle).not.toContain('blocks-testing');
        // Airtable personal access tokens look like pat<14 chars>.<64 hex>; none may ship.
        expect(bundle.match(/pat[A-Za-z0-9]{14}\.[a-f0-9]{64}/)?.[0] ?? null).toBeNull();
        // The extension never calls the service (and so needs no secret): it writes Eieroppslag.
        expect(bundle.match(/webhooks\/owner-lookup|X-Tomtejakt-Signature/i)?.[0] ?? null).toBeNull();
      } finally {
        await rm(outputPath, { recursive: true, force: true });
      }
    },
  );
});
