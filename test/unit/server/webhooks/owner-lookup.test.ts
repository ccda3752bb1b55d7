import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TomterField as T } from '../../../../sync/src/crm/schema/index.js';
import { listAudit } from '../../../../sync/src/store/audit-log.js';
import { signPayload } from '../../../../sync/src/server/webhooks/signature.js';
import {
  BASE_ID,
  BEARER,
  LINK_KEY,
  startOwnerLookupHarness,
  type Harness,
} from '../../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../../helpers/queue-idle.js';

const MARKER = 'BODY-MARKER-Åse-Ødegård';

describe('webhook security: every refused call is answered clearly and none reaches the Matrikkel', () => {
  let h: Harness;
  let lotRecordId: string;
  beforeAll(async () => {
    h = await startOwnerLookupHarness({ lots: 2 });
    lotRecordId = h.lots[0]!.recordId;
  });
  afterAll(async () => {
    await h.close();
  });

  const expectRefused = async (response: Response, status: number, error: string) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe(error);
    expect(body.message.length).toBeGreaterThan(10);
  };

  it('refuses a call with neither signature nor token', async () => {
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recordId: lotRecordId, purpose: MARKER }),
    });
    await expectRefused(response, 401, 'unauthenticated');
  });

  it('refuses a signature made with another secret', async () => {
    await expectRefused(
      await h.post({ recordId: lotRecordId, purpose: MARKER }, { secret: 'x'.repeat(64) }),
      401,
      'signature-mismatch',
    );
  });

  it('refuses a body changed after signing', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = JSON.stringify({ recordId: lotRecordId });
    const response = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tomtejakt-timestamp': timestamp,
        'x-tomtejakt-signature': signPayload('a'.repeat(64), timestamp, signed),
      },
      body: JSON.stringify({ recordId: h.lots[1]!.recordId }),
    });
    await expectRefused(response, 401, 'signature-mismatch');
  });

  it('refuses a stale timestamp and one too far in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      await h.post({ recordId: lotRecordId }, { timestamp: now - 301 }),
      401,
      'signature-stale',
    );
    await expectRefused(
      await h.post({ recordId: lotRecordId }, { timestamp: now + 400 }),
      401,
      'signature-stale',
    );
  });

  it('refuses a malformed signature header', async () => {
    await expectRefused(
      await h.post({ recordId: lotRecordId }, { headers: { 'x-tomtejakt-signature': 'md5=abc' } }),
      401,
      'signature-malformed',
    );
  });

  it('refuses a wrong bearer token', async () => {
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}x` },
      body: JSON.stringify({ recordId: lotRecordId }),
    });
    await expectRefused(response, 401, 'bad-token');
  });

  it('refuses an oversized body before reading it', async () => {
    const big = JSON.stringify({ recordId: lotRecordId, purpose: MARKER + 'x'.repeat(9_000) });
    await expectRefused(await h.post(null, { raw: big }), 413, 'body-too-large');
  });

  it('refuses malformed JSON, unknown fields, a bad record id and two lot keys at once', async () => {
    await expectRefused(await h.post(null, { raw: `{"recordId": "${MARKER}` }), 400, 'malformed-json');
    const unknown = await h.post({ recordId: lotRecordId, extra: MARKER });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('unknown field(s): extra');
    const badId = await h.post({ recordId: 'recSHORT' });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { message: string }).message).toMatch(
      /^recordId: must be an Airtable record id/,
    );
    await expectRefused(
      await h.post({ recordId: lotRecordId, tomtId: h.lots[0]!.tomtId }),
      400,
      'invalid-request',
    );
    await expectRefused(await h.post({}), 400, 'invalid-request');
  });

  it('refuses a request for another base', async () => {
    await expectRefused(
      await h.post({ recordId: lotRecordId, baseId: 'appOTHERBASE00001' }),
      400,
      'wrong-base',
    );
  });

  it('refuses a record id that is not a lot, and a Tomt-ID nobody has', async () => {
    await expectRefused(await h.post({ recordId: 'recAAAAAAAAAAAAAA' }), 404, 'not-a-lot');
    await expectRefused(await h.post({ tomtId: '3218-1/1-nothing' }), 404, 'not-a-lot');
  });

  it('refuses a body that is not JSON, and other methods', async () => {
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${BEARER}` },
      body: lotRecordId,
    });
    await expectRefused(response, 415, 'unsupported-media-type');
    await expectRefused(await fetch(h.url, { method: 'GET' }), 405, 'method-not-allowed');
  });

  it('answers no CORS preflight from a foreign origin, and allows Airtable extension origins', async () => {
    const preflight = (origin: string) =>
      fetch(h.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    for (const foreign of [
      'https://evil.example.com',
      'https://airtableblocks.com.evil.example',
      'http://block--abc.alt.airtableblocks.com',
    ]) {
      const response = await preflight(foreign);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    for (const allowed of ['https://block--abc123.alt.airtableblocks.com', 'https://localhost:9000']) {
      const response = await preflight(allowed);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    }
  });

  it('refuses the same signed request twice (replay)', async () => {
    const raw = JSON.stringify({ recordId: h.lots[1]!.recordId });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const send = () =>
      fetch(h.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tomtejakt-timestamp': timestamp,
          'x-tomtejakt-signature': signPayload(h.env.WEBHOOK_SECRET!, timestamp, raw),
        },
        body: raw,
      });
    expect((await send()).status).toBe(202);
    await expectRefused(await send(), 401, 'signature-replayed');
    await idleWithin(h.service.queue);
  });

  it('let nothing but the one valid call through, and logged refusals without their bodies', () => {
    const lookups = h.double.calls.filter(
      (c) => c.operation !== 'getPaloggetBruker' && c.operation !== 'harLesEierforholdRettighet',
    );
    expect(lookups.map((c) => c.operation)).toEqual([
      'findMatrikkelenhetIdForIdent',
      'getObject',
      'getObjects',
    ]);
    expect(listAudit(h.db).map((a) => a.tomtId)).toEqual([h.lots[1]!.tomtId]);
    const refusals = h.logLines.filter((l) => l.includes('owner lookup webhook refused'));
    expect(refusals.length).toBeGreaterThanOrEqual(15);
    for (const line of refusals)
      expect(JSON.parse(line)).toMatchObject({ level: 'warn', status: expect.any(Number) });
    expect(h.logLines.join('\n')).not.toContain('BODY-MARKER');
  });
});

describe('webhook acceptance', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startOwnerLookupHarness({ lots: 3 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('accepts a bearer token and a Tomt-ID, and joins a repeat request within the window', async () => {
    const send = () =>
      fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}` },
        body: JSON.stringify({ tomtId: h.lots[0]!.tomtId, requestedBy: 'kari@example.no', baseId: BASE_ID }),
      });
    const first = (await (await send()).json()) as { jobId: number; joined: boolean };
    expect(first.joined).toBe(false);
    await idleWithin(h.service.queue);
    const again = await send();
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ jobId: first.jobId, joined: true, state: 'done' });
    expect(listAudit(h.db)).toHaveLength(1);
  });

  it('offers the button-field page on GET without starting a lookup, and starts it on submit', async () => {
    const lot = h.lots[2]!;
    const link = `${h.url}/link?recordId=${lot.recordId}&key=${LINK_KEY}`;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain(`Hent eiere for ${lot.tomtId}`);
    expect(listAudit(h.db).some((a) => a.tomtId === lot.tomtId)).toBe(false);

    expect((await fetch(`${h.url}/link?recordId=${lot.recordId}&key=wrong`)).status).toBe(401);
    const form = new URLSearchParams({ recordId: lot.recordId, key: LINK_KEY, requestedBy: 'Per Selger' });
    const started = await fetch(`${h.url}/link`, { method: 'POST', body: form });
    expect(started.status).toBe(202);
    expect(await started.text()).toContain('Eieroppslag startet');
    await idleWithin(h.service.queue);
    expect(listAudit(h.db).find((a) => a.tomtId === lot.tomtId)).toMatchObject({
      requestedBy: 'Per Selger',
      outcome: 'done',
    });
  });
});

describe('without Matrikkel credentials', () => {
  it('answers 503 "not-configured", tells the lot, audits it and reports it on health', async () => {
    const h = await startOwnerLookupHarness({ lots: 1, matrikkelConfigured: false });
    try {
      const lot = h.lots[0]!;
      const response = await h.post({ recordId: lot.recordId });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: 'not-configured',
        message: expect.stringContaining('MATRIKKEL_USERNAME'),
      });
      await idleWithin(h.service.queue);
      expect(h.airtable.read('Tomter', lot.recordId)).toMatchObject({
        [T.eieroppslag]: 'Ikke konfigurert',
        [T.eieroppslagMelding]: expect.stringContaining('mangler tilgang til Matrikkelen'),
      });
      expect(listAudit(h.db)).toEqual([
        expect.objectContaining({ outcome: 'not-configured', ownerCount: null }),
      ]);
      expect(h.double.calls).toEqual([]);
      expect(h.service.health()).toMatchObject({
        state: 'not-configured',
        matrikkel: { configured: false, reason: expect.stringContaining('MATRIKKEL_PASSWORD') },
        webhook: { hmac: true, bearer: true, link: true },
      });
    } finally {
      await h.close();
    }
  });
});
