import { z } from 'zod';
import { parsePasswordHash, type PasswordHash } from '../util/password-hash.js';

/**
 * The map-access keys of the env schema (`config/env.ts`): the MAP_USERS list and the rules
 * between MAP_ACCESS and the keys each mode needs.
 */

/** A map user's name: no `:` or `,` (they separate MAP_USERS entries), no spaces. */
export const MAP_USER_NAME = /^[\p{L}\p{N}._@+-]{1,64}$/u;

export interface MapUser {
  user: string;
  hash: PasswordHash;
}

/** `name:hash,name:hash` as `tomtejakt map-user` prints each entry; the hash text is never echoed. */
export const mapUsers = z.preprocess(
  (v) =>
    typeof v === 'string' && v.trim() !== ''
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  z
    .array(z.string())
    .optional()
    .transform((entries, ctx) => {
      if (!entries) return undefined;
      const users: MapUser[] = [];
      entries.forEach((entry, i) => {
        const problem = mapUserProblem(entry, users);
        if (typeof problem === 'string')
          ctx.addIssue({ code: 'custom', message: `entry ${i + 1}: ${problem}` });
        else users.push(problem);
      });
      return users;
    }),
);

function mapUserProblem(entry: string, earlier: MapUser[]): MapUser | string {
  const colon = entry.indexOf(':');
  const user = colon < 0 ? '' : entry.slice(0, colon);
  if (!MAP_USER_NAME.test(user))
    return 'expected name:hash, where the name is letters, digits and . _ @ + - (`tomtejakt map-user <name>` prints the entry)';
  if (earlier.some((u) => u.user === user)) return `"${user}" is listed twice`;
  try {
    return { user, hash: parsePasswordHash(entry.slice(colon + 1)) };
  } catch (error) {
    return `the password hash of "${user}" is not usable: ${(error as Error).message}`;
  }
}

/** What each MAP_ACCESS mode needs, and settings that would silently do nothing. */
export function mapAccessIssues(env: {
  MAP_ACCESS: 'none' | 'login' | 'proxy-header';
  MAP_USERS?: MapUser[] | undefined;
  MAP_SESSION_SECRET?: string | undefined;
  MAP_PROXY_HEADER?: string | undefined;
}): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  const add = (key: string, message: string) => issues.push({ path: [key], message });
  if (env.MAP_ACCESS === 'login') {
    if (!env.MAP_USERS?.length)
      add('MAP_USERS', 'is required with MAP_ACCESS=login: add entries made by `tomtejakt map-user <name>`');
    if (!env.MAP_SESSION_SECRET)
      add('MAP_SESSION_SECRET', 'is required with MAP_ACCESS=login (use `openssl rand -hex 32`)');
  }
  if (env.MAP_ACCESS === 'proxy-header' && !env.MAP_PROXY_HEADER)
    add(
      'MAP_PROXY_HEADER',
      'is required with MAP_ACCESS=proxy-header: the header your proxy sets, e.g. X-Forwarded-User',
    );
  // Users or a header without a mode would leave the map as open (or closed) as before, unnoticed.
  if (env.MAP_ACCESS === 'none' && env.MAP_USERS?.length)
    add('MAP_USERS', 'is set but MAP_ACCESS is none: set MAP_ACCESS=login to use it');
  if (env.MAP_ACCESS === 'none' && env.MAP_PROXY_HEADER)
    add('MAP_PROXY_HEADER', 'is set but MAP_ACCESS is none: set MAP_ACCESS=proxy-header to use it');
  return issues;
}
