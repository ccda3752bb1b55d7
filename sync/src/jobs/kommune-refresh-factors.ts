import type { KommuneRules } from '../config/kommune-rules.js';
import type { SsbClient } from '../sources/ssb/client.js';
import type { CodeChange, KlassClient } from '../sources/ssb/klass.js';
import { boundaryChanges, type BoundaryChanges } from '../sources/ssb/harmonise.js';
import { loadKommuneChanges } from '../sources/ssb/kommune-list.js';
import type { SsbTableMetadata } from '../sources/ssb/metadata.js';
import {
  FACTORS,
  isTableFactor,
  type DerivedFactorDefinition,
  type TableFactorDefinition,
} from '../scoring/kommune/factors.js';
import {
  kommSummerCodelist,
  planTable,
  TablePlanError,
  type TablePlan,
} from '../scoring/kommune/table-plan.js';
import { readTableValues } from '../scoring/kommune/table-values.js';
import type { FactorRaw, KommuneFactorKey } from '../scoring/kommune/types.js';
import type { RefreshTableUse } from '../store/kommune-ranking.js';
import { SourceError } from '../util/errors.js';
import { silentProgress, type Progress } from '../util/progress.js';

export type FactorRaws = Partial<Record<KommuneFactorKey, Map<string, FactorRaw>>>;

type Population = Map<string, { value: number; year: string }>;
type KommSummerGroups = Array<{ code: string; valueMap?: string[] }>;

export interface FactorFetchDeps {
  ssb: SsbClient;
  klass?: KlassClient;
  rules: KommuneRules;
  progress?: Progress;
  /**
   * Population on each kommune's own boundary before a split (default: the bundled snapshot's
   * 14288 extract), used where agg_KommSummer books a split kommune's figures on one successor.
   */
  ownBoundary?: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Where the tables come from; names what is missing in the warnings. */
  source?: 'ssb' | 'snapshot';
}

/** What a refresh notes as it goes; kept with the run whether it succeeds or fails. */
export interface RefreshNotes {
  tables: RefreshTableUse[];
  warnings: string[];
}

/** State carried from one factor's table to the next within one refresh. */
interface FactorFetchState {
  deps: FactorFetchDeps;
  /** The refresh date (YYYY-MM-DD), for KLASS. */
  today: string;
  kommuner: string[];
  notes: RefreshNotes;
  /** agg_KommSummer(S) groups by codelist id; null where the API does not serve the list. */
  codelists: Map<string, KommSummerGroups | null>;
  /** Metadata by table id: two factors may read one table (05940: completions and starts). */
  metadata: Map<string, SsbTableMetadata>;
  /** Kommune number changes (KLASS, else the bundled mapping), loaded before the first table. */
  changes?: CodeChange[];
  /** What the changes mean for series on today's kommuner: splits and boundary-change years. */
  boundaries?: BoundaryChanges;
  /** From the population factor, for the per-1,000 figures of the factors after it. */
  population?: Population;
}

interface ResolvedTable {
  tableId: string;
  use: RefreshTableUse;
}

/**
 * Every weighted factor's raw figures from SSB: for each, its table (confirmed from /tables/{id}),
 * metadata, codes and data. A factor whose table is gone or no longer offers what it needs is left
 * out with a warning; a request failure throws.
 */
export async function fetchFactorRaws(
  deps: FactorFetchDeps,
  run: { today: string; kommuner: string[]; notes: RefreshNotes },
): Promise<FactorRaws> {
  const state: FactorFetchState = { deps, ...run, codelists: new Map(), metadata: new Map() };
  await loadChangesOnce(state);
  const raws: FactorRaws = {};
  const needed = factorsToFetch(deps.rules);
  const stage = (deps.progress ?? silentProgress).stage('SSB factor tables', needed.length);
  for (const def of needed) {
    const factorRaws = await fetchFactor(state, def);
    if (factorRaws) {
      raws[def.key] = factorRaws;
      if (def.key === 'befolkningsvekst') state.population = populationOf(factorRaws);
    }
    stage.tick();
  }
  stage.done();
  for (const def of derivedToCompute(deps.rules))
    raws[def.key] = def.derive(raws, {
      kommuner: run.kommuner,
      rules: deps.rules,
      population: state.population,
    });
  return raws;
}

const derivedToCompute = (rules: KommuneRules): DerivedFactorDefinition[] =>
  FACTORS.filter((f): f is DerivedFactorDefinition => !isTableFactor(f) && rules.weights[f.key] > 0);

/**
 * The weighted table factors, and those a weighted derived factor reads (market size reads
 * population, projection, sales and completions); population growth always (per-1,000 figures and
 * the minimum population need its population).
 */
