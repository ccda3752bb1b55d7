import { defaultRules } from '../../../sync/src/config/rules.js';
import type { KommuneRules } from '../../../sync/src/config/kommune-rules.js';
import { createManualClock, type ManualClock } from '../../../sync/src/sources/ssb/clock.js';
import {
  createSsbClient,
  type SsbClient,
  type SsbClientOptions,
} from '../../../sync/src/sources/ssb/client.js';
import { createKlassClient, type KlassClient } from '../../../sync/src/sources/ssb/klass.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import {
  createKommuneRankingStore,
  type KommuneRankingStore,
} from '../../../sync/src/store/kommune-ranking.js';
import { startSsbDouble, type SsbDouble, type SsbDoubleOptions } from './server.js';

/** A weekday noon in Oslo: outside SSB's 05:00–08:15 quiet hours. */
export const OSLO_NOON = '2026-03-10T11:00:00Z';

export interface SsbHarness {
  clock: ManualClock;
  double: SsbDouble;
  ssb: SsbClient;
  klass: KlassClient;
  db: Db;
  store: KommuneRankingStore;
  rules: KommuneRules;
  close(): Promise<void>;
}

/** The SSB and KLASS doubles, real clients pointed at them on one manual clock, and an in-memory store. */
export async function startSsbHarness(
  options: { double?: Partial<SsbDoubleOptions>; client?: Partial<SsbClientOptions>; start?: string } = {},
): Promise<SsbHarness> {
  const clock = createManualClock(options.start ?? OSLO_NOON);
  const double = await startSsbDouble({ clock, ...options.double });
  const ssb = createSsbClient({ baseUrl: double.ssbBaseUrl, clock, minRetryDelayMs: 5, ...options.client });
  const klass = createKlassClient({ baseUrl: double.klassBaseUrl, maxRetries: 0 });
  const db = openStore(':memory:');
  return {
    clock,
    double,
    ssb,
    klass,
    db,
    store: createKommuneRankingStore(db),
    rules: defaultRules().kommuneRanking,
    async close() {
      await ssb.close();
      await klass.close();
      db.close();
      await double.close();
    },
  };
}
