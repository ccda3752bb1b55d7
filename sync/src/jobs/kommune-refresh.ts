import type { KommuneRules } from '../config/kommune-rules.js';
import { systemClock, type Clock } from '../sources/ssb/clock.js';
import type { SsbClient } from '../sources/ssb/client.js';
import type { CodeChange, KlassClient } from '../sources/ssb/klass.js';
import { loadKommuneChanges, loadKommuneList } from '../sources/ssb/kommune-list.js';
import { inSsbQuietHours } from '../sources/ssb/maintenance-window.js';
import type { SsbTableMetadata } from '../sources/ssb/metadata.js';
import { maxInAnyWindow } from '../sources/ssb/pacer.js';
import { FACTORS, type FactorDefinition } from '../scoring/kommune/factors.js';
import { rankKommuner } from '../scoring/kommune/rank.js';
import { kommSummerCodelist, planTable, TablePlanError } from '../scoring/kommune/table-plan.js';
import { readTableValues } from '../scoring/kommune/table-values.js';
import type { FactorRaw, KommuneFactorKey } from '../scoring/kommune/types.js';
import type { KommuneRankingStore, RefreshTableUse, StoredRanking } from '../store/kommune-ranking.js';
import { messageOf, SourceError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { silentProgress, type Progress } from '../util/progress.js';

const DAY_MS = 86_400_000;

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
  const clock = deps.clock ?? systemClock;
  const progress = deps.progress ?? silentProgress;
  const startStats = deps.ssb.stats();
  const runStats = () => {
    const now = deps.ssb.stats();
    const starts = now.starts.slice(startStats.starts.length);
    return {
      requests: now.requests - startStats.requests,
      rateLimited: now.rateLimited - startStats.rateLimited,
      maxRequestsPerMinute: maxInAnyWindow(starts, 60_000),
    };
  };
  const now = clock.now();
  const last = deps.store.lastSuccessful();
  const lastAt = last?.finishedAt ? Date.parse(last.finishedAt) : null;
  const base = {
    tables: [] as RefreshTableUse[],
    warnings: [] as string[],
    lastRefreshAt: last?.finishedAt ?? undefined,
    nextDueAt: lastAt !== null ? new Date(lastAt + deps.refreshDays * DAY_MS).toISOString() : undefined,
  };

  if (!options.force && lastAt !== null && now - lastAt < deps.refreshDays * DAY_MS) {
    const report: KommuneRefreshReport = { outcome: 'fresh', ...runStats(), previousKept: true, ...base };
    return publishLatest(deps, report);
  }
  if (inSsbQuietHours(now)) {
    const report: KommuneRefreshReport = {
      outcome: 'quiet-hours',
      ...runStats(),
      previousKept: last !== null,
      ...base,
      warnings: ['SSB updates its tables 05:00–08:15 Oslo time; the refresh will run at the next chance'],
    };
    return publishLatest(deps, report);
  }

  const today = new Date(now).toISOString().slice(0, 10);
  const refreshId = deps.store.beginRefresh(new Date(now).toISOString(), options.trigger ?? 'schedule');
  const tables: RefreshTableUse[] = [];
  const warnings: string[] = [];
  try {
    const list = await loadKommuneList(deps.klass, today);
    if (list.warning) warnings.push(`kommune list from the bundled 2024 file: ${list.warning}`);
    const kommuner = list.kommuner.map((k) => k.kommunenummer);

    let changes: CodeChange[] | undefined;
    const codelists = new Map<string, Set<string> | null>();
    const raws: Partial<Record<KommuneFactorKey, Map<string, FactorRaw>>> = {};
    let population: Map<string, { value: number; year: string }> | undefined;

    const needed = FACTORS.filter(
      (f) =>
        deps.rules.weights[f.key] > 0 ||
        (f.key === 'befolkningsvekst' && deps.rules.weights.boligbygging > 0),
    );
    const stage = progress.stage('SSB factor tables', needed.length);
    for (const def of needed) {
      const resolved = await resolveTable(deps.ssb, def, deps.rules.tables[def.key]);
      tables.push(resolved.use);
      if (!resolved.tableId) {
        warnings.push(`${def.key}: ${resolved.use.problem}`);
        stage.tick();
        continue;
      }
      const metadata = await deps.ssb.metadata(resolved.tableId);
      const kommSummerCodes = await kommSummerCodesOf(deps.ssb, metadata, codelists);
      if (!kommSummerCodes && !changes) {
        const loaded = await loadKommuneChanges(deps.klass, today);
        changes = loaded.changes;
        if (loaded.warning)
          warnings.push(`kommune number changes from the bundled mapping: ${loaded.warning}`);
      }
      let plan;
      try {
        plan = planTable(resolved.tableId, def.table(deps.rules), metadata, {
          kommuner,
          kommSummerCodes,
          changes,
        });
      } catch (error) {
        if (!(error instanceof TablePlanError)) throw error;
        resolved.use.problem = error.message;
        warnings.push(`${def.key}: ${error.message}; the factor is left out`);
        stage.tick();
        continue;
      }
      const datasets = await deps.ssb.data(resolved.tableId, plan.query, metadata);
      const values = readTableValues(plan, datasets, { kommuner, changes });
      const factorRaws = def.extract(values, { kommuner, rules: deps.rules, population });
      raws[def.key] = factorRaws;
      if (def.key === 'befolkningsvekst') population = populationOf(factorRaws);
      stage.tick();
    }
    stage.done();

    const ranking = rankKommuner(list.kommuner, raws, deps.rules);
    const missingByFactor: Partial<Record<KommuneFactorKey, number>> = {};
    for (const def of FACTORS) {
      if (deps.rules.weights[def.key] <= 0) continue;
      missingByFactor[def.key] = ranking.kommuner.filter(
        (k) => k.factors[def.key].normalised === null,
      ).length;
    }
    const stats = runStats();
    deps.store.completeRefresh(refreshId, ranking, {
      finishedAt: new Date(clock.now()).toISOString(),
      kommuneSource: list.source,
      requests: stats.requests,
      tables,
      warnings,
      rules: deps.rules,
    });
    deps.logger?.info('kommune ranking refreshed', {
      kommuner: ranking.kommuner.length,
      requests: stats.requests,
      maxPerMinute: stats.maxRequestsPerMinute,
    });
    const report: KommuneRefreshReport = {
      outcome: 'refreshed',
      refreshId,
      ...stats,
      kommuner: ranking.kommuner.length,
      kommuneSource: list.source,
      missingByFactor,
      tables,
      warnings,
      previousKept: false,
      lastRefreshAt: new Date(clock.now()).toISOString(),
      nextDueAt: new Date(clock.now() + deps.refreshDays * DAY_MS).toISOString(),
    };
    return publishLatest(deps, report);
  } catch (error) {
    const stats = runStats();
    const message = messageOf(error);
    deps.store.failRefresh(refreshId, {
      finishedAt: new Date(clock.now()).toISOString(),
      requests: stats.requests,
      error: message,
      tables,
      warnings,
    });
    deps.logger?.error('kommune refresh failed; the previous ranking stays in use', {
      error: message,
      status: error instanceof SourceError ? error.context.status : undefined,
    });
    const report: KommuneRefreshReport = {
      outcome: 'failed',
      refreshId,
      ...stats,
      tables,
      warnings,
      error: message,
      previousKept: last !== null,
      lastRefreshAt: base.lastRefreshAt,
    };
    return publishLatest(deps, report);
  }
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

/** The first configured table that exists and is not discontinued (confirmed from /tables/{id}). */
async function resolveTable(
  ssb: SsbClient,
  def: FactorDefinition,
  candidates: string[],
): Promise<{ tableId: string | null; use: RefreshTableUse }> {
  const problems: string[] = [];
  for (const tableId of candidates) {
    const info = await ssb.tableInfo(tableId);
    if (!info) {
      problems.push(`${tableId} does not exist`);
      continue;
    }
    if (info.discontinued) {
      problems.push(`${tableId} is discontinued`);
      continue;
    }
    return {
      tableId,
      use: {
        factor: def.key,
        tableId,
        lastPeriod: info.lastPeriod ?? null,
        updated: info.updated ?? null,
        ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
      },
    };
  }
  return {
    tableId: null,
    use: { factor: def.key, tableId: null, problem: `no usable table: ${problems.join('; ')}` },
  };
}

/** The codes of the table's agg_KommSummer codelist (fetched once per refresh), or undefined. */
async function kommSummerCodesOf(
  ssb: SsbClient,
  metadata: SsbTableMetadata,
  cache: Map<string, Set<string> | null>,
): Promise<Set<string> | undefined> {
  const ref = kommSummerCodelist(metadata.region);
  if (!ref) return undefined;
  if (!cache.has(ref.id)) {
    try {
      const codelist = await ssb.codelist(ref.id);
      cache.set(ref.id, new Set(codelist.values.map((v) => v.code)));
    } catch (error) {
      // A codelist the table names but the API does not serve: read plain codes instead.
      if (error instanceof SourceError && (error.context.status === 404 || error.context.status === 400))
        cache.set(ref.id, null);
      else throw error;
    }
  }
  return cache.get(ref.id) ?? undefined;
}

function populationOf(raws: Map<string, FactorRaw>): Map<string, { value: number; year: string }> {
  const population = new Map<string, { value: number; year: string }>();
  for (const [nr, raw] of raws) {
    const value = raw.detail?.folketall;
    if (typeof value === 'number' && raw.year) population.set(nr, { value, year: raw.year });
  }
  return population;
}
