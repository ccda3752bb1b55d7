import type { Dispatcher } from 'undici';
import type { Env } from '../../config/env.js';
import { createMatrikkelOwnerSource, type MatrikkelOwnerSource } from './owners.js';
import { createMatrikkelSoapClient, type MatrikkelSoapClient } from './soap-client.js';

export type { MatrikkelOwnerSource, OwnerLookupResult } from './owners.js';
export { MatrikkelFaultError } from './fault.js';

export type MatrikkelSetup =
  | { configured: true; url: string; source: MatrikkelOwnerSource; client: MatrikkelSoapClient }
  | { configured: false; url: string; reason: string };

type MatrikkelEnv = Pick<
  Env,
  | 'MATRIKKEL_URL'
  | 'MATRIKKEL_USERNAME'
  | 'MATRIKKEL_PASSWORD'
  | 'MATRIKKEL_CONCURRENCY'
  | 'MATRIKKEL_TIMEOUT_MS'
  | 'MATRIKKEL_CLIENT_ID'
  | 'HTTP_MAX_RETRIES'
>;

/**
 * The Matrikkel owner source when the agreement's credentials are set, otherwise a "not
 * configured" answer with the reason (the lookup then says so in Airtable and on /health).
 */
export function createMatrikkel(
  env: MatrikkelEnv,
  options: { dispatcher?: Dispatcher; now?: () => Date; minRetryDelayMs?: number } = {},
): MatrikkelSetup {
  const url = env.MATRIKKEL_URL;
  if (!env.MATRIKKEL_USERNAME || !env.MATRIKKEL_PASSWORD) {
    return {
      configured: false,
      url,
      reason:
        'MATRIKKEL_USERNAME and MATRIKKEL_PASSWORD are not set (the Matrikkel API needs an agreement with Kartverket)',
    };
  }
  const client = createMatrikkelSoapClient({
    baseUrl: url,
    username: env.MATRIKKEL_USERNAME,
    password: env.MATRIKKEL_PASSWORD,
    timeoutMs: env.MATRIKKEL_TIMEOUT_MS,
    concurrency: env.MATRIKKEL_CONCURRENCY,
    maxRetries: Math.min(env.HTTP_MAX_RETRIES, 2),
    context: { klientIdentifikasjon: env.MATRIKKEL_CLIENT_ID },
    minRetryDelayMs: options.minRetryDelayMs,
    dispatcher: options.dispatcher,
  });
  return {
    configured: true,
    url,
    client,
    source: createMatrikkelOwnerSource(client, { now: options.now }),
  };
}
