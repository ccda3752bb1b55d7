import type { Env } from '../../config/env.js';
import { createHttpClient } from '../../net/http-client.js';
import { ENTUR_RETRY_STATUS_CODES } from './entur-graphql.js';
import { ENTUR_SOURCE, EnturStopPlaceClient, type StopPlaceSource } from './stop-places.js';

export type ClosableStopSource = StopPlaceSource & { close(): Promise<void> };

/**
 * The Journey Planner client as the service runs it: `ET-Client-Name` on every call (Entur's terms),
 * one request at a time and at most one a second (far under the 1 000/min quota), POST retried as
 * the read it is, a 429 never retried (Entur asks to wait for the quota's expiry).
 */
export function enturStopSource(
  env: Pick<Env, 'ENTUR_JOURNEY_PLANNER_URL' | 'ENTUR_CLIENT_NAME' | 'HTTP_TIMEOUT_MS' | 'HTTP_MAX_RETRIES'>,
): ClosableStopSource {
  const http = createHttpClient({
    source: ENTUR_SOURCE,
    timeoutMs: env.HTTP_TIMEOUT_MS,
    maxRetries: Math.min(env.HTTP_MAX_RETRIES, 2),
    concurrency: 1,
    rateLimit: { requests: 1, perMs: 1_000 },
    retryMethods: ['POST'],
    retryStatusCodes: ENTUR_RETRY_STATUS_CODES,
    headers: { 'user-agent': 'tomtejakt/0.1', 'et-client-name': env.ENTUR_CLIENT_NAME },
  });
  const client = new EnturStopPlaceClient(env.ENTUR_JOURNEY_PLANNER_URL, http);
  return {
    name: client.name,
    stopsIn: (box, options) => client.stopsIn(box, options),
    close: () => http.close(),
  };
}
