import type { Request } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticate, type WebhookAuth } from '../../../../sync/src/server/webhooks/authenticate.js';
import { Refusal } from '../../../../sync/src/server/webhooks/refusal.js';
import { SIGNATURE_TOLERANCE_SECONDS, signPayload } from '../../../../sync/src/server/webhooks/signature.js';
import { openStore, type Db } from '../../../../sync/src/store/database.js';
import { createStoreReplayGuard } from '../../../../sync/src/store/owner-webhook-replay.js';

const SECRET = 'hmac-secret-for-tests';
const TOKEN = 'bearer-token-for-tests';
const START = 1_788_000_000;
const raw = Buffer.from('{"recordId":"rec00000000000001","purpose":"tomtesalg"}');

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

/** An authenticator over a real replay store, with a clock the test moves (unix seconds). */
function setup(auth: WebhookAuth) {
  db = openStore(':memory:');
  const clock = { seconds: START };
  const now = () => new Date(clock.seconds * 1000);
  const by = { auth, replay: createStoreReplayGuard(db, now), now };
  const call = (headers: Record<string, string | undefined>) =>
    authenticate(by, { headers } as unknown as Request, raw);
  return { clock, call };
}

const signed = (timestamp = String(START), secret = SECRET) => ({
  'x-tomtejakt-timestamp': timestamp,
  'x-tomtejakt-signature': signPayload(secret, timestamp, raw),
});

function refusal(fn: () => unknown): Refusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('the call was accepted');
}

describe('webhook authentication', () => {
  it('answers 503 naming both settings when the service has neither a secret nor a token', () => {
    const { call } = setup({});
    const r = refusal(() => call({ authorization: `Bearer ${TOKEN}` }));
    expect(r).toMatchObject({ status: 503, code: 'webhook-not-configured' });
    expect(r.message).toMatch(/WEBHOOK_SECRET/);
    expect(r.message).toMatch(/WEBHOOK_BEARER_TOKEN/);
  });

  it('accepts a signed call once, and refuses it again even with the signature in upper case', () => {
    const { call } = setup({ secret: SECRET });
    const headers = signed();
    expect(call(headers)).toBe('hmac');
    expect(refusal(() => call(headers))).toMatchObject({ status: 401, code: 'signature-replayed' });
    const upper = {
      ...headers,
      'x-tomtejakt-signature': `sha256=${headers['x-tomtejakt-signature'].slice(7).toUpperCase()}`,
    };
    expect(refusal(() => call(upper))).toMatchObject({ status: 401, code: 'signature-replayed' });
  });

  it('still refuses a replay at the last second its timestamp is accepted', () => {
    const { clock, call } = setup({ secret: SECRET });
    const headers = signed();
    expect(call(headers)).toBe('hmac');
    clock.seconds = START + SIGNATURE_TOLERANCE_SECONDS;
    expect(refusal(() => call(headers))).toMatchObject({ code: 'signature-replayed' });
    clock.seconds += 1;
    expect(refusal(() => call(headers))).toMatchObject({ code: 'signature-stale' });
  });

  it('refuses a signature made with another secret, or a stale one, with the reason', () => {
    const { call } = setup({ secret: SECRET });
    expect(refusal(() => call(signed(String(START), 'another secret')))).toMatchObject({
      status: 401,
      code: 'signature-mismatch',
    });
    const old = String(START - SIGNATURE_TOLERANCE_SECONDS - 1);
    expect(refusal(() => call(signed(old)))).toMatchObject({ status: 401, code: 'signature-stale' });
  });

  it('does not let a half-signed call through on a valid bearer token', () => {
    const { call } = setup({ secret: SECRET, bearerToken: TOKEN });
    const { 'x-tomtejakt-timestamp': timestamp, 'x-tomtejakt-signature': signature } = signed();
    const bearer = `Bearer ${TOKEN}`;
    for (const half of [{ 'x-tomtejakt-timestamp': timestamp }, { 'x-tomtejakt-signature': signature }]) {
      expect(refusal(() => call({ ...half, authorization: bearer }))).toMatchObject({
        status: 401,
        code: 'signature-missing',
      });
    }
    expect(call({ authorization: bearer })).toBe('bearer');
  });

  it('refuses signed calls, with the reason, when the service only has a bearer token', () => {
    const { call } = setup({ bearerToken: TOKEN });
    const r = refusal(() => call({ ...signed(), authorization: `Bearer ${TOKEN}` }));
    expect(r).toMatchObject({ status: 401, code: 'signature-not-accepted' });
    expect(r.message).toMatch(/does not accept signed requests/);
  });

  it('accepts the right bearer token only, and none when the service has no token', () => {
    const { call } = setup({ secret: SECRET, bearerToken: TOKEN });
    expect(call({ authorization: `bearer  ${TOKEN} ` })).toBe('bearer');
    expect(refusal(() => call({ authorization: `Bearer ${TOKEN}x` }))).toMatchObject({
      status: 401,
      code: 'bad-token',
    });
    db?.close();
    const secretOnly = setup({ secret: SECRET });
    expect(refusal(() => secretOnly.call({ authorization: `Bearer ${TOKEN}` }))).toMatchObject({
      status: 401,
      code: 'bad-token',
    });
  });

  it('tells an unauthenticated caller both ways to prove itself', () => {
    const { call } = setup({ secret: SECRET, bearerToken: TOKEN });
    for (const headers of [{}, { authorization: `Basic ${TOKEN}` }]) {
      const r = refusal(() => call(headers));
      expect(r).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect(r.message).toMatch(/x-tomtejakt-signature.*x-tomtejakt-timestamp.*Bearer/);
    }
  });
});
