import { metaClient } from './meta.js';
import { recordsClient } from './records.js';
import { createTransport, type AirtableClientOptions, type AirtableStats } from './transport.js';
import type { AirtableMetaClient, AirtableRecordsClient } from './types.js';

export { MAX_RECORDS_PER_REQUEST } from './records.js';
export type { AirtableClientOptions, AirtableStats } from './transport.js';

export interface AirtableClient extends AirtableRecordsClient, AirtableMetaClient {
  readonly baseId: string;
  stats(): AirtableStats;
  /** Waits for requests in flight, then closes the connections; a second call does nothing more. */
  close(): Promise<void>;
}

/**
 * The Airtable Web API over the shared HTTP layer (net/), built for the sync's needs: a per-base
 * limiter, a base-wide 30 s pause after a 429, bounded retries with backoff on 5xx and timeouts
 * (transport.ts, retry-policy.ts), writes split into requests of 10 with upsert results kept
 * (records.ts), the Metadata API (meta.ts), and errors that name the table, field and value
 * (errors.ts).
 */
export function createAirtableClient(options: AirtableClientOptions): AirtableClient {
  const transport = createTransport(options);
  return {
    baseId: transport.baseId,
    ...recordsClient(transport),
    ...metaClient(transport),
    stats: () => transport.stats(),
    close: () => transport.close(),
  };
}
