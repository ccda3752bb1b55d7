import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../../sync/src/app/app.js';
import type { ScoredLot } from '../../../../sync/src/domain/lot.js';
import { signPayload } from '../../../../sync/src/server/webhooks/signature.js';
import { createMemoryLogger } from '../../../../sync/src/util/logger.js';
import { startMatrikkelDouble, type MatrikkelDouble } from '../../../doubles/matrikkel/server.js';
import { aasLots, fixtureStages } from '../../../fixtures/crm/lots.js';
import { startFixtureApp, tempStorePath } from '../../app/fixture-app.js';

/**
 * PUBLIC_BASE_URL set, MAP_ACCESS not: the whole app starts, the owner-lookup webhook still takes
 * signed calls and /health answers, but the map, the lots and the kommune dashboard answer 403
 * with a Norwegian explanation, and the start log says why.
 */
const WEBHOOK_SECRET = 'w'.repeat(16) + 'webhook-secret-for-tests-0123456789';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let app: RunningApp;
let double: MatrikkelDouble;
let lots: ScoredLot[];
const logger = createMemoryLogger();

beforeAll(async () => {
  double = await startMatrikkelDouble();
  lots = aasLots({ count: 3 });
  app = await startFixtureApp(
    tempStorePath(),
    fixtureStages((k) => (k === '3218' ? lots : [])),
    {
      logger,
      ownerLookup: true,
      env: {
        PUBLIC_BASE_URL: 'https://tomtejakt.example.no',
        WEBHOOK_SECRET,
        MATRIKKEL_URL: double.url,
        MATRIKKEL_USERNAME: 'tomtejakt-test',
        MATRIKKEL_PASSWORD: 'correct horse battery staple',
      },
    },
  );
  await app.initialRun;
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await double?.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { headers, redirect: 'manual' });

function signedLookup(body: unknown) {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${app.url}/webhooks/owner-lookup`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tomtejakt-timestamp': timestamp,
      'x-tomtejakt-signature': signPayload(WEBHOOK_SECRET, timestamp, raw),
    },
    body: raw,
  });
}

describe('PUBLIC_BASE_URL without map access', () => {
  it('says at start that the map is closed and why', () => {
    const warning = logger.lines.find((l) =>
      l.startsWith('WARN The map, the lots API and the kommune dashboard answer 403'),
    );
    expect(warning).toContain('PUBLIC_BASE_URL is set but no map access is configured');
    expect(warning).toContain('MAP_ACCESS=login');
    expect(warning).toContain('MAP_ACCESS=proxy-header');
  });

  it('answers a browser 403 with a Norwegian page on the map and the dashboard', async () => {
    for (const path of ['/', '/kommuner', '/kommuner.csv', '/logg-inn']) {
      const page = await get(path, HTML);
      expect(page.status, path).toBe(403);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<h1>Kartet er stengt</h1>');
      expect(html).toContain('tilgang for teamet er ikke satt opp');
      expect(html).not.toContain(lots[0]!.tomtId);
    }
  });

  it('answers the lots and kommune APIs 403 with JSON that says what to configure', async () => {
    for (const path of [
      '/api/lots',
      `/api/lots/${encodeURIComponent(lots[0]!.tomtId)}`,
      '/api/kommuner',
      '/api/kommuner/3218',
      '/kommuner/grenser.geojson',
      '/vendor/leaflet/leaflet.js',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('map-access-not-configured');
      expect(body.message).toContain('MAP_ACCESS');
    }
  });

  it('still answers /health, without lot or kommune data', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'ok', store: 'ok', running: false });
    expect(text).not.toMatch(/lots|3218|Ås|ownerLookup|lastRun/);
  });

  it('still takes a signed owner-lookup webhook, and still refuses an unsigned one', async () => {
    const accepted = await signedLookup({ tomtId: lots[1]!.tomtId, purpose: 'test av tilgang' });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ tomtId: lots[1]!.tomtId, jobId: expect.any(Number) });
    const unsigned = await fetch(`${app.url}/webhooks/owner-lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tomtId: lots[1]!.tomtId }),
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: string }).error).toBe('unauthenticated');
  });
});
