import type { Env } from '../config/env.js';
import type { MapAccess } from '../server/access/map-access.js';
import { ConfigError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

/**
 * MAP_ACCESS as the server applies it. Unset (or `none`) is open on a laptop, but closed once
 * PUBLIC_BASE_URL says the service is reachable from outside: the webhooks must work there, the
 * company's lots must not be readable by anyone who finds the address.
 */
export function mapAccessOf(env: Env): MapAccess {
  const base = env.PUBLIC_BASE_URL ? new URL(env.PUBLIC_BASE_URL) : null;
  switch (env.MAP_ACCESS) {
    case 'login':
      if (!env.MAP_USERS?.length || !env.MAP_SESSION_SECRET)
        throw new ConfigError('MAP_ACCESS', 'login needs MAP_USERS and MAP_SESSION_SECRET');
      return {
        mode: 'login',
        login: {
          users: new Map(env.MAP_USERS.map((u) => [u.user, u.hash] as const)),
          sessionSecret: env.MAP_SESSION_SECRET,
          sessionHours: env.MAP_SESSION_HOURS,
          secureCookie: base?.protocol === 'https:',
          basePath: base ? base.pathname.replace(/\/+$/, '') : '',
        },
      };
    case 'proxy-header':
      if (!env.MAP_PROXY_HEADER) throw new ConfigError('MAP_ACCESS', 'proxy-header needs MAP_PROXY_HEADER');
      return {
        mode: 'proxy-header',
        proxy: {
          header: env.MAP_PROXY_HEADER,
          users: env.MAP_PROXY_USERS?.length ? new Set(env.MAP_PROXY_USERS) : null,
        },
      };
    case 'none':
      return base ? { mode: 'closed' } : { mode: 'open' };
  }
}

/** One line at start saying who can read the map, and a warning where that is nobody or everybody. */
export function logMapAccess(access: MapAccess, env: Env, logger: Logger): void {
  switch (access.mode) {
    case 'open':
      if (!isLoopback(env.HOST))
        logger.warn(
          `The map, the lots API and the kommune dashboard are open to anyone who reaches ${env.HOST}:${env.PORT} (MAP_ACCESS=none); set MAP_ACCESS to login or proxy-header`,
        );
      return;
    case 'closed':
      logger.warn(
        'The map, the lots API and the kommune dashboard answer 403: PUBLIC_BASE_URL is set but no map access is configured. ' +
          'Set MAP_ACCESS=login (with MAP_USERS and MAP_SESSION_SECRET) or MAP_ACCESS=proxy-header (with MAP_PROXY_HEADER). ' +
          '/health and the webhooks are served as usual',
      );
      return;
    case 'login':
      logger.info('Map access: login', {
        users: access.login.users.size,
        sessionHours: access.login.sessionHours,
      });
      if (env.PUBLIC_BASE_URL && !access.login.secureCookie)
        logger.warn(
          'PUBLIC_BASE_URL is not https: passwords and the session cookie travel unencrypted; serve the service over HTTPS',
        );
      return;
    case 'proxy-header':
      logger.info(
        `Map access: the user named in ${access.proxy.header}. Only the proxy may reach ${env.HOST}:${env.PORT}, and it must remove that header from what clients send`,
        { allowedUsers: access.proxy.users ? access.proxy.users.size : 'any' },
      );
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
