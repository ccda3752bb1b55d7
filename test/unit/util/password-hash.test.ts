import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COST,
  formatPasswordHash,
  hashPassword,
  parsePasswordHash,
  verifyPassword,
} from '../../../sync/src/util/password-hash.js';

/** The cheapest cost the parser accepts (16 MiB), so the tests stay quick. */
const CHEAP = { N: 2 ** 14, r: 8, p: 1 };

describe('map password hashes (scrypt)', () => {
  it('verifies the password it was made from and no other', async () => {
    const text = await hashPassword('blåbærsyltetøy på vaffel', CHEAP);
    expect(text).toMatch(/^scrypt\.16384\.8\.1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const hash = parsePasswordHash(text);
    expect(await verifyPassword('blåbærsyltetøy på vaffel', hash)).toBe(true);
    expect(await verifyPassword('blåbærsyltetøy på vaffeL', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash, so one password never gives the same text twice', async () => {
    const [a, b] = await Promise.all([
      hashPassword('samme passord', CHEAP),
      hashPassword('samme passord', CHEAP),
    ]);
    expect(a).not.toBe(b);
  });

  it('takes å typed composed or decomposed as the same password', async () => {
    const hash = parsePasswordHash(await hashPassword('Ås kommune 2026', CHEAP));
    expect(await verifyPassword('A\u030as kommune 2026', hash)).toBe(true);
  });

  it('uses the default cost (N=2^15, r=8, p=3) when given none, and reads it back from the text', async () => {
    const hash = parsePasswordHash(await hashPassword('standardkostnad'));
    expect({ N: hash.N, r: hash.r, p: hash.p }).toEqual(DEFAULT_COST);
    expect(hash.salt).toHaveLength(16);
    expect(hash.key).toHaveLength(32);
    expect(formatPasswordHash(hash)).toBe(formatPasswordHash(parsePasswordHash(formatPasswordHash(hash))));
  });

  it('refuses texts that are not a usable hash, saying why', async () => {
    const good = (await hashPassword('et passord', CHEAP)).split('.');
    const withPart = (i: number, value: string) => good.map((p, j) => (j === i ? value : p)).join('.');
    const problem = (text: string) => {
      try {
        parsePasswordHash(text);
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problem(good.join('$'))).toMatch(/expected scrypt\.<N>/);
    expect(problem(withPart(0, 'bcrypt'))).toMatch(/expected scrypt\.<N>/);
    expect(problem(good.slice(0, 5).join('.'))).toMatch(/expected scrypt\.<N>/);
    expect(problem(withPart(1, '16000'))).toMatch(/power of two/);
    expect(problem(withPart(1, '016384'))).toMatch(/whole numbers/);
    expect(problem(withPart(1, '1024'))).toMatch(/too low/);
    expect(problem(withPart(1, String(2 ** 20)))).toMatch(/too high/);
    expect(problem(withPart(3, '17'))).toMatch(/p must be 1 to 16/);
    expect(problem(withPart(4, 'c2FsdA'))).toMatch(/salt must be at least 16 bytes/);
    expect(problem(withPart(4, 'not+base64/url'))).toMatch(/salt/);
    expect(problem(withPart(5, 'a2V5'))).toMatch(/key must be 16 to 64 bytes/);
    expect(problem(good.join('.'))).toBe('accepted');
  });
});
