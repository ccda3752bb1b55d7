import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { hashPassword } from '../../../sync/src/util/password-hash.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';
import { chromiumPath, launchChromium } from '../../helpers/chromium.js';
import { startFixtureApp, tempStorePath } from '../app/fixture-app.js';

/**
 * The map login in Debian's Chromium (MAP_ACCESS=login): the dashboard sends to the form, a
 * wrong password is told so, the right one returns to the dashboard, both pages say who is
 * logged in, and "Logg ut" ends it.
 */
describe.skipIf(!chromiumPath())('map login in a real browser (Chromium)', () => {
  const PASSWORD = 'fjell og fjord 2026';
  let browser: Browser;
  let service: RunningApp;

  beforeAll(async () => {
    const lots = aasLots({ count: 3 });
    service = await startFixtureApp(
      tempStorePath(),
      fixtureStages((k) => (k === '3218' ? lots : [])),
      {
        env: {
          MAP_ACCESS: 'login',
          MAP_USERS: `kari:${await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 })}`,
          MAP_SESSION_SECRET: 'b'.repeat(16) + 'browser-session-secret-0123456789',
        },
      },
    );
    await service.initialRun;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('logs in from the dashboard, shows who is logged in on both pages, and logs out', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.route('https://cache.kartverket.no/**', (route) => route.abort());
    await page.goto(`${service.url}/kommuner`);
    expect(new URL(page.url()).pathname).toBe('/logg-inn');
    expect(await page.textContent('h1')).toBe('Logg inn');

    await page.fill('input[name=bruker]', 'kari');
    await page.fill('input[name=passord]', 'ikke passordet');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('[role=alert]')).toBe('Feil brukernavn eller passord.');

    await page.fill('input[name=passord]', PASSWORD);
    await Promise.all([page.waitForURL(`${service.url}/kommuner`), page.click('button[type=submit]')]);
    await expect.poll(() => page.textContent('#konto')).toBe('Innlogget som kari · Logg ut');

    await page.goto(`${service.url}/`);
    await page.waitForSelector('path.leaflet-interactive');
    expect(await page.locator('path.leaflet-interactive').count()).toBe(3);
    await expect.poll(() => page.textContent('#konto')).toBe('Innlogget som kari · Logg ut');

    await Promise.all([page.waitForURL(/\/logg-inn\?ut=1$/), page.click('#konto a')]);
    expect(await page.textContent('[role=status]')).toBe('Du er logget ut.');
    await page.goto(`${service.url}/`);
    expect(new URL(page.url()).pathname).toBe('/logg-inn');
    await page.close();
  });
});
