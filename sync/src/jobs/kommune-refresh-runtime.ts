import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import type { CountingClient } from '../crm/budget/count-base-records.js';
import { kommunerTable } from '../crm/schema/index.js';
import { writeKommunerToAirtable } from '../crm/kommuner-writer.js';
import { createKlassClient } from '../sources/ssb/klass.js';
import { createSsbClient } from '../sources/ssb/client.js';
import type { Db } from '../store/database.js';
import { syncedRecordStore } from '../store/airtable-records.js';
import { createPlanEvidenceStore } from '../store/kommune-plan-evidence.js';
import { createKommuneRankingStore } from '../store/kommune-ranking.js';
import { createKommuneCentralityStore } from '../store/kommune-centrality.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';
import { admitUnderCeiling } from './admit-under-ceiling.js';
import { runKommuneRefresh, type KommuneRefreshReport } from './kommune-refresh.js';

export interface KommuneRefreshRuntime {
  env: Env;
  db: Db;
  rules: Rules;
  logger: Logger;
  progress?: Progress;
  /** With Airtable configured, every ranking is brought into the Kommuner table (changed rows only). */
  airtable: CountingClient | null;
}

/**
 * One kommune refresh with the real SSB and KLASS clients, as both `tomtejakt kommuner --refresh`
 * and the service's daily check run it.
 */
export async function refreshKommuneRanking(
  runtime: KommuneRefreshRuntime,
  options: { force?: boolean; trigger: string },
): Promise<KommuneRefreshReport> {
  const { env, logger, airtable } = runtime;
  const ssb = createSsbClient({
    baseUrl: env.SSB_API_URL,
    queriesPerMinute: env.SSB_QUERIES_PER_MINUTE,
    timeoutMs: env.HTTP_TIMEOUT_MS,
    maxRetries: env.HTTP_MAX_RETRIES,
    logger,
  });
  const klass = createKlassClient({
    baseUrl: env.KLASS_API_URL,
    timeoutMs: env.HTTP_TIMEOUT_MS,
    maxRetries: env.HTTP_MAX_RETRIES,
  });
  try {
    return await runKommuneRefresh(
      {
        ssb,
        klass,
        store: createKommuneRankingStore(runtime.db),
        planEvidence: createPlanEvidenceStore(runtime.db),
        centrality: createKommuneCentralityStore(runtime.db),
        rules: runtime.rules.kommuneRanking,
        refreshDays: env.SSB_REFRESH_DAYS,
        logger,
        progress: runtime.progress,
        ...(airtable
          ? {
              publish: (ranking) =>
                writeKommunerToAirtable(airtable, ranking, {
                  state: syncedRecordStore(runtime.db),
                  logger,
                  rules: runtime.rules.kommuneRanking,
                  admitCreates: admitUnderCeiling({
                    client: airtable,
                    db: runtime.db,
                    limit: env.AIRTABLE_RECORD_LIMIT,
                    table: kommunerTable.name,
                    now: () => new Date().toISOString(),
                    logger,
                  }),
                }),
            }
          : {}),
      },
      options,
    );
  } finally {
    await ssb.close();
    await klass.close();
  }
}
