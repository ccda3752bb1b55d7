import { runKommuneRefresh } from '../../sync/src/jobs/kommune-refresh.js';
import type { Db } from '../../sync/src/store/database.js';
import { createKommuneRankingStore } from '../../sync/src/store/kommune-ranking.js';
import { OSLO_NOON, startSsbHarness } from '../doubles/ssb/harness.js';

const WEEK = 7 * 86_400_000;

/**
 * Stores `refreshes` weekly rankings of all 357 kommuner in `db`, each made by the real refresh
 * job on the SSB double: real 07459 population and 01180 election figures, the other factors
 * generated. The weeks before the last use other seeds for the generated figures, so ranks move
 * over time; the last refresh (at OSLO_NOON, default seed) is the golden file's ranking
 * (test/golden/kommune-ranking.expected.tsv).
 */
export async function storeKommuneRankings(db: Db, refreshes = 3): Promise<void> {
  const store = createKommuneRankingStore(db);
  for (let weeksBefore = refreshes - 1; weeksBefore >= 0; weeksBefore--) {
    const h = await startSsbHarness({
      double: { seed: 1 + weeksBefore },
      start: new Date(Date.parse(OSLO_NOON) - weeksBefore * WEEK).toISOString(),
    });
    try {
      const report = await runKommuneRefresh({
        ssb: h.ssb,
        klass: h.klass,
        store,
        rules: h.rules,
        refreshDays: 7,
        clock: h.clock,
      });
      if (report.outcome !== 'refreshed') throw new Error(`refresh ${report.outcome}: ${report.error}`);
    } finally {
      await h.close();
    }
  }
}
