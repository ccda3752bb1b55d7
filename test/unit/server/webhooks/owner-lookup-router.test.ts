import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { LotParcels } from '../../../../sync/src/domain/lot-parcels.js';
import type { LookupRequest, OwnerLookupJob } from '../../../../sync/src/store/owner-lookup-jobs.js';
import {
  createOwnerLookupRouter,
  type OwnerLookupRouterDeps,
} from '../../../../sync/src/server/webhooks/owner-lookup.js';
import { signPayload } from '../../../../sync/src/server/webhooks/signature.js';
import { createLogger } from '../../../../sync/src/util/logger.js';

/**
 * The router on its own, with an in-memory lot register, queue and replay guard: the rules the
 * harness-based tests do not reach (configuration gaps, failing dependencies, log fields).
 */
const SECRET = 's'.repeat(16) + 'router-test-secret-0123456789';
const BEARER = 'b'.repeat(16) + 'router-test-bearer-0123456789';
const LINK_KEY = 'k'.repeat(16) + 'router-test-link-key-0123456789';
const NOW = Date.parse('2026-03-02T10:00:00Z');
const RECORD_ID = 'recA1b2C3d4E5f6G7';
const LOT: LotParcels = {
  tomtId: '3218-10/1-KpOmr1',
  recordId: RECORD_ID,
  kommunenummer: '3218',
  matrikkelenheter: [{ kommunenummer: '3218', gnr: 10, bnr: 1, fnr: 0, snr: 0 }],
  matrikkelenhetId: null,
};

interface Endpoint {
  url: string;
  queued: LookupRequest[];
  logs: Array<Record<string, unknown>>;
  remembered: Array<{ signature: string; expiresAt: Date }>;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const queuedJob = (id: number, request: LookupRequest): OwnerLookupJob => ({
  id,
  lot: request.lot,
  purpose: request.purpose,
  state: 'queued',
  leaseHolder: null,
  attempts: 0,
  nextAttemptAt: null,
  requestedAt: new Date(NOW).toISOString(),
  startedAt: null,
  finishedAt: null,
  ownerCount: null,
  message: null,
});

async function endpoint(
  change: Partial<OwnerLookupRouterDeps> = {},
  options: { parseJsonFirst?: boolean } = {},
): Promise<Endpoint> {
  const queued: LookupRequest[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const remembered: Endpoint['remembered'] = [];
  const router = createOwnerLookupRouter({
    auth: { secret: SECRET, bearerToken: BEARER, linkKey: LINK_KEY },
    corsDevOrigins: [],
    baseId: 'appTESTBASE000001',
    lots: {
      byRecordId: (id) => (id === RECORD_ID ? LOT : null),
      byTomtId: (id) => (id === LOT.tomtId ? LOT : null),
    },
    enqueue: (request) => {
      queued.push(request);
      return { job: queuedJob(queued.length, request), joined: false };
    },
    status: () => ({ configured: true, reason: null }),
    replay: {
      firstUse: (signature, expiresAt) => {
        const seen = remembered.some((r) => r.signature === signature);
        remembered.push({ signature, expiresAt });
        return !seen;
      },
    },
    defaultPurpose: 'Tomtekjøp',
    logger: createLogger({
      level: 'debug',
      format: 'json',
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    now: () => new Date(NOW),
    ...change,
  });
  const app = express();
  if (options.parseJsonFirst) app.use(express.json());
  app.use('/webhooks/owner-lookup', router);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/owner-lookup`, queued, logs, remembered };
}

const asBearer = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${BEARER}`, ...headers },
  body: JSON.stringify(body),
});

function signed(body: unknown, timestamp = Math.floor(NOW / 1000)): RequestInit {
  const raw = JSON.stringify(body);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tomtejakt-timestamp': String(timestamp),
      'x-tomtejakt-signature': signPayload(SECRET, String(timestamp), raw),
    },
    body: raw,
  };
}

async function refusal(response: Response) {
  return { status: response.status, ...((await response.json()) as { error: string; message: string }) };
}

describe('owner lookup webhook: authentication rules', () => {
  it('treats a call with only a timestamp header as signed: a valid bearer token does not rescue it', async () => {
    const e = await endpoint();
    const response = await fetch(
      e.url,
      asBearer({ recordId: RECORD_ID }, { 'x-tomtejakt-timestamp': String(NOW / 1000) }),
    );
    expect(await refusal(response)).toMatchObject({ status: 401, error: 'signature-missing' });
    expect(e.queued).toEqual([]);
  });

  it('refuses signed calls when only a bearer token is configured', async () => {
    const e = await endpoint({ auth: { bearerToken: BEARER } });
    expect(await refusal(await fetch(e.url, signed({ recordId: RECORD_ID })))).toMatchObject({
      status: 401,
      error: 'signature-not-accepted',
    });
    expect((await fetch(e.url, asBearer({ recordId: RECORD_ID }))).status).toBe(202);
  });

  it('answers 503 while neither a secret nor a token is configured, and keeps the link switched off', async () => {
    const e = await endpoint({ auth: {} });
    expect(await refusal(await fetch(e.url, asBearer({ recordId: RECORD_ID })))).toMatchObject({
      status: 503,
      error: 'webhook-not-configured',
    });
    const link = await fetch(`${e.url}/link?recordId=${RECORD_ID}&key=${LINK_KEY}`);
    expect(link.status).toBe(404);
    expect(await link.text()).toContain('Ikke i bruk');
    expect(e.queued).toEqual([]);
  });

  it('remembers an accepted signature until a minute after its timestamp leaves the window', async () => {
    const timestamp = Math.floor(NOW / 1000) - 120;
    const e = await endpoint();
    expect((await fetch(e.url, signed({ recordId: RECORD_ID }, timestamp))).status).toBe(202);
    expect(e.remembered).toHaveLength(1);
    expect(e.remembered[0]!.expiresAt.getTime()).toBe((timestamp + 300 + 60) * 1000);
    expect(e.queued).toMatchObject([{ via: 'hmac', purpose: 'Tomtekjøp', requestedBy: null }]);
  });
});

