import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions } from 'express';
import type { LoginSettings } from './map-access.js';

/**
 * The login session: a stateless cookie `<user>.<expires>.<mac>` (user in base64url, expiry in
 * unix seconds, HMAC-SHA256 under MAP_SESSION_SECRET). Nothing is stored on the server, so a new
 * secret logs everyone out; the MAC also covers the user's password hash, so a new password (or
 * a user taken out of MAP_USERS) ends that user's sessions.
 */
export const SESSION_COOKIE = 'tomtejakt_okt';

export interface Session {
  user: string;
  expires: Date;
}

export function signSession(login: LoginSettings, user: string, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + login.sessionHours * 3600;
  const body = `${Buffer.from(user, 'utf8').toString('base64url')}.${expires}`;
  const signature = mac(login, body, user);
  if (!signature) throw new Error(`no map user ${user} to sign a session for`);
  return `${body}.${signature}`;
}

/** The session a cookie value proves, or null when it is malformed, forged, expired or outlived its user. */
export function verifySession(login: LoginSettings, token: string | undefined, now: Date): Session | null {
  const parts = /^([A-Za-z0-9_-]{1,400})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
  if (!parts) return null;
  const [, encodedUser = '', expiresText = '', given = ''] = parts;
  const user = Buffer.from(encodedUser, 'base64url').toString('utf8');
  const expected = mac(login, `${encodedUser}.${expiresText}`, user);
  if (!expected || !timingSafeEqual(Buffer.from(given, 'base64url'), Buffer.from(expected, 'base64url')))
    return null;
  const expires = Number(expiresText) * 1000;
  // A cookie signed when MAP_SESSION_HOURS was longer ends at the current limit.
  const latest = now.getTime() + login.sessionHours * 3600 * 1000;
  if (expires <= now.getTime() || expires > latest) return null;
  return { user, expires: new Date(expires) };
}

export function sessionCookieOptions(login: LoginSettings): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: login.secureCookie,
    path: login.basePath || '/',
    maxAge: login.sessionHours * 3600 * 1000,
  };
}

/** One cookie's value from a Cookie header (no cookie parser is installed). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

function mac(login: LoginSettings, body: string, user: string): string | null {
  const hash = login.users.get(user);
  if (!hash) return null;
  return createHmac('sha256', login.sessionSecret)
    .update('tomtejakt map session v1\n')
    .update(`${body}\n`)
    .update(hash.key)
    .digest('base64url');
}
