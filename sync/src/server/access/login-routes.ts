import { randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import type { Logger } from '../../util/logger.js';
import { verifyPassword, type PasswordHash } from '../../util/password-hash.js';
import { sendLoginPage } from './access-pages.js';
import type { LoginSettings } from './map-access.js';
import { returnPath } from './return-path.js';
import {
  readCookie,
  SESSION_COOKIE,
  sessionCookieOptions,
  signSession,
  verifySession,
} from './session-cookie.js';

export interface LoginRoutesDeps {
  logger?: Logger | undefined;
  now: () => Date;
  /** Failed logins one address may make in a minute before it must wait (10). */
  maxFailures?: number;
}

/** The form as the login page posts it: where to go after, and the name typed. */
const formOf = (req: Request) => {
  const form = (req.body ?? {}) as Record<string, unknown>;
  return {
    form,
    next: returnPath(form.neste),
    user: typeof form.bruker === 'string' ? form.bruker.trim() : '',
  };
};

/**
 * Failed logins per address (express-rate-limit, a one-minute window; a login that succeeds is not
 * counted): past the limit the address waits for the window to end, and its guesses are not even
 * checked (scrypt is dear).
 */
function failedLoginLimit(deps: LoginRoutesDeps): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: deps.maxFailures ?? 10,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req, res) => {
      const resetAt =
        (req as Partial<AugmentedRequest>).rateLimit?.resetTime?.getTime() ?? Date.now() + 60_000;
      const wait = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      deps.logger?.warn('Map login refused: too many failed attempts', {
        address: req.ip,
        retryAfterSeconds: wait,
      });
      res.set('Retry-After', String(wait));
      const { next, user } = formOf(req);
      sendLoginPage(res, 429, { next, user, notice: 'too-many' });
    },
  });
}

/**
 * `GET|POST /logg-inn` and `GET|POST /logg-ut`. A failed login answers 401 with the form again;
 * the tenth failure from one address within a minute makes it wait (429) before its next guess
 * is even checked. Log lines name the user on success and the address on failure, never a
 * password, and never the name typed on failure (it is sometimes the password, typed one field
 * too early).
 */
export function loginRoutes(login: LoginSettings, deps: LoginRoutesDeps): Router {
  const router = express.Router();
  const decoy = decoyHash(login);
  const back = (res: Response, next: string) => res.redirect(303, `${login.basePath}${next}`);
  const sessionOf = (req: Request) =>
    verifySession(login, readCookie(req.headers.cookie, SESSION_COOKIE), deps.now());

  router.get('/logg-inn', (req, res) => {
    const next = returnPath(req.query.neste);
    if (sessionOf(req)) return back(res, next);
    sendLoginPage(res, 200, { next, notice: req.query.ut === '1' ? 'logged-out' : null });
  });
  const readForm = express.urlencoded({ extended: false, limit: '4kb' });
  router.post('/logg-inn', readForm, failedLoginLimit(deps), async (req, res) => {
    const { form, next, user } = formOf(req);
    const address = req.ip ?? 'unknown';
    const hash = login.users.get(user);
    // An unknown name costs the same scrypt as a known one, so timing does not tell which names exist.
    const matches = await verifyPassword(typeof form.passord === 'string' ? form.passord : '', hash ?? decoy);
    if (!hash || !matches) {
      deps.logger?.warn('Map login failed', { address });
      return sendLoginPage(res, 401, { next, user, notice: 'wrong' });
    }
    res.cookie(SESSION_COOKIE, signSession(login, user, deps.now()), sessionCookieOptions(login));
    deps.logger?.info('Map login', { user });
    back(res, next);
  });
  const logout = (req: Request, res: Response) => {
    const session = sessionOf(req);
    if (session) deps.logger?.info('Map logout', { user: session.user });
    // express leaves out Max-Age when clearing, so the cookie expires at once.
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(login)).set('Cache-Control', 'no-store');
    back(res, '/logg-inn?ut=1');
  };
  router.get('/logg-ut', logout);
  router.post('/logg-ut', logout);
  return router;
}

/** A hash no password matches, as dear to check as the users' own. */
function decoyHash(login: LoginSettings): PasswordHash {
  const [model] = login.users.values();
  return {
    N: model?.N ?? 2 ** 15,
    r: model?.r ?? 8,
    p: model?.p ?? 3,
    salt: randomBytes(16),
    key: randomBytes(32),
  };
}
