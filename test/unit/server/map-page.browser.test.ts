import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';
import { startFixtureApp, tempStorePath } from '../app/fixture-app.js';

const executablePath = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe.skipIf(!executablePath)('map page in a real browser (Chromium)', () => {
  let browser: Browser;
  let service: RunningApp;
  const lots = aasLots({ count: 6 });

  beforeAll(async () => {
    service = await startFixtureApp(
      tempStorePath(),
      fixtureStages(() => lots),
    );
    await service.initialRun;
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('draws every lot coloured by score and shows a lot’s panel on click', async () => {
    const page = await browser.newPage();
    // No internet: background tiles fail, the lots must still draw.
    await page.route('https://cache.kartverket.no/**', (route) => route.abort());
    await page.goto(`${service.url}/`);
    await page.waitForSelector('path.leaflet-interactive');
    expect(await page.locator('path.leaflet-interactive').count()).toBe(6);
    await expect.poll(() => page.textContent('#count')).toBe('6 tomter');
    const fills = await page
      .locator('path.leaflet-interactive')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    expect(new Set(fills).size).toBeGreaterThan(0);
    await page.locator('path.leaflet-interactive').first().click({ force: true });
    await page.waitForSelector('#panel h2');
    const panel = await page.textContent('#panel');
    expect(panel).toContain('Tomt-ID');
    expect(panel).toMatch(/3218-45\/\d+-/);
    expect(panel).toContain('Konfliktfrihet');
    expect(
      await page.locator('#panel a[href^="https://seeiendom.kartverket.no/eiendom/3218/45/"]').count(),
    ).toBe(1);
    await page.close();
  });
});
