import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../../sync/src/app/app.js';
import { mapAccessOf } from '../../../../sync/src/app/map-access.js';
import { loadEnv } from '../../../../sync/src/config/env.js';
import type { LoginSettings } from '../../../../sync/src/server/access/map-access.js';
import { SESSION_COOKIE, signSession } from '../../../../sync/src/server/access/session-cookie.js';
import { createMemoryLogger } from '../../../../sync/src/util/logger.js';
import { hashPassword } from '../../../../sync/src/util/password-hash.js';
import { storeKommuneRankings } from '../../../helpers/kommune-rankings.js';
import { aasLots, fixtureStages } from '../../../fixtures/crm/lots.js';
import { openStore } from '../../../../sync/src/store/database.js';
import { startFixtureApp, tempStorePath } from '../../app/fixture-app.js';

/**
 * The map login on the whole app (MAP_ACCESS=login from the env, as `npm start` reads it), over
 * real HTTP: the redirect to the form, wrong and right passwords, the cookie and what it opens,
 * forged and expired cookies, logout, `?neste=` that points elsewhere, and the rate limit.
 */
const PASSWORD = 'korrekt hest batteri stift';
const SECRET = 's'.repeat(16) + 'map-session-secret-for-tests-0123';
const CHEAP = { N: 2 ** 14, r: 8, p: 1 };
const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let app: RunningApp;
let login: LoginSettings;
let mapEnv: Record<string, string>;
const logger = createMemoryLogger();

beforeAll(async () => {
  const users = [
    `kari:${await hashPassword(PASSWORD, CHEAP)}`,
    `per:${await hashPassword('pers passord her', CHEAP)}`,
  ];
  mapEnv = {
    MAP_ACCESS: 'login',
    MAP_USERS: users.join(','),
    MAP_SESSION_SECRET: SECRET,
    TRUST_PROXY: 'loopback',
  };
  const access = mapAccessOf(loadEnv({ source: mapEnv }));
  if (access.mode !== 'login') throw new Error('expected login');
  login = access.login;
  const storePath = tempStorePath();
  const db = openStore(storePath);
  await storeKommuneRankings(db, 1);
  db.close();
  const lots = aasLots({ count: 4 });
  app = await startFixtureApp(
    storePath,
    fixtureStages((k) => (k === '3218' ? lots : [])),
    { env: mapEnv, logger },
  );
  await app.initialRun;
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers, redirect: 'manual' });