describe('owner lookup webhook: failures around the request', () => {
  it('answers 503, not 404, when the lot register cannot be read, and logs why without the body', async () => {
    const e = await endpoint({
      lots: {
        byRecordId: () => Promise.reject(new Error('SQLITE_BUSY: database is locked')),
        byTomtId: () => null,
      },
    });
    const response = await fetch(e.url, asBearer({ recordId: RECORD_ID, purpose: 'Kari Nordmann' }));
    expect(await refusal(response)).toMatchObject({ status: 503, error: 'lots-unavailable' });
    expect(e.logs).toEqual([
      expect.objectContaining({ level: 'error', error: 'SQLITE_BUSY: database is locked' }),
      expect.objectContaining({ level: 'warn', status: 503, reason: 'lots-unavailable', auth: 'bearer' }),
    ]);
    expect(JSON.stringify(e.logs)).not.toContain('Kari Nordmann');
  });

  it('logs how the caller authenticated when a later step refuses', async () => {
    const e = await endpoint();
    await fetch(e.url, asBearer({ recordId: RECORD_ID, baseId: 'appOTHERBASE00001' }));
    await fetch(e.url, signed({ tomtId: '3218-99/9-KpOmr9' }));
    expect(e.logs.map((l) => [l.reason, l.auth])).toEqual([
      ['wrong-base', 'bearer'],
      ['not-a-lot', 'hmac'],
    ]);
  });

  it('refuses with 500 when a body parser ran first: the signature needs the raw bytes', async () => {
    const e = await endpoint({}, { parseJsonFirst: true });
    expect(await refusal(await fetch(e.url, asBearer({ recordId: RECORD_ID })))).toMatchObject({
      status: 500,
      error: 'misconfigured',
    });
    expect(e.logs[0]).toMatchObject({ level: 'error', msg: expect.stringContaining('before body parsers') });
    expect(e.queued).toEqual([]);
  });

  it('refuses a body in an encoding it cannot read as 400 unreadable-body', async () => {
    const e = await endpoint();
    const response = await fetch(
      e.url,
      asBearer({ recordId: RECORD_ID }, { 'content-encoding': 'x-snappy' }),
    );
    expect(await refusal(response)).toMatchObject({ status: 400, error: 'unreadable-body' });
  });

  it('answers 500 "internal" when queueing fails, naming no cause to the caller', async () => {
    const e = await endpoint({
      enqueue: () => {
        throw new Error('SQLITE_FULL: database or disk is full');
      },
    });
    const response = await fetch(e.url, asBearer({ recordId: RECORD_ID }));
    expect(await refusal(response)).toEqual({
      status: 500,
      error: 'internal',
      message: 'the request could not be queued',
    });
    expect(e.logs).toEqual([
      expect.objectContaining({ level: 'error', error: expect.stringContaining('SQLITE_FULL') }),
    ]);
  });

  it('gives an accepted call from an Airtable extension its CORS header', async () => {
    const e = await endpoint();
    const origin = 'https://block--abc123.alt.airtableblocks.com';
    const response = await fetch(e.url, asBearer({ recordId: RECORD_ID }, { origin }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });
});

describe('owner lookup link', () => {
  it('asks for a name before starting, and trims the one it gets', async () => {
    const e = await endpoint();
    const post = (requestedBy: string) =>
      fetch(`${e.url}/link`, {
        method: 'POST',
        body: new URLSearchParams({ recordId: RECORD_ID, key: LINK_KEY, requestedBy }),
      });
    const unnamed = await post('   ');
    expect(unnamed.status).toBe(400);
    expect(await unnamed.text()).toContain('Mangler navn');
    expect(e.queued).toEqual([]);
    expect((await post('  Per Selger ')).status).toBe(202);
    expect(e.queued).toMatchObject([{ requestedBy: 'Per Selger', via: 'link', purpose: 'Tomtekjøp' }]);
  });

  it('refuses a record id that is not one without echoing it', async () => {
    const e = await endpoint();
    const response = await fetch(
      `${e.url}/link?recordId=${encodeURIComponent('<script>x</script>')}&key=${LINK_KEY}`,
    );
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('<script>');
    expect(e.logs).toEqual([expect.objectContaining({ status: 404, reason: 'not a lot' })]);
  });
});
