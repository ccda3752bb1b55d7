import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import type { KommuneDashboard } from '../../../sync/src/presentation/kommune-dashboard.js';
import { openStore } from '../../../sync/src/store/database.js';
import { fixtureStages } from '../../fixtures/crm/lots.js';
import { chromiumPath, launchChromium } from '../../helpers/chromium.js';
import { storeKommuneRankings } from '../../helpers/kommune-rankings.js';
import { startFixtureApp, tempStorePath } from '../app/fixture-app.js';

/** Where the screenshot is kept (like the extension's, under out/, ignored by git). */
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../out/kommuner-browser/', import.meta.url));

/**
 * The kommune dashboard in Debian's Chromium, served by the whole app from a store with three
 * weekly rankings of all 357 kommuner: map, sorting, a kommune's panel, the top filter. Fails on
 * any console error or request that leaves 127.0.0.1. The load time is printed; the benchmark
 * (`npm run bench kommuner`) is what measures it.
 */
describe.skipIf(!chromiumPath())('kommune dashboard in a real browser (Chromium)', () => {
  let browser: Browser;
  let service: RunningApp;
  let page: Page;
  let dashboard: KommuneDashboard;
  const problems: string[] = [];

  beforeAll(async () => {
    const storePath = tempStorePath();
    const db = openStore(storePath);
    await storeKommuneRankings(db, 3);
    db.close();
    service = await startFixtureApp(
      storePath,
      fixtureStages(() => []),
    );
    await service.initialRun;
    dashboard = (await (await fetch(`${service.url}/api/kommuner`)).json()) as KommuneDashboard;
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      problems.push(`external request: ${url.href}`);
      return route.abort();
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  const firstRows = (n: number) =>
    page
      .locator('#tabell .kropp .rad')
      .evaluateAll((rows, count) => rows.slice(0, count).map((r) => r.getAttribute('data-nr')!), n);

  /** Every row of the table in order: it draws only those in view, so scroll through it once. */
  const allRows = async () =>
    (await page.evaluate(`(async () => {
      const frame = document.getElementById('tabell-ramme');
      const frameDone = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const order = new Map();
      let most = 0;
      frame.scrollTop = 0;
      for (;;) {
        await frameDone();
        const rows = document.querySelectorAll('#tabell .kropp .rad');
        most = Math.max(most, rows.length);
        for (const row of rows) order.set(Number(row.getAttribute('aria-rowindex')), row.getAttribute('data-nr'));
        if (frame.scrollTop + frame.clientHeight >= frame.scrollHeight - 1) break;
        frame.scrollTop += frame.clientHeight;
      }
      frame.scrollTop = 0;
      await frameDone();
      return { nr: [...order.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]), most };
    })()`)) as { nr: string[]; most: number };

  it('draws 357 kommuner coloured by score and the table of all of them', async () => {
    await page.goto(`${service.url}/kommuner`);
    await page.waitForSelector('body[data-ready="true"]');
    const readyMs = (await page.evaluate(
      `performance.getEntriesByName('kommuner:klar')[0].startTime`,
    )) as number;
    console.log(`kommune dashboard: page, data and map ready ${readyMs.toFixed(0)} ms after navigation`);

    expect(await page.locator('#kart path.leaflet-interactive').count()).toBe(357);
    const fills = await page
      .locator('#kart path.leaflet-interactive')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    expect(new Set(fills).size).toBeGreaterThanOrEqual(5);
    expect(await page.textContent('#antall')).toBe('Viser 357 av 357 kommuner');
    expect(await page.getAttribute('#tabell', 'aria-rowcount')).toBe('359');
    // All 357 in rank order, never more than a screenful and the margins in the page at once.
    const rows = await allRows();
    expect(rows.nr).toEqual(dashboard.kommuner.map((k) => k.nr));
    expect(rows.most).toBeLessThan(100);
    expect(await page.textContent('#undertittel')).toContain('357 kommuner · oppdatert 10.03.2026');
    // Three columns per factor of the ranking, grouped under its label.
    const groups = await page.locator('#tabell .hode .gruppe').allTextContents();
    expect(groups).toEqual(dashboard.factors.map((f) => f.label));
    expect(await firstRows(3)).toEqual(dashboard.kommuner.slice(0, 3).map((k) => k.nr));
    const topDrawn = await page
      .locator('#tabell .kropp .rad.topp')
      .evaluateAll((r) => r.map((e) => e.getAttribute('data-nr')));
    expect(topDrawn).toEqual(
      dashboard.kommuner
        .filter((k) => k.top)
        .map((k) => k.nr)
        .filter((nr) => topDrawn.includes(nr)),
    );
    expect(topDrawn.length).toBeGreaterThan(10);
    expect(await page.locator('a[href="./"]').textContent()).toBe('Kart over tomter');
  });

  it('sorts by any column, both ways, missing figures last', async () => {
    const growth = dashboard.kommuner
      .filter((k) => k.factors.befolkningsvekst!.value !== null)
      .sort((a, b) => b.factors.befolkningsvekst!.value! - a.factors.befolkningsvekst!.value!);
    const button = page.locator('button[data-sort="f:befolkningsvekst:value"]');
    await button.click();
    expect(await button.locator('xpath=..').getAttribute('aria-sort')).toBe('descending');
    expect((await firstRows(1))[0]).toBe(growth[0]!.nr);
    await button.click();
    expect(await button.locator('xpath=..').getAttribute('aria-sort')).toBe('ascending');
    expect((await firstRows(1))[0]).toBe(growth.at(-1)!.nr);

    const nameOf = new Map(dashboard.kommuner.map((k) => [k.nr, k.navn]));
    await page.locator('button[data-sort="navn"]').click();
    const names = (await allRows()).nr.map((nr) => nameOf.get(nr)!);
    expect(names).toHaveLength(357);
    const collator = new Intl.Collator('nb');
    expect(names).toEqual([...names].sort(collator.compare));

    await page.locator('button[data-sort="f:inntekt:rank"]').click();
    const incomeRank = (nr: string) => dashboard.kommuner.find((k) => k.nr === nr)!.factors.inntekt!.rank;
    const values = (await allRows()).nr.map(incomeRank);
    expect(values).toHaveLength(357);
    const known = values.filter((v): v is number => v !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(values.slice(known.length).every((v) => v === null)).toBe(true);

    await page.locator('button[data-sort="rank"]').click();
    expect(await firstRows(3)).toEqual(dashboard.kommuner.slice(0, 3).map((k) => k.nr));
  });

  it('opens a kommune from the table and from the map: factors, chart over time and explanation', async () => {
    await page.locator('#sok').fill('oslo');
    expect(await page.locator('#tabell .kropp .rad').count()).toBe(1);
    await page.locator('#tabell .kropp .rad[data-nr="0301"]').click();
    await page.waitForSelector('#detalj h2');
    expect(await page.textContent('#detalj h2')).toBe('Oslo - Oslove (0301)');
    const oslo = dashboard.kommuner.find((k) => k.nr === '0301')!;
    expect(await page.textContent('#detalj .overskrift')).toContain(`Nr. ${oslo.rank} av 357`);
    expect(await page.locator('#detalj table.faktorer tbody tr').count()).toBe(dashboard.factors.length);
    // The score over the three weekly refreshes, and a sparkline per factor.
    expect(await page.locator('#detalj svg[aria-label^="Score for"] circle').count()).toBe(3);
    expect(await page.locator('#detalj svg[aria-label^="Score for"] path').count()).toBe(1);
    expect(await page.locator('#detalj table.faktorer svg').count()).toBe(dashboard.factors.length);
    expect(await page.textContent('#detalj .forklaring')).toContain('Oslo - Oslove (0301) er nr.');
    expect(page.url()).toMatch(/#0301$/);
    expect(await page.locator('#kart path[stroke="#d7301f"]').count()).toBe(1);

    await page.locator('#sok').fill('');
    await page.locator('#bare-topp').check();
    expect(await page.textContent('#antall')).toBe('Viser 50 av 357 kommuner');
    expect((await allRows()).nr).toEqual(dashboard.kommuner.filter((k) => k.top).map((k) => k.nr));
    await page.locator('#bare-topp').uncheck();

    // A click on the map opens that kommune and marks its row.
    // The first kommune (not Oslo) whose box centre is inside its own shape on screen.
    const point = (await page.evaluate(`(() => {
      for (const p of document.querySelectorAll('#kart path.leaflet-interactive')) {
        const box = p.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        if (box.width > 6 && document.elementFromPoint(x, y) === p && p.getAttribute('stroke') !== '#d7301f')
          return { x, y };
      }
      return null;
    })()`)) as { x: number; y: number } | null;
    expect(point).not.toBeNull();
    await page.mouse.click(point!.x, point!.y);
    await expect.poll(() => page.textContent('#detalj h2')).not.toBe('Oslo - Oslove (0301)');
    const selectedNr = await page.locator('#tabell .kropp .rad.valgt').getAttribute('data-nr');
    expect(await page.textContent('#detalj h2')).toContain(`(${selectedNr})`);

    // Back to Oslo (found by the search box: the table draws only the rows in view) for the picture.
    await page.locator('#sok').fill('0301');
    await page.locator('#tabell .kropp .rad[data-nr="0301"]').click();
    await expect.poll(() => page.textContent('#detalj h2')).toBe('Oslo - Oslove (0301)');
    await page.locator('#sok').fill('');
    await page.evaluate(`window.scrollTo(0, 0); document.getElementById('tabell-ramme').scrollTop = 0`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}kommuner.png` });
    console.log(`kommune dashboard browser test: screenshot in ${SCREENSHOT_DIR}kommuner.png`);
    expect(problems).toEqual([]);
  });
});
