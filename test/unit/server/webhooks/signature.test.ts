import { describe, expect, it } from 'vitest';
import {
  bearerToken,
  secretMatches,
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  signPayload,
  TIMESTAMP_HEADER,
  verifySignature,
} from '../../../../sync/src/server/webhooks/signature.js';

const SECRET = 'webhook-secret-for-tests';
const NOW = 1_788_000_000;
const body = Buffer.from('{"recordId":"rec00000000000001"}');

/** Signs `body` at `timestamp` (as sent) and verifies it at `now`. */
function check(timestamp: string, options: { signature?: string; now?: number } = {}) {
  const signature = options.signature ?? signPayload(SECRET, timestamp, body);
  return verifySignature(SECRET, { signature, timestamp }, body, options.now ?? NOW);
}

describe('webhook signature', () => {
  it('accepts a fresh signature over the timestamp and body, as the caller signs it', () => {
    expect(check(String(NOW))).toEqual({
      ok: true,
      signature: signPayload(SECRET, String(NOW), body),
      timestamp: NOW,
    });
  });

  it('names both headers when either is missing', () => {
    const timestamp = String(NOW);
    const signature = signPayload(SECRET, timestamp, body);
    for (const headers of [{ signature }, { timestamp }, {}]) {
      const result = verifySignature(SECRET, headers, body, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'missing' });
      expect(!result.ok && result.message).toContain(SIGNATURE_HEADER);
      expect(!result.ok && result.message).toContain(TIMESTAMP_HEADER);
    }
  });

  it('refuses a timestamp in milliseconds, with a fraction, a sign or padding as malformed, not stale', () => {
    const padded = `00${NOW}`; // twelve digits, yet the same instant
    for (const timestamp of [String(NOW * 1000), `${NOW}.5`, `+${NOW}`, ` ${NOW}`, `${NOW} `, padded]) {
      expect(check(timestamp), timestamp).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('refuses a signature header with anything before or after the one sha256 value', () => {
    const good = signPayload(SECRET, String(NOW), body);
    const other = signPayload('another secret', String(NOW), body);
    for (const signature of [`v1,${good}`, ` ${good}`, `${good},${other}`, `${good} `, `${good}00`]) {
      expect(check(String(NOW), { signature }), signature).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts a timestamp exactly at either edge of the window and refuses one a second beyond', () => {
    const edge = SIGNATURE_TOLERANCE_SECONDS;
    expect(check(String(NOW - edge))).toMatchObject({ ok: true });
    expect(check(String(NOW + edge))).toMatchObject({ ok: true });
    expect(check(String(NOW - edge - 1))).toMatchObject({ ok: false, reason: 'stale' });
    expect(check(String(NOW + edge + 1))).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('measures the window against the fractional clock the server passes in', () => {
    // 300.5 s old is outside the window even though the whole seconds differ by 300.
    expect(check(String(NOW), { now: NOW + SIGNATURE_TOLERANCE_SECONDS + 0.5 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('accepts an upper-case hex signature and returns it in the one form signPayload makes', () => {
    const timestamp = String(NOW);
    const lower = signPayload(SECRET, timestamp, body);
    const upper = `sha256=${lower.slice(7).toUpperCase()}`;
    expect(check(timestamp, { signature: upper })).toEqual({ ok: true, signature: lower, timestamp: NOW });
    expect(check(timestamp, { signature: `SHA256=${lower.slice(7)}` })).toMatchObject({
      ok: true,
      signature: lower,
    });
  });

  it('refuses a signature that differs in one digit, or that was made for another timestamp', () => {
    const timestamp = String(NOW);
    const good = signPayload(SECRET, timestamp, body);
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    expect(check(timestamp, { signature: flipped })).toMatchObject({ ok: false, reason: 'mismatch' });
    const forOther = signPayload(SECRET, String(NOW - 1), body);
    expect(check(timestamp, { signature: forOther })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('uses the first value of a header sent twice', () => {
    const timestamp = String(NOW);
    const good = signPayload(SECRET, timestamp, body);
    const result = verifySignature(
      SECRET,
      { signature: [good, 'sha256=' + '0'.repeat(64)], timestamp: [timestamp, '1'] },
      body,
      NOW,
    );
    expect(result).toMatchObject({ ok: true, timestamp: NOW });
  });
});

describe('shared secrets', () => {
  it('matches only the same secret', () => {
    expect(secretMatches('s3cret-token', 's3cret-token')).toBe(true);
    expect(secretMatches('s3cret-token', 's3cret-tokem')).toBe(false);
    expect(secretMatches('s3cret', 's3cret-token')).toBe(false);
  });

  it('never matches a missing or empty secret, even against an empty one', () => {
    expect(secretMatches(undefined, 's3cret-token')).toBe(false);
    expect(secretMatches('', 's3cret-token')).toBe(false);
    expect(secretMatches('', '')).toBe(false);
  });
});

describe('bearer token', () => {
  it('reads the token after "Bearer", in any case, with any spacing around it', () => {
    expect(bearerToken('Bearer abc.DEF-123')).toBe('abc.DEF-123');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Bearer   abc')).toBe('abc');
    expect(bearerToken('Bearer\tabc')).toBe('abc');
    expect(bearerToken('Bearer abc  ')).toBe('abc');
  });

  it('finds no token in a missing header, another scheme, or a value with two words', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Token Bearer abc')).toBeUndefined();
    expect(bearerToken('Bearerabc')).toBeUndefined();
    expect(bearerToken('Bearer abc def')).toBeUndefined();
  });
});
