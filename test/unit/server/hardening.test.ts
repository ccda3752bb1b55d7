import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import { inlineScripts } from '../../../sync/src/server/security-headers.js';
import {
  LINK_KEY,
  MATRIKKEL_PASSWORD,
  startCountingApp,
  startServiceUnderTest,
  streamEndlessBody,
} from './hostile-client.js';

/**
 * The service probed from outside (issue 17): bodies cut at their limit before authentication,
 * security headers on the pages, `/health` without configuration, no filesystem path in an
 * answer, and a 413 that states the route's real limit.
 */
let app: RunningApp;
beforeAll(async () => {
  app = await startServiceUnderTest();
}, 60_000);
afterAll(async () => {
  await app?.stop();
});

const HTML = { accept: 'text/html' };

describe('request bodies are cut at the limit, before authentication', () => {
  let counting: Awaited<ReturnType<typeof startCountingApp>>;
  beforeAll(async () => {
    counting = await startCountingApp();
  });
  afterAll(() => counting.close());

  /** Streams an endless body and says how much of it the server read before it closed the connection. */
  async function serverRead(path: string, method = 'POST') {
    const before = counting.bytesRead();
    const outcome = await streamEndlessBody(`${counting.url}${path}`, { method, maxBytes: 48 * 1024 * 1024 });
    return { ...outcome, read: counting.bytesRead() - before };
  }

  it('stops reading an endless unauthenticated body to the webhook soon after its 8 KB and closes the connection', async () => {
    const outcome = await serverRead('/webhooks/owner-lookup');
    expect(outcome.ended).toBe('closed');
    expect(outcome.read).toBeLessThan(1024 * 1024);
  });

  it('stops reading an endless body sent to /health, the link form and routes that read no body', async () => {
    for (const [path, method] of [
      ['/health', 'GET'],
      ['/webhooks/owner-lookup/link', 'POST'],
      ['/no-such-route', 'POST'],
      ['/api/lots', 'PUT'],
    ] as const) {
      const outcome = await serverRead(path, method);
      expect(outcome.ended, path).toBe('closed');
      expect(outcome.read, path).toBeLessThan(1024 * 1024);
    }
  });
});

describe('a declared body over the limit', () => {
  it('is refused unread, with 413 and Connection: close', async () => {
    const response = await fetch(`${app.url}/webhooks/owner-lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(9000),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(((await response.json()) as { message: string }).message).toContain('8 KB (8192 bytes)');
  });
});

describe('the button-link route states its own limit', () => {
  it('answers a form over 4 KB with 413 naming 4 KB, not the webhook’s 8192 bytes', async () => {
    const form = new URLSearchParams({
      recordId: 'recA1b2C3d4E5f6G7',
      key: LINK_KEY,
      requestedBy: 'x'.repeat(5000),
    });
    const response = await fetch(`${app.url}/webhooks/owner-lookup/link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(413);
    const text = await response.text();
    expect(text).toContain('4 KB (4096 bytes)');
    expect(text).not.toContain('8192');
  });
});

describe('security headers and disclosure', () => {
  it('serves every HTML page with helmet’s headers and a CSP that allows no inline script but its own and no framing', async () => {
    const pages = [
      '/',
      '/kommuner',
      `/webhooks/owner-lookup/link?recordId=recA1b2C3d4E5f6G7&key=${LINK_KEY}`,
    ];
    for (const path of pages) {
      const response = await fetch(`${app.url}${path}`, { headers: HTML });
      expect(response.headers.get('content-type'), path).toContain('text/html');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toMatch(/default-src '(self|none)'/);
      expect(csp, path).not.toMatch(/script-src[^;]*(unsafe-inline|\*|https?:)/);
      for (const script of inlineScripts(await response.text())) {
        const hash = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
        expect(csp, `${path}: an inline script the CSP would block`).toContain(hash);
      }
    }
  });

  it('lets the map page show images from the service and the tile server only', async () => {
    const csp = (await fetch(`${app.url}/`, { headers: HTML })).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|;)img-src 'self' https:\/\/cache\.kartverket\.no(;|$)/);
    expect(csp).toMatch(/(^|;)connect-src 'self'(;|$)/);
  });

  it('shows an unauthenticated caller of /health the status only, and the team no password or path', async () => {
    const closed = await startServiceUnderTest({ PUBLIC_BASE_URL: 'https://tomtejakt.example.no' });
    try {
      const outside = (await (await fetch(`${closed.url}/health`)).json()) as Record<string, unknown>;
      expect(Object.keys(outside).sort()).toEqual(['nextRun', 'running', 'status', 'stopping', 'store']);
      expect(JSON.stringify(outside)).not.toMatch(/https?:|matrikkel|\//);
    } finally {
      await closed.stop();
    }
    // Open access (a laptop): everyone is the team, and the team's details are redacted.
    const team = await (await fetch(`${app.url}/health`)).text();
    expect(team).toContain('ownerLookup');
    expect(team).not.toContain(MATRIKKEL_PASSWORD);
    expect(team).toContain('https://***:***@matrikkel.example.no');
  });

  it('answers a missing vendor file and the vendor folder with a 404 that names no path', async () => {
    for (const path of [
      '/vendor/leaflet/',
      '/vendor/leaflet/nope.js',
      '/vendor/leaflet/../../package.json',
    ]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(404);
      const body = await response.text();
      expect(body, path).not.toMatch(/node_modules|\/work\/|\/home\/|ENOENT|[A-Z]:\\/);
    }
  });
});
