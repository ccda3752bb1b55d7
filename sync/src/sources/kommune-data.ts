import type { AreaGeometry, PointGeometry } from '../domain/geometry.js';
import { isKommunenummer, type Coverage, type KommuneData } from '../domain/kommune.js';
import type { Parcel } from '../domain/parcel.js';
import type { PlanFeature } from '../domain/plan.js';
import { bboxOf } from '../geo/crs.js';
import { InputError, SourceError, messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { silentProgress, type Progress } from '../util/progress.js';
import type { ReadWarning } from './files/read-options.js';
import type { KommuneInfo } from './kommuneinfo/kommuneinfo-client.js';
import type { LastGoodStore, StoredData, StoredPart } from './last-good-store.js';
import type { PlanPart } from './plan-source.js';
import type { SourceRegistry } from './source-registry.js';

export interface KommuneDataDeps {
  sources: SourceRegistry;
  lastGood: LastGoodStore;
  logger?: Logger;
  progress?: Progress;
  signal?: AbortSignal;
  now?: () => Date;
}

/** How one part was obtained tonight. */
export interface PartReport {
  part: StoredPart;
  source: string;
  /** `fetched`: fresh and checked; `fallback`: the source failed and the last good data was used. */
  status: 'fetched' | 'fallback';
  coverage: Coverage;
  count: number;
  /** When the data used was fetched (now, or the fallback's original fetch). */
  fetchedAt: string;
  /** Why the fallback was needed. */
  reason?: string;
  warnings: number;
}

export interface KommuneDataReport {
  parts: PartReport[];
  /** Feature-level problems (skipped or changed features), for the run log. */
  warnings: ReadWarning[];
}

export interface LoadedKommuneData extends KommuneData {
  report: KommuneDataReport;
}

interface Fetched<T> {
  data: T;
  coverage: Coverage;
  warnings: ReadWarning[];
  source: string;
}

interface KommuneRecord {
  kommune: KommuneInfo['kommune'];
  boundary: AreaGeometry;
  centre: PointGeometry;
}

/**
 * Everything the engine needs for one kommune, from the sources the SOURCES_FILE chooses for it:
 * the kommune (kommuneinfo, bundled boundaries offline), its kommuneplan and reguleringsplan
 * features and its parcels, with a coverage flag per part. Each part that is fetched completely
 * and passes its checks replaces the kommune's stored last-good copy; a part whose source fails
 * falls back to that copy, and the report says so. Without a copy to fall back on, the kommune
 * fails with the source's SourceError (the nightly job reports it and goes on with the others).
 */
export async function loadKommuneData(
  kommunenummer: string,
  deps: KommuneDataDeps,
): Promise<LoadedKommuneData> {
  if (!isKommunenummer(kommunenummer))
    throw new InputError(`kommune ${kommunenummer}`, 'not a 4-digit kommunenummer');
  const progress = deps.progress ?? silentProgress;
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const parts: PartReport[] = [];
  const warningsOf = new Map<StoredPart, ReadWarning[]>();
  const log = deps.logger?.child({ kommune: kommunenummer });

  const settle = async <T>(
    part: StoredPart,
    fetch: () => Promise<Fetched<T>>,
    count: (data: T) => number,
  ): Promise<{ data: T; coverage: Coverage; source: string }> => {
    const stage = progress.stage(`${kommunenummer} ${part}`);
    let failure: unknown;
    try {
      const fetched = await fetch();
      warningsOf.set(part, fetched.warnings);
      // A source that covered the kommune yesterday and has nothing today is failing, not reporting "no plans".
      // (Only then is yesterday's copy read: it is as large as the part itself.)
      if (
        fetched.coverage === 'not-covered' &&
        deps.lastGood.load<T>(kommunenummer, part)?.coverage === 'covered'
      ) {
        throw new SourceError('not-covered', `the source suddenly has no ${part} data for the kommune`, {
          source: fetched.source,
          kommune: kommunenummer,
        });
      }
      const stored: StoredData<T> = {
        kommunenummer,
        part,
        source: fetched.source,
        coverage: fetched.coverage,
        savedAt: now(),
        data: fetched.data,
      };
      await deps.lastGood.saveAsync(stored);
      parts.push({
        part,
        source: fetched.source,
        status: 'fetched',
        coverage: fetched.coverage,
        count: count(fetched.data),
        fetchedAt: stored.savedAt,
        warnings: fetched.warnings.length,
      });
      stage.done(`${count(fetched.data)} from ${fetched.source} (${fetched.coverage})`);
      return { data: fetched.data, coverage: fetched.coverage, source: fetched.source };
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      failure = error;
    }
    const reason = messageOf(failure);
    const previous = deps.lastGood.load<T>(kommunenummer, part);
    if (!previous) {
      stage.done(`failed, no earlier data: ${reason}`);
      throw (failure as SourceError).withKommune(kommunenummer);
    }
    log?.warn('source failed; using the last good data', { part, reason, from: previous.savedAt });
    parts.push({
      part,
      source: previous.source,
      status: 'fallback',
      coverage: previous.coverage,
      count: count(previous.data),
      fetchedAt: previous.savedAt,
      reason,
      warnings: 0,
    });
    stage.done(`source failed; using data from ${previous.savedAt}`);
    return { data: previous.data, coverage: previous.coverage, source: previous.source };
  };

  const kommune = await settle<KommuneRecord>(
    'kommune',
    async () => {
      const info = await deps.sources.kommuneinfo.kommune(kommunenummer, { signal: deps.signal });
      if (info.fallbackReason)
        log?.warn('kommuneinfo unavailable; using the bundled 2024 boundary', {
          reason: info.fallbackReason,
        });
      return {
        data: { kommune: info.kommune, boundary: info.boundary, centre: info.centre },
        coverage: 'covered',
        warnings: [],
        source: info.source,
      };
    },
    () => 1,
  );

  const plan = (part: PlanPart) =>
    settle<PlanFeature[]>(
      part,
      async () => {
        const name = deps.sources.choose(kommunenummer, part);
        const source = deps.sources.plan(name, part);
        const result = await source.fetchKommune!(kommunenummer, part, { signal: deps.signal });
        return { data: result.features, coverage: result.coverage, warnings: result.warnings, source: name };
      },
      (features) => features.length,
    );
  // The parcels are read (for files: on a worker thread, and here between plan chunks) while the plans are parsed here.
  const parcelsRead = settle<Parcel[]>(
    'parcels',
    async () => {
      const name = deps.sources.choose(kommunenummer, 'parcels');
      const source = deps.sources.parcels(name);
      const stage = progress.stage(`${kommunenummer} parcels tiles`);
      const result = await source.fetchKommune(
        kommunenummer,
        { bbox: bboxOf(kommune.data.boundary), boundary: kommune.data.boundary },
        { signal: deps.signal, onTile: () => stage.tick() },
      );
      stage.done(`${result.tiles} tiles, ${result.pages} pages`);
      return { data: result.parcels, coverage: result.coverage, warnings: result.warnings, source: name };
    },
    (list) => list.length,
  );
  // All three are awaited before a failure is thrown (in this order): none is left running.
  const [kp, rp, pc] = await Promise.allSettled([plan('kommuneplan'), plan('reguleringsplan'), parcelsRead]);
  const kommuneplan = valueOf(kp);
  const reguleringsplan = valueOf(rp);
  const parcels = valueOf(pc);
  // Reported in one order however the reads finished.
  const order: StoredPart[] = ['kommune', 'kommuneplan', 'reguleringsplan', 'parcels'];
  parts.sort((a, b) => order.indexOf(a.part) - order.indexOf(b.part));
  const warnings = order.flatMap((part) => warningsOf.get(part) ?? []);

  return {
    kommune: kommune.data.kommune,
    kommuneplan: kommuneplan.data,
    reguleringsplan: reguleringsplan.data,
    parcels: parcels.data,
    coverage: {
      kommuneplan: kommuneplan.coverage,
      reguleringsplan: reguleringsplan.coverage,
      parcels: parcels.coverage,
    },
    boundary: kommune.data.boundary,
    centre: kommune.data.centre,
    sources: {
      kommuneplan: kommuneplan.source,
      reguleringsplan: reguleringsplan.source,
      parcels: parcels.source,
    },
    report: { parts, warnings },
  };
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