function postLogin(form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/logg-inn`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML, ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/** Logs in as kari and gives the Cookie header to send back. */
async function cookieOfLogin(): Promise<string> {
  const response = await postLogin({ bruker: 'kari', passord: PASSWORD, neste: '/' });
  expect(response.status).toBe(303);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('map login (MAP_ACCESS=login)', () => {
  it('sends a browser to the login form and answers scripts 401, for the map, the lots and the dashboard', async () => {
    for (const path of ['/', '/kommuner', '/kommuner.csv', '/vendor/leaflet/leaflet.js']) {
      const page = await get(path, HTML);
      expect(page.status, path).toBe(303);
      expect(page.headers.get('location'), path).toBe(`/logg-inn?neste=${encodeURIComponent(path)}`);
    }
    const scripts = [
      '/api/lots',
      '/api/kommuner',
      '/api/kommuner/3218',
      '/api/meg',
      '/kommuner/grenser.geojson',
    ];
    for (const path of scripts) {
      // /api/ is never a page, even to a browser; the rest are not when asked for by fetch (*/*).
      const api = await get(path, path.startsWith('/api/') ? HTML : {});
      expect(api.status, path).toBe(401);
      expect(await api.json()).toEqual({
        error: 'login-required',
        message: 'Logg inn for å se dette.',
        login: '/logg-inn',
      });
    }
  });

  it('shows a Norwegian login form that cannot be framed or cached', async () => {
    const page = await get('/logg-inn?neste=%2Fkommuner');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<html lang="nb">');
    expect(html).toContain('<form method="post" action="logg-inn">');
    expect(html).toContain('<input type="hidden" name="neste" value="/kommuner">');
    expect(html).toContain('name="passord" type="password"');
  });

  it('refuses a wrong password or an unknown user with the form again and no cookie', async () => {
    for (const form of [
      { bruker: 'kari', passord: 'feil passord her' },
      { bruker: 'ola', passord: PASSWORD },
      { bruker: 'kari', passord: '' },
    ]) {
      const response = await postLogin({ ...form, neste: '/kommuner' });
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
      const html = await response.text();
      expect(html).toContain('Feil brukernavn eller passord.');
      expect(html).toContain('value="/kommuner"');
    }
    const failures = logger.lines.filter((l) => l.includes('Map login failed'));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(logger.lines.join('\n')).not.toContain('feil passord her');
    expect(logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('sets a signed HttpOnly SameSite=Lax session cookie on the right password and goes where it was asked', async () => {
    const response = await postLogin({ bruker: 'kari', passord: PASSWORD, neste: '/kommuner?nr=3218' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/kommuner?nr=3218');
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]+\\.\\d+\\.[A-Za-z0-9_-]{43}; `));
    expect(cookie).toContain('Max-Age=43200');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // no PUBLIC_BASE_URL: http on localhost
    expect(logger.lines).toContain('Map login user=kari');
  });

  it('opens the lots, the dashboard and the full /health with the cookie, and says who is logged in', async () => {
    const cookie = await cookieOfLogin();
    const lots = (await (await get('/api/lots', { cookie })).json()) as { features: unknown[] };
    expect(lots.features).toHaveLength(4);
    const dashboard = await get('/kommuner', { ...HTML, cookie });
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<p id="konto" class="muted" hidden></p>');
    expect((await get('/api/kommuner/3218', { cookie })).status).toBe(200);
    expect(await (await get('/', { ...HTML, cookie })).text()).toContain('id="konto"');
    expect(await (await get('/api/meg', { cookie })).json()).toEqual({ user: 'kari', logout: 'logg-ut' });
    const health = (await (await get('/health', { cookie })).json()) as Record<string, unknown>;
    expect(health).toHaveProperty('lots', { active: 4, vanished: 0 });
    expect(health).toHaveProperty('lastRun');
  });

  it('gives /health without a session but only whether the service is up', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['nextRun', 'running', 'status', 'stopping', 'store']);
    expect(body).toMatchObject({ status: 'ok', store: 'ok' });
    expect(JSON.stringify(body)).not.toMatch(/3218|lots|kommune/);
  });

  it('refuses a tampered, foreign, expired or orphaned cookie', async () => {
    const good = (await cookieOfLogin()).split('=')[1]!;
    const [user, expires, mac] = good.split('.') as [string, string, string];
    const asPer = `${Buffer.from('per').toString('base64url')}.${expires}.${mac}`;
    const later = `${user}.${Number(expires) + 3600}.${mac}`;
    const flipped = `${user}.${expires}.${mac.slice(0, -2)}${mac.at(-2) === 'A' ? 'B' : 'A'}${mac.at(-1)}`;
    const foreign = signSession({ ...login, sessionSecret: 'x'.repeat(40) }, 'kari', new Date());
    const expired = signSession(login, 'kari', new Date(Date.now() - 12 * 3600 * 1000 - 1000));
    const tooLong = signSession({ ...login, sessionHours: 48 }, 'kari', new Date());
    const newPassword = new Map(login.users);
    newPassword.set('kari', { ...login.users.get('per')! });
    const oldPassword = signSession({ ...login, users: newPassword }, 'kari', new Date());
    for (const [what, token] of Object.entries({
      asPer,
      later,
      flipped,
      foreign,
      expired,
      tooLong,
      oldPassword,
    })) {
      const response = await get('/api/lots', { cookie: `${SESSION_COOKIE}=${token}` });
      expect(response.status, what).toBe(401);
    }
    expect((await get('/api/lots', { cookie: `${SESSION_COOKIE}=${good}` })).status).toBe(200);
    expect(
      (await get('/api/lots', { cookie: `${SESSION_COOKIE}=${signSession(login, 'per', new Date())}` }))
        .status,
    ).toBe(200);
  });

  it('logs out: the cookie is cleared and the form says so', async () => {
    const cookie = await cookieOfLogin();
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${app.url}/logg-ut`, { method, headers: { cookie }, redirect: 'manual' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/logg-inn?ut=1');
      const [cleared] = response.headers.getSetCookie();
      expect(cleared).toMatch(
        new RegExp(
          `^${SESSION_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$`,
        ),
      );
    }
    expect(await (await get('/logg-inn?ut=1')).text()).toContain('Du er logget ut.');
    expect(logger.lines).toContain('Map logout user=kari');
  });

  it('never sends anyone to another site after login (?neste=)', async () => {
    const elsewhere = [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example/',
      '/\t/evil.example/',
      'evil.example',
      'javascript:alert(1)',
      '/logg-ut',
    ];
    for (const neste of elsewhere) {
      const response = await postLogin({ bruker: 'kari', passord: PASSWORD, neste });
      expect(response.headers.get('location'), neste).toBe('/');
    }
    const cookie = await cookieOfLogin();
    const already = await get(`/logg-inn?neste=${encodeURIComponent('//evil.example/')}`, { cookie });
    expect(already.status).toBe(303);
    expect(already.headers.get('location')).toBe('/');
    const page = await get(`/logg-inn?neste=${encodeURIComponent('https://evil.example/')}`);
    expect(await page.text()).toContain('<input type="hidden" name="neste" value="/">');
  });

  it('makes an address wait after ten failed logins in a minute, right password or not, and only that address', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < 10; i++) {
      const failed = await postLogin({ bruker: 'per', passord: `gjett nummer ${i}` }, from('203.0.113.7'));
      expect(failed.status).toBe(401);
    }
    const blocked = await postLogin({ bruker: 'kari', passord: PASSWORD }, from('203.0.113.7'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(blocked.headers.getSetCookie()).toEqual([]);
    expect(await blocked.text()).toContain('For mange mislykkede forsøk');
    expect(
      logger.lines.some((l) => l.includes('too many failed attempts') && l.includes('203.0.113.7')),
    ).toBe(true);
    const other = await postLogin({ bruker: 'kari', passord: PASSWORD }, from('203.0.113.8'));
    expect(other.status).toBe(303);
  });
});
