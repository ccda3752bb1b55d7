import { BaseLimiter } from '../../../sync/src/crm/airtable/base-limiter.js';
import {
  createAirtableClient,
  type AirtableClient,
  type AirtableClientOptions,
} from '../../../sync/src/crm/airtable/client.js';
import { setupBase } from '../../../sync/src/crm/setup/setup-base.js';
import { startAirtableDouble, type AirtableDouble, type AirtableDoubleOptions } from './server.js';

/** A client for the double with test-sized pauses and timeouts and a private limiter. */
export function clientFor(
  double: AirtableDouble,
  options: Partial<AirtableClientOptions> = {},
): AirtableClient {
  return createAirtableClient({
    apiUrl: double.url,
    token: double.token,
    baseId: double.baseId,
    limiter: new BaseLimiter(options.requestsPerSecond ?? 4.8),
    rateLimitPauseMs: 50,
    retryDelayMs: 5,
    maxRetryDelayMs: 50,
    timeoutMs: 1_000,
    maxRetries: 4,
    ...options,
  });
}

/**
 * A double whose base has the Tomtejakt schema, created by setup-base itself; the rate limit
 * (off unless given) and faults apply from then on.
 */
export async function doubleWithBase(options: AirtableDoubleOptions = {}): Promise<AirtableDouble> {
  const double = await startAirtableDouble({ ...options, rateLimit: false, faults: null });
  const client = clientFor(double, { requestsPerSecond: 1000 });
  await setupBase(client);
  await client.close();
  double.setRateLimit(options.rateLimit ?? false);
  double.setFaults(options.faults ?? null);
  double.clearRequests();
  return double;
}
