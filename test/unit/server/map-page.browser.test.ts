import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';
import { chromiumPath } from '../../helpers/chromium.js';
import { startFixtureApp, tempStorePath } from '../app/fixture-app.js';

const executablePath = chromiumPath();

describe.skipIf(!executablePath)('map page in a real browser (Chromium)', () => {
  let browser: Browser;
  let service: RunningApp;
  const lots = aasLots({ count: 30 });
  const score = (i: number) => Math.round(lots[i]!.score.total);

  beforeAll(async () => {
    service = await startFixtureApp(
      tempStorePath(),
      fixtureStages(() => lots),
    );
    await service.initialRun;
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  async function open(path = '/'): Promise<Page> {
    const page = await browser.newPage();
    // No internet: background tiles fail, the lots must still draw.
    await page.route('https://cache.kartverket.no/**', (route) => route.abort());
    await page.goto(`${service.url}${path}`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }
  const drawn = (page: Page) => page.locator('path.leaflet-interactive').count();
  const settled = (page: Page) => page.waitForSelector('body[data-ready="true"]:not([data-loading])');

  it('draws every lot coloured by score and shows a lot’s panel on click', async () => {
    const page = await open();
    expect(await page.getAttribute('body', 'data-kind')).toBe('polygons');
    expect(await drawn(page)).toBe(30);
    await expect.poll(() => page.textContent('#count')).toBe('30 tomter i utsnittet');
    const fills = await page
      .locator('path.leaflet-interactive')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    expect(new Set(fills).size).toBeGreaterThan(1);
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

  it('filters on the server by tier, score and plans in progress, and resets', async () => {
    const page = await open();
    expect(await page.locator('select[name="kommune"] option').allTextContents()).toEqual([
      'Alle kommuner',
      'Ås (3218) – 30',
    ]);
    const tierC = lots.filter((l) => l.score.tier === 'C').length;
    await page.check('input[name="tier"][value="C"]');
    await expect.poll(() => drawn(page)).toBe(tierC);
    await settled(page);
    expect(await page.textContent('#count')).toBe(`${tierC} tomter i utsnittet`);
    await page.uncheck('input[name="tier"][value="C"]');
    await page.fill('input[name="minScore"]', '50');
    await page.dispatchEvent('input[name="minScore"]', 'change');
    await expect.poll(() => drawn(page)).toBe(lots.filter((_, i) => score(i) >= 50).length);
    await page.selectOption('select[name="planWork"]', 'with');
    const withPlans = lots.filter((l, i) => l.planarbeidPagar.length > 0 && score(i) >= 50).length;
    await expect.poll(() => drawn(page)).toBe(withPlans);
    await page.click('button[type="reset"]');
    await expect.poll(() => drawn(page)).toBe(30);
    await page.close();
  });

  it('finds a lot by gnr/bnr, zooms to it and opens its panel', async () => {
    const page = await open();
    const lot = lots[17]!;
    await page.fill('input[name="q"]', lot.matrikkelnummertekst);
    await page.click('#sok button[type="submit"]');
    await expect.poll(() => page.textContent('#panel'), { timeout: 10_000 }).toContain(lot.tomtId);
    expect(await page.textContent('#sokemelding')).toBe('1 tomt');
    await page.fill('input[name="q"]', 'Storgata 1');
    await page.click('#sok button[type="submit"]');
    await expect.poll(() => page.textContent('#sokemelding')).toContain('Skriv gnr/bnr');
    await page.fill('input[name="q"]', '999/1');
    await page.click('#sok button[type="submit"]');
    await expect.poll(() => page.textContent('#sokemelding')).toBe('Fant ingen tomt på 999/1.');
    await page.close();
  });
});
