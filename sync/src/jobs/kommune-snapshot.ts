import type { KommuneRules } from '../config/kommune-rules.js';
import type { PlanEvidenceReader } from '../scoring/kommune/plan-evidence.js';
import type { Clock } from '../sources/ssb/clock.js';
import { loadSsbSnapshot, type SsbSnapshot } from '../sources/ssb/snapshot.js';
import type { KommuneRankingStore } from '../store/kommune-ranking.js';
import type { Logger } from '../util/logger.js';
import { runKommuneRefresh, type KommuneRefreshReport } from './kommune-refresh.js';

export interface SnapshotRankingDeps {
  store: KommuneRankingStore;
  rules: KommuneRules;
  clock?: Clock;
  logger?: Logger;
  /** Default: the bundled snapshot (sync/assets/ssb/snapshot). */
  snapshot?: SsbSnapshot;
  /** Plan evidence kept by earlier nightly runs (a store whose ranking was lost may have some). */
  planEvidence?: PlanEvidenceReader;
}

/**
 * The embedded default (issue 12, point 7): with no ranking in the store, rank all kommuner from
 * the bundled SSB snapshot and keep it, marked as from the snapshot with its date. The next SSB
 * refresh is due at once (a snapshot ranking never counts as fresh) and replaces it. Returns null
 * when a ranking was there already.
 */
export async function ensureKommuneRanking(deps: SnapshotRankingDeps): Promise<KommuneRefreshReport | null> {
  if (deps.store.lastSuccessful()) return null;
  return rankFromSnapshot(deps);
}

/** Ranks every kommune from the bundled snapshot, through the same refresh as SSB's figures. */
export async function rankFromSnapshot(deps: SnapshotRankingDeps): Promise<KommuneRefreshReport> {
  const snapshot = deps.snapshot ?? loadSsbSnapshot();
  const report = await runKommuneRefresh(
    {
      ssb: snapshot.client(),
      store: deps.store,
      rules: deps.rules,
      refreshDays: 0,
      clock: deps.clock,
      logger: deps.logger,
      ownBoundary: snapshot.ownBoundaryPopulation(),
      source: 'snapshot',
      figuresDate: snapshot.date,
      ...(deps.planEvidence ? { planEvidence: deps.planEvidence } : {}),
    },
    { force: true, trigger: 'snapshot' },
  );
  if (report.outcome === 'refreshed')
    deps.logger?.info(
      `kommune ranking from the bundled SSB snapshot dated ${snapshot.date}; a refresh from SSB replaces it`,
      {
        missing: Object.entries(report.missingByFactor ?? {})
          .filter(([, n]) => n === report.kommuner)
          .map(([f]) => f)
          .join(','),
      },
    );
  return report;
}
