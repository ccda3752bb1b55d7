import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../../sync/src/app/app.js';
import { createMemoryLogger } from '../../../../sync/src/util/logger.js';
import { aasLots, fixtureStages } from '../../../fixtures/crm/lots.js';
import { startFixtureApp, tempStorePath } from '../../app/fixture-app.js';

/**
 * MAP_ACCESS=proxy-header: the user a trusted reverse proxy names in MAP_PROXY_HEADER is let in
 * (only those in MAP_PROXY_USERS, when set); without the header nobody is.
 */
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const logger = createMemoryLogger();
let app: RunningApp;

beforeAll(async () => {
  const lots = aasLots({ count: 2 });
  app = await startFixtureApp(
    tempStorePath(),
    fixtureStages((k) => (k === '3218' ? lots : [])),
    {
      logger,
      env: { MAP_ACCESS: 'proxy-header', MAP_PROXY_HEADER: 'X-Forwarded-User', MAP_PROXY_USERS: 'kari,per' },
    },
  );
  await app.initialRun;
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers, redirect: 'manual' });

describe('map access through a trusted proxy header', () => {
  it('says at start which header it trusts', () => {
    expect(logger.lines.some((l) => l.startsWith('Map access: the user named in X-Forwarded-User'))).toBe(
      true,
    );
  });

  it('lets in the user the proxy names, and shows who it is without a logout link', async () => {
    const kari = { 'x-forwarded-user': 'kari' };
    const lots = (await (await get('/api/lots', kari)).json()) as { features: unknown[] };
    expect(lots.features).toHaveLength(2);
    expect((await get('/', { ...HTML, ...kari })).status).toBe(200);
    expect((await get('/kommuner', { ...HTML, ...kari })).status).toBe(200);
    expect(await (await get('/api/meg', kari)).json()).toEqual({ user: 'kari', logout: null });
    expect(await (await get('/health', kari)).json()).toHaveProperty('lots', { active: 2, vanished: 0 });
  });

  it('answers 401 without the header (or with an empty one) and never shows a login form', async () => {
    for (const headers of [{}, { 'x-forwarded-user': '  ' }] as Array<Record<string, string>>) {
      const api = await get('/api/lots', headers);
      expect(api.status).toBe(401);
      expect(((await api.json()) as { error: string }).error).toBe('no-proxy-user');
      const page = await get('/', { ...HTML, ...headers });
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('<h1>Ikke logget inn</h1>');
    }
    expect((await get('/logg-inn', HTML)).status).toBe(401);
    expect(Object.keys((await (await get('/health')).json()) as object)).not.toContain('lots');
  });

  it('answers 403 for a user the allowlist does not name', async () => {
    const api = await get('/api/lots', { 'x-forwarded-user': 'ola' });
    expect(api.status).toBe(403);
    expect(((await api.json()) as { error: string }).error).toBe('not-allowed');
    const page = await get('/kommuner', { ...HTML, 'x-forwarded-user': 'ola' });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('<h1>Ingen tilgang</h1>');
  });

  it('refuses a header a client sent through a proxy that appends to it', async () => {
    expect((await get('/api/lots', { 'x-forwarded-user': 'ola, kari' })).status).toBe(401);
  });
});
