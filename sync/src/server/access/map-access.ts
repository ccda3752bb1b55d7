import type { PasswordHash } from '../../util/password-hash.js';

/**
 * Who may read the map page, the lots API and the kommune dashboard. `/health` and the webhooks
 * are never behind it (the webhooks sign their own requests).
 *
 * - `open`: anyone who reaches the service (a laptop, no PUBLIC_BASE_URL);
 * - `closed`: nobody, because the service is exposed (PUBLIC_BASE_URL) and no access is set up;
 * - `login`: the team's own users and passwords, with a signed session cookie;
 * - `proxy-header`: whoever a trusted reverse proxy names in a header.
 */
export type MapAccess =
  | { mode: 'open' }
  | { mode: 'closed' }
  | { mode: 'login'; login: LoginSettings }
  | { mode: 'proxy-header'; proxy: ProxySettings };

export interface LoginSettings {
  users: ReadonlyMap<string, PasswordHash>;
  sessionSecret: string;
  sessionHours: number;
  /** Send the cookie over HTTPS only (PUBLIC_BASE_URL is https). */
  secureCookie: boolean;
  /** The path the service is published under ('' at the root), from PUBLIC_BASE_URL. */
  basePath: string;
}

export interface ProxySettings {
  /** The header the proxy names the user in, e.g. x-forwarded-user. */
  header: string;
  /** The users the proxy may let in; null lets in everyone it names. */
  users: ReadonlySet<string> | null;
}

export const OPEN_ACCESS: MapAccess = { mode: 'open' };
