import type { KommuneRules } from '../config/kommune-rules.js';
import { systemClock, type Clock } from '../sources/ssb/clock.js';
import type { SsbClient } from '../sources/ssb/client.js';
import type { KlassClient } from '../sources/ssb/klass.js';
import type { KommuneCentralityStore } from '../store/kommune-centrality.js';
import { loadKommuneList } from '../sources/ssb/kommune-list.js';
import { bundledOwnBoundaryPopulation } from '../sources/ssb/snapshot.js';
import { inSsbQuietHours } from '../sources/ssb/maintenance-window.js';
import { maxInAnyWindow } from '../sources/ssb/pacer.js';
import { FACTORS } from '../scoring/kommune/factors.js';
import { withPlanEvidence, type PlanEvidenceReader } from '../scoring/kommune/plan-evidence.js';
import { rankKommuner } from '../scoring/kommune/rank.js';
import type { KommuneFactorKey, KommuneRanking } from '../scoring/kommune/types.js';
import type {
  KommuneRankingStore,
  RankingSource,
  RefreshTableUse,
  StoredRanking,
} from '../store/kommune-ranking.js';
import { messageOf, SourceError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';
import { fetchFactorRaws, type RefreshNotes } from './kommune-refresh-factors.js';
import { DAY_MS } from '../util/iso-week.js';

export interface KommuneRefreshDeps {
  ssb: SsbClient;
  /** KLASS for the kommune list and number changes; the bundled 2024 data without it. */
  klass?: KlassClient;
  store: KommuneRankingStore;
  rules: KommuneRules;
  /** SSB_REFRESH_DAYS: a refresh within this many days of the last good one fetches nothing. */
  refreshDays: number;
  clock?: Clock;
  logger?: Logger;
  progress?: Progress;
  /**
   * Called with the ranking after every run that has one (fresh or new), e.g. the Airtable
   * Kommuner writer. Its failure is reported but does not undo the refresh.
   */
  publish?: (ranking: StoredRanking) => Promise<unknown>;
  /** Own-boundary population before splits; default the bundled snapshot's (sources/ssb/snapshot.ts). */
  ownBoundary?: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /**
   * `snapshot` when `ssb` is the bundled snapshot (jobs/kommune-snapshot.ts): never skipped, stored
   * marked as such with `figuresDate`, and never counted as a fresh SSB refresh afterwards.
   */
  source?: RankingSource;
  figuresDate?: string;
  /** The nightly runs' plan evidence (store/kommune-plan-evidence.ts), Byggevilje's second component. */
  planEvidence?: PlanEvidenceReader;
  /** Where SSB's centrality classes (KLASS 128) go for the lot score's capacity; fetched with KLASS. */
  centrality?: KommuneCentralityStore;
}

export type KommuneRefreshOutcome = 'refreshed' | 'fresh' | 'failed' | 'quiet-hours';

export interface KommuneRefreshReport {
  outcome: KommuneRefreshOutcome;
  refreshId?: number;
  /** Requests sent to SSB during this run. */
  requests: number;
  rateLimited: number;
  /** The most SSB requests started within any 60 s of this run. */
  maxRequestsPerMinute: number;
  kommuner?: number;
  kommuneSource?: 'klass' | 'bundled';
  /** Where the figures came from (SSB or the bundled snapshot). */
  source?: RankingSource;
  /** Per factor, how many kommuner lack it. */
  missingByFactor?: Partial<Record<KommuneFactorKey, number>>;
  tables: RefreshTableUse[];
  warnings: string[];
  error?: string;
  /** True when the run failed and an earlier ranking stays in use. */
  previousKept: boolean;
  lastRefreshAt?: string;
  nextDueAt?: string;
  published?: boolean;
}

/** SSB traffic of this run so far. */
interface RunStats {
  requests: number;
  rateLimited: number;
  maxRequestsPerMinute: number;
}

/** What every step of one run reads: when it started, the last good refresh, its SSB traffic. */
interface RefreshRun {
  clock: Clock;
  startedAt: number;
  /** finishedAt of the last good refresh (ms), null when there is none. */
  lastAt: number | null;
  lastRefreshAt: string | undefined;
  hasPrevious: boolean;
  stats(): RunStats;
}

/**
 * The weekly kommune refresh: kommune list (KLASS), then for each factor its table (confirmed
 * from /tables/{id}), metadata, codes and data, then the ranking, kept in the store. Nothing is
 * fetched while the last good refresh is younger than `refreshDays` (unless forced) or during
 * SSB's 05:00–08:15 update. Any request failure (a 429 that does not clear, a 503 window, a
 * timeout) fails the run and leaves the previous ranking in place; a table whose metadata no
 * longer offers what a factor needs only drops that factor, with a warning.
 */
export async function runKommuneRefresh(
  deps: KommuneRefreshDeps,
  options: { force?: boolean; trigger?: string } = {},
): Promise<KommuneRefreshReport> {
  const run = beginRun(deps);
  const skipped = skippedRun(deps, run, options.force ?? false);
  if (skipped) return publishLatest(deps, skipped);

  const refreshId = deps.store.beginRefresh(
    new Date(run.startedAt).toISOString(),
    options.trigger ?? 'schedule',
  );
  const notes: RefreshNotes = { tables: [], warnings: [] };
  let report: KommuneRefreshReport;
  try {
    report = await refreshRanking(deps, run, refreshId, notes);
  } catch (error) {
    report = recordFailure(deps, run, refreshId, notes, error);
  }
  return publishLatest(deps, report);
}

function beginRun(deps: KommuneRefreshDeps): RefreshRun {
  const clock = deps.clock ?? systemClock;
  const before = deps.ssb.stats();
  // Freshness counts from the last refresh from SSB: a snapshot ranking never makes SSB wait.
  const last = deps.store.lastSuccessful({ source: 'ssb' });
  return {
    clock,
    startedAt: clock.now(),
    lastAt: last?.finishedAt ? Date.parse(last.finishedAt) : null,
    lastRefreshAt: last?.finishedAt ?? undefined,
    hasPrevious: deps.store.lastSuccessful() !== null,
    stats() {
      const now = deps.ssb.stats();
      return {
        requests: now.requests - before.requests,
        rateLimited: now.rateLimited - before.rateLimited,
        maxRequestsPerMinute: maxInAnyWindow(now.starts.slice(before.starts.length), 60_000),
      };
    },
  };
}

/** The report of a run that sends nothing: the last good refresh is recent, or SSB is updating. */
function skippedRun(deps: KommuneRefreshDeps, run: RefreshRun, force: boolean): KommuneRefreshReport | null {
  if (deps.source === 'snapshot') return null; // no request is sent: neither rule applies
  const refreshMs = deps.refreshDays * DAY_MS;
  const base = {
    tables: [] as RefreshTableUse[],
    warnings: [] as string[],
    lastRefreshAt: run.lastRefreshAt,
    nextDueAt: run.lastAt !== null ? new Date(run.lastAt + refreshMs).toISOString() : undefined,
  };
  if (!force && run.lastAt !== null && run.startedAt - run.lastAt < refreshMs) {
    return { outcome: 'fresh', ...run.stats(), previousKept: true, ...base };
  }
  if (inSsbQuietHours(run.startedAt)) {
    return {
      outcome: 'quiet-hours',
      ...run.stats(),
      previousKept: run.hasPrevious,
      ...base,
      warnings: ['SSB updates its tables 05:00–08:15 Oslo time; the refresh will run at the next chance'],
    };
  }
  return null;
}

/** Kommune list, factor figures, ranking; the ranking is stored as this refresh's result. */
async function refreshRanking(
  deps: KommuneRefreshDeps,
  run: RefreshRun,
  refreshId: number,
  notes: RefreshNotes,
): Promise<KommuneRefreshReport> {
  const today = new Date(run.startedAt).toISOString().slice(0, 10);
  const list = await loadKommuneList(deps.klass, today);
  if (list.warning && deps.source !== 'snapshot')
    notes.warnings.push(`kommune list from the bundled 2024 file: ${list.warning}`);
  const kommuner = list.kommuner.map((k) => k.kommunenummer);
  await refreshCentrality(deps, today, notes);
  const ownBoundary = deps.ownBoundary ?? bundledOwnBoundaryPopulation();
  const raws = await fetchFactorRaws({ ...deps, ownBoundary }, { today, kommuner, notes });
  const evidence = deps.planEvidence?.planEvidence();
  if (evidence && deps.rules.weights.byggevilje > 0)
    raws.byggevilje = withPlanEvidence(raws.byggevilje, evidence, kommuner);
  const ranking = rankKommuner(list.kommuner, raws, deps.rules);
  return storeRanking(deps, run, { refreshId, notes, ranking, kommuneSource: list.source });
}

/**
 * SSB's centrality classes for the lot score's density class. A failure keeps the classes stored
 * before and is named in the refresh's warnings; the ranking goes on.
 */
async function refreshCentrality(deps: KommuneRefreshDeps, today: string, notes: RefreshNotes) {
  if (!deps.klass || !deps.centrality || deps.source === 'snapshot') return;
  try {
    const classes = await deps.klass.centralityAt(today);
    if (classes.length < 300) throw new Error(`KLASS 128 gave a class for only ${classes.length} kommuner`);
    deps.centrality.replaceAll(
      classes.map((c) => ({ kommunenummer: c.kommunenummer, klasse: c.klasse, navn: c.name })),
      { validAt: today, fetchedAt: new Date().toISOString() },
    );
  } catch (error) {
    notes.warnings.push(`centrality classes (KLASS 128) not refreshed: ${messageOf(error)}`);
  }
}

function storeRanking(
  deps: KommuneRefreshDeps,
  run: RefreshRun,
  result: {
    refreshId: number;
    notes: RefreshNotes;
    ranking: KommuneRanking;
    kommuneSource: 'klass' | 'bundled';
  },
): KommuneRefreshReport {
  const { refreshId, ranking, kommuneSource } = result;
  const { tables, warnings } = result.notes;
  const missingByFactor = missingCounts(ranking, deps.rules);
  const stats = run.stats();
  const source = deps.source ?? 'ssb';
  deps.store.completeRefresh(refreshId, ranking, {
    finishedAt: new Date(run.clock.now()).toISOString(),
    kommuneSource,
    requests: stats.requests,
    tables,
    warnings,
    rules: deps.rules,
    source,
    figuresDate: deps.figuresDate ?? null,
  });
  deps.logger?.info(
    source === 'snapshot' ? 'kommune ranking from the bundled SSB snapshot' : 'kommune ranking refreshed',
    {
      kommuner: ranking.kommuner.length,
      requests: stats.requests,
      maxPerMinute: stats.maxRequestsPerMinute,
      ...(deps.figuresDate ? { figuresDate: deps.figuresDate } : {}),
    },
  );
  const now = run.clock.now();
  return {
    outcome: 'refreshed',
    refreshId,
    ...stats,
    kommuner: ranking.kommuner.length,
    kommuneSource,
    source,
    missingByFactor,
    tables,
    warnings,
    previousKept: false,
    // A snapshot ranking leaves the SSB refresh due at once.
    lastRefreshAt: source === 'ssb' ? new Date(now).toISOString() : run.lastRefreshAt,
    nextDueAt: new Date(source === 'ssb' ? now + deps.refreshDays * DAY_MS : now).toISOString(),
  };
}

/** Per weighted factor, how many kommuner lack it. */
function missingCounts(
  ranking: KommuneRanking,
  rules: KommuneRules,
): Partial<Record<KommuneFactorKey, number>> {
  const missing: Partial<Record<KommuneFactorKey, number>> = {};
  for (const def of FACTORS) {
    if (rules.weights[def.key] <= 0) continue;
    missing[def.key] = ranking.kommuner.filter((k) => k.factors[def.key].normalised === null).length;
  }
  return missing;
}

/** Keeps the failed run (and its error) in the store; the previous ranking stays in use. */
function recordFailure(
  deps: KommuneRefreshDeps,
  run: RefreshRun,
  refreshId: number,
  notes: RefreshNotes,
  error: unknown,
): KommuneRefreshReport {
  const stats = run.stats();
  const message = messageOf(error);
  const { tables, warnings } = notes;
  deps.store.failRefresh(refreshId, {
    finishedAt: new Date(run.clock.now()).toISOString(),
    requests: stats.requests,
    error: message,
    tables,
    warnings,
  });
  deps.logger?.error('kommune refresh failed; the previous ranking stays in use', {
    error: message,
    status: error instanceof SourceError ? error.context.status : undefined,
  });
  return {
    outcome: 'failed',
    refreshId,
    ...stats,
    tables,
    warnings,
    error: message,
    previousKept: run.hasPrevious,
    lastRefreshAt: run.lastRefreshAt,
  };
}

async function publishLatest(
  deps: KommuneRefreshDeps,
  report: KommuneRefreshReport,
): Promise<KommuneRefreshReport> {
  if (!deps.publish) return report;
  const latest = deps.store.latestRanking();
  if (!latest) return report;
  try {
    await deps.publish(latest);
    return { ...report, published: true };
  } catch (error) {
    deps.logger?.error('publishing the kommune ranking failed', { error: messageOf(error) });
    return {
      ...report,
      published: false,
      warnings: [...report.warnings, `publishing failed: ${messageOf(error)}`],
    };
  }
}
