import type { Env } from '../../config/env.js';
import type { Logger } from '../../util/logger.js';
import { createAirtableClient, type AirtableClient } from './client.js';

/** The Airtable client the configuration asks for, or null when no token/base is set. */
export function airtableClientFromEnv(env: Env, logger: Logger): AirtableClient | null {
  if (!env.airtableEnabled || !env.AIRTABLE_TOKEN || !env.AIRTABLE_BASE_ID) return null;
  return createAirtableClient({
    apiUrl: env.AIRTABLE_API_URL,
    token: env.AIRTABLE_TOKEN,
    baseId: env.AIRTABLE_BASE_ID,
    requestsPerSecond: env.AIRTABLE_REQUESTS_PER_SECOND,
    timeoutMs: env.HTTP_TIMEOUT_MS,
    maxRetries: env.HTTP_MAX_RETRIES,
    logger,
  });
}