function factorsToFetch(rules: KommuneRules): TableFactorDefinition[] {
  const inputs = new Set(derivedToCompute(rules).flatMap((d) => d.inputs));
  return FACTORS.filter(isTableFactor).filter(
    (f) => rules.weights[f.key] > 0 || inputs.has(f.key) || f.key === 'befolkningsvekst',
  );
}

/** One factor's raw figures, or null when the factor is left out. */
async function fetchFactor(
  state: FactorFetchState,
  def: TableFactorDefinition,
): Promise<Map<string, FactorRaw> | null> {
  const { ssb, rules } = state.deps;
  const table = await resolveTable(
    ssb,
    def,
    rules.tables[def.key as keyof KommuneRules['tables']],
    state.deps.source,
  );
  state.notes.tables.push(table.use);
  if (!table.tableId) {
    table.use.warning = 'table-missing';
    state.notes.warnings.push(`table-missing: ${def.key}: ${table.use.problem}; the factor is left out`);
    return null;
  }
  const resolved = { tableId: table.tableId, use: table.use };
  const metadata = state.metadata.get(resolved.tableId) ?? (await ssb.metadata(resolved.tableId));
  state.metadata.set(resolved.tableId, metadata);
  const kommSummerCodes = await kommSummerCodesOf(ssb, metadata, state.codelists);
  const plan = planOrLeaveOut(state, def, resolved, metadata, kommSummerCodes);
  if (!plan) return null;
  const datasets = await ssb.data(resolved.tableId, plan.query, metadata);
  const { kommuner, changes, population, boundaries } = state;
  const values = readTableValues(plan, datasets, { kommuner, changes });
  const series = { boundaries, ownBoundary: state.deps.ownBoundary };
  return def.extract(values, { kommuner, rules, population, series });
}

/** Number changes: for tables on the codes valid at the time, and for the splits in every series. */
async function loadChangesOnce(state: FactorFetchState): Promise<void> {
  if (state.changes) return;
  const loaded = await loadKommuneChanges(state.deps.klass, state.today);
  state.changes = loaded.changes;
  state.boundaries = boundaryChanges(loaded.changes, new Set(state.kommuner));
  if (loaded.warning)
    state.notes.warnings.push(`kommune number changes from the bundled mapping: ${loaded.warning}`);
}

/** The table's query, or null (with a warning) when its metadata no longer offers what the factor needs. */
function planOrLeaveOut(
  state: FactorFetchState,
  def: TableFactorDefinition,
  table: ResolvedTable,
  metadata: SsbTableMetadata,
  kommSummerCodes: KommSummerGroups | undefined,
): TablePlan | null {
  const { kommuner, changes } = state;
  try {
    return planTable(table.tableId, def.table(state.deps.rules), metadata, {
      kommuner,
      kommSummerCodes,
      changes,
    });
  } catch (error) {
    if (!(error instanceof TablePlanError)) throw error;
    table.use.problem = error.message;
    table.use.warning = 'shape-changed';
    state.notes.warnings.push(`shape-changed: ${def.key}: ${error.message}; the factor is left out`);
    return null;
  }
}

/** The first configured table that exists and is not discontinued (confirmed from /tables/{id}). */
async function resolveTable(
  ssb: SsbClient,
  def: TableFactorDefinition,
  candidates: string[],
  source: FactorFetchDeps['source'],
): Promise<{ tableId: string | null; use: RefreshTableUse }> {
  const problems: string[] = [];
  for (const tableId of candidates) {
    const info = await ssb.tableInfo(tableId);
    if (!info) {
      problems.push(
        source === 'snapshot' ? `${tableId} is not in the snapshot` : `${tableId} does not exist`,
      );
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

/** The groups of the table's agg_KommSummer(S) codelist (fetched once per refresh), or undefined. */
async function kommSummerCodesOf(
  ssb: SsbClient,
  metadata: SsbTableMetadata,
  cache: Map<string, KommSummerGroups | null>,
): Promise<KommSummerGroups | undefined> {
  const ref = kommSummerCodelist(metadata.region);
  if (!ref) return undefined;
  if (!cache.has(ref.id)) {
    try {
      const codelist = await ssb.codelist(ref.id);
      cache.set(
        ref.id,
        codelist.values.map((v) => ({ code: v.code, valueMap: v.valueMap })),
      );
    } catch (error) {
      // A codelist the table names but the API does not serve: read plain codes instead.
      if (error instanceof SourceError && (error.context.status === 404 || error.context.status === 400))
        cache.set(ref.id, null);
      else throw error;
    }
  }
  return cache.get(ref.id) ?? undefined;
}

function populationOf(raws: Map<string, FactorRaw>): Population {
  const population: Population = new Map();
  for (const [nr, raw] of raws) {
    const value = raw.detail?.folketall;
    const year = raw.year ?? raw.detail?.ar;
    if (typeof value === 'number' && typeof year === 'string') population.set(nr, { value, year });
  }
  return population;
}
