import type { Env } from '../../config/env.js';
import { createHttpClient } from '../../net/http-client.js';
import { SsbTettstedClient, TETTSTED_SOURCE, type TettstedSource } from './tettsted-client.js';

export type ClosableTettstedSource = TettstedSource & { close(): Promise<void> };

/** SSB's tettsted WFS as the service runs it: one request at a time, GET retried as usual. */
export function ssbTettstedSource(
  env: Pick<Env, 'SSB_TETTSTED_WFS_URL' | 'SSB_TETTSTED_TYPENAME' | 'HTTP_TIMEOUT_MS' | 'HTTP_MAX_RETRIES'>,
): ClosableTettstedSource {
  const http = createHttpClient({
    source: TETTSTED_SOURCE,
    timeoutMs: env.HTTP_TIMEOUT_MS,
    maxRetries: Math.min(env.HTTP_MAX_RETRIES, 2),
    concurrency: 1,
    headers: { 'user-agent': 'tomtejakt/0.1' },
  });
  const client = new SsbTettstedClient(env.SSB_TETTSTED_WFS_URL, env.SSB_TETTSTED_TYPENAME, http);
  return {
    name: client.name,
    tettstederIn: (box, options) => client.tettstederIn(box, options),
    close: () => http.close(),
  };
}
