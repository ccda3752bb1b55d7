import { beforeAll, describe, expect, it } from 'vitest';
import { mapAccessOf } from '../../../sync/src/app/map-access.js';
import { loadEnv, secretsOf } from '../../../sync/src/config/env.js';
import { ConfigError } from '../../../sync/src/util/errors.js';
import { hashPassword } from '../../../sync/src/util/password-hash.js';

const SECRET = 'm'.repeat(16) + 'map-session-secret-for-tests-0123';
let kari: string;
let per: string;

beforeAll(async () => {
  kari = `kari:${await hashPassword('kari sitt lange passord', { N: 2 ** 14, r: 8, p: 1 })}`;
  per = `per@firma.no:${await hashPassword('pers lange passord', { N: 2 ** 14, r: 8, p: 1 })}`;
});

const load = (source: Record<string, string>) => loadEnv({ source });

/** The configuration error a start with `source` stops at: "Configuration KEY: why". */
function refusal(source: Record<string, string>): string {
  try {
    load(source);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return 'accepted';
}

const login = (extra: Record<string, string> = {}) => ({
  MAP_ACCESS: 'login',
  MAP_USERS: `${kari},${per}`,
  MAP_SESSION_SECRET: SECRET,
  ...extra,
});

describe('map access in .env', () => {
  it('is none by default, and open or closed by PUBLIC_BASE_URL', () => {
    const env = load({});
    expect(env.MAP_ACCESS).toBe('none');
    expect(mapAccessOf(env)).toEqual({ mode: 'open' });
    expect(mapAccessOf(load({ MAP_ACCESS: '', PUBLIC_BASE_URL: 'https://tomtejakt.example.no' }))).toEqual({
      mode: 'closed',
    });
  });

  it('reads a login set-up: users with their hashes, the session, a secure cookie under https', () => {
    const env = load(
      login({ PUBLIC_BASE_URL: 'https://firma.example.no/tomtejakt/', MAP_SESSION_HOURS: '8' }),
    );
    expect(env.MAP_USERS!.map((u) => u.user)).toEqual(['kari', 'per@firma.no']);
    expect(env.MAP_USERS![0]!.hash).toMatchObject({ N: 16384, r: 8, p: 1 });
    const access = mapAccessOf(env);
    expect(access.mode).toBe('login');
    if (access.mode !== 'login') return;
    expect([...access.login.users.keys()]).toEqual(['kari', 'per@firma.no']);
    expect(access.login).toMatchObject({
      sessionSecret: SECRET,
      sessionHours: 8,
      secureCookie: true,
      basePath: '/tomtejakt',
    });
    const plain = mapAccessOf(load(login({ PUBLIC_BASE_URL: 'http://10.0.0.5:3000' })));
    expect(plain.mode === 'login' && plain.login).toMatchObject({
      secureCookie: false,
      basePath: '',
      sessionHours: 12,
    });
  });

  it('keeps the session secret out of logs', () => {
    expect(secretsOf(load(login()))).toContain(SECRET);
  });

  it('stops at start naming the key when login lacks what it needs', () => {
    expect(refusal({ MAP_ACCESS: 'login', MAP_SESSION_SECRET: SECRET })).toBe(
      'Configuration MAP_USERS: is required with MAP_ACCESS=login: add entries made by `tomtejakt map-user <name>`',
    );
    expect(refusal(login({ MAP_SESSION_SECRET: '' }))).toBe(
      'Configuration MAP_SESSION_SECRET: is required with MAP_ACCESS=login (use `openssl rand -hex 32`)',
    );
    expect(refusal(login({ MAP_SESSION_SECRET: 'kort' }))).toBe(
      'Configuration MAP_SESSION_SECRET: must be at least 32 characters (use `openssl rand -hex 32`)',
    );
    expect(refusal(login({ MAP_SESSION_HOURS: '0' }))).toBe(
      'Configuration MAP_SESSION_HOURS: must be at least 1',
    );
    expect(refusal({ MAP_ACCESS: 'passord' })).toBe(
      'Configuration MAP_ACCESS: must be none, login or proxy-header',
    );
  });

  it('names the MAP_USERS entry that is wrong, and never echoes a hash', () => {
    const broken = kari.replace('scrypt.16384', 'scrypt.16000');
    const message = refusal(login({ MAP_USERS: `${per},${broken}` }));
    expect(message).toBe(
      'Configuration MAP_USERS: entry 2: the password hash of "kari" is not usable: N must be a power of two, e.g. 32768',
    );
    expect(message).not.toContain(broken.split('.')[5]);
    expect(refusal(login({ MAP_USERS: 'kari' }))).toMatch(
      /^Configuration MAP_USERS: entry 1: expected name:hash, where the name is letters/,
    );
    expect(refusal(login({ MAP_USERS: `${kari}, ${kari}` }))).toBe(
      'Configuration MAP_USERS: entry 2: "kari" is listed twice',
    );
    expect(refusal(login({ MAP_USERS: `kari:${kari.slice(5).replace(/^scrypt/, 'md5')}` }))).toMatch(
      /^Configuration MAP_USERS: entry 1: the password hash of "kari" is not usable: expected scrypt\.<N>/,
    );
    expect(refusal(login({ MAP_USERS: `kari ola:${kari.slice(5)}` }))).toMatch(/entry 1: expected name:hash/);
  });

  it('needs the header name with proxy-header, and a header name that is one', () => {
    expect(refusal({ MAP_ACCESS: 'proxy-header' })).toBe(
      'Configuration MAP_PROXY_HEADER: is required with MAP_ACCESS=proxy-header: the header your proxy sets, e.g. X-Forwarded-User',
    );
    expect(refusal({ MAP_ACCESS: 'proxy-header', MAP_PROXY_HEADER: 'X Forwarded User' })).toBe(
      'Configuration MAP_PROXY_HEADER: must be an HTTP header name such as X-Forwarded-User',
    );
    const access = mapAccessOf(
      load({
        MAP_ACCESS: 'proxy-header',
        MAP_PROXY_HEADER: 'X-Forwarded-User',
        MAP_PROXY_USERS: 'kari, per',
      }),
    );
    expect(access).toEqual({
      mode: 'proxy-header',
      proxy: { header: 'X-Forwarded-User', users: new Set(['kari', 'per']) },
    });
  });

  it('refuses users or a proxy header left without a mode to use them', () => {
    expect(refusal({ MAP_USERS: kari })).toBe(
      'Configuration MAP_USERS: is set but MAP_ACCESS is none: set MAP_ACCESS=login to use it',
    );
    expect(refusal({ MAP_PROXY_HEADER: 'X-Forwarded-User' })).toBe(
      'Configuration MAP_PROXY_HEADER: is set but MAP_ACCESS is none: set MAP_ACCESS=proxy-header to use it',
    );
  });

  it('wants PUBLIC_BASE_URL as a URL (the cookie is Secure by its scheme)', () => {
    expect(refusal({ PUBLIC_BASE_URL: 'tomtejakt.example.no' })).toBe(
      'Configuration PUBLIC_BASE_URL: must be an http(s) URL such as https://tomtejakt.example.no',
    );
  });

  it('takes TRUST_PROXY as hops or addresses, never as "trust everyone"', () => {
    expect(load({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8,' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(load({}).TRUST_PROXY).toBeUndefined();
    for (const value of ['true', '*', '10.0.0.0/33', '300.1.1.1', 'loopback,*', '11'])
      expect(refusal({ TRUST_PROXY: value }), value).toMatch(
        /^Configuration TRUST_PROXY: must be a hop count/,
      );
  });
});
