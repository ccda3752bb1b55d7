import type { Request, RequestHandler, Response } from 'express';
import {
  CLOSED_TEXT,
  NO_PROXY_USER_TEXT,
  NOT_ALLOWED_TEXT,
  sendClosedPage,
  sendNoProxyUserPage,
  sendNotAllowedPage,
} from './access-pages.js';
import type { MapAccess, ProxySettings } from './map-access.js';
import { readCookie, SESSION_COOKIE, verifySession } from './session-cookie.js';

/** Who is asking: a team member (user null when access is open to all), or why they are not one. */
export type Caller =
  | { team: true; user: string | null }
  | { team: false; reason: 'closed' | 'no-session' | 'no-proxy-user' | 'not-allowed' };

export function callerOf(access: MapAccess, req: Request, now: Date): Caller {
  switch (access.mode) {
    case 'open':
      return { team: true, user: null };
    case 'closed':
      return { team: false, reason: 'closed' };
    case 'login': {
      const session = verifySession(access.login, readCookie(req.headers.cookie, SESSION_COOKIE), now);
      return session ? { team: true, user: session.user } : { team: false, reason: 'no-session' };
    }
    case 'proxy-header':
      return proxyCaller(access.proxy, req.get(access.proxy.header));
  }
}

/**
 * Lets the team through (the user name in `res.locals.user`) and answers everyone else: a
 * browser asking for a page is sent to the login page or shown why not, anything else gets JSON.
 */
export function requireTeam(access: MapAccess, now: () => Date = () => new Date()): RequestHandler {
  const basePath = access.mode === 'login' ? access.login.basePath : '';
  return (req, res, next) => {
    const caller = callerOf(access, req, now());
    if (caller.team) {
      res.locals.user = caller.user;
      return next();
    }
    res.set('Cache-Control', 'no-store');
    const page = wantsPage(req);
    switch (caller.reason) {
      case 'closed':
        return page ? sendClosedPage(res) : refuse(res, 403, 'map-access-not-configured', CLOSED_TEXT);
      case 'no-session':
        if (page)
          return res.redirect(303, `${basePath}/logg-inn?neste=${encodeURIComponent(req.originalUrl)}`);
        return refuse(res, 401, 'login-required', 'Logg inn for å se dette.', {
          login: `${basePath}/logg-inn`,
        });
      case 'no-proxy-user':
        return page ? sendNoProxyUserPage(res) : refuse(res, 401, 'no-proxy-user', NO_PROXY_USER_TEXT);
      case 'not-allowed':
        return page ? sendNotAllowedPage(res) : refuse(res, 403, 'not-allowed', NOT_ALLOWED_TEXT);
    }
  };
}

/**
 * The proxy's word is taken as it is; a value with a comma is refused, since that is what a
 * client-sent header looks like after a proxy that appends instead of replacing it.
 */
function proxyCaller(proxy: ProxySettings, header: string | undefined): Caller {
  const user = header?.trim() ?? '';
  if (!user || user.includes(',') || user.length > 256) return { team: false, reason: 'no-proxy-user' };
  if (proxy.users && !proxy.users.has(user)) return { team: false, reason: 'not-allowed' };
  return { team: true, user };
}

/** A browser navigating (it prefers HTML); scripts, `fetch` and the `/api/` routes get JSON. */
function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path.startsWith('/api/')) return false;
  return req.accepts(['json', 'html']) === 'html';
}

function refuse(res: Response, status: number, error: string, message: string, extra: object = {}): void {
  res.status(status).json({ error, message, ...extra });
}
