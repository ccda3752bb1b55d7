import type { Coverage } from '../../../domain/kommune.js';
import { bboxOf } from '../../../geo/crs.js';
import type { KommuneInfo } from '../../../sources/kommuneinfo/kommuneinfo-client.js';
import { countByType, type PlanPart } from '../../../sources/plan-source.js';
import type { SourceRuntime } from '../../../sources/source-runtime.js';
import { unsuitable, type SourceRole } from '../../../sources/sources-config.js';
import type { StoredPart } from '../../../sources/last-good-store.js';
import { InputError } from '../../../util/errors.js';
import type { Progress, StageProgress } from '../../../util/progress.js';
import type { FetchedKommune, FetchedPart } from './fetched.js';

type FetchableRole = PlanPart | 'parcels';
const FETCHABLE: readonly FetchableRole[] = ['kommuneplan', 'reguleringsplan', 'parcels'];

/** One role fetched from the named source. */
interface SourceFetch {
  runtime: SourceRuntime;
  kommune: string;
  source: string;
  stage: StageProgress;
  /** The source is the one configured for this kommune and role, so its data becomes the last good copy. */
  keep: boolean;
}

/** `fetch --source NAME`: every part (or `--part`) the named source can deliver for a whole kommune. */
export async function fetchFromSource(
  runtime: SourceRuntime,
  options: { kommune: string; source: string; part?: SourceRole | undefined },
  progress: Progress,
): Promise<FetchedKommune> {
  const roles = rolesToFetch(runtime, options);
  const info = await runtime.registry.kommuneinfo.kommune(options.kommune);
  const parts: FetchedPart[] = [];
  for (const role of roles) {
    const fetch: SourceFetch = {
      runtime,
      kommune: options.kommune,
      source: options.source,
      stage: progress.stage(`${options.kommune} ${role} from ${options.source}`),
      keep: runtime.registry.choose(options.kommune, role) === options.source,
    };
    parts.push(role === 'parcels' ? await fetchParcels(fetch, info) : await fetchPlan(fetch, role));
  }
  return {
    kommuneLine: `kommune ${info.kommune.kommunenummer} ${info.kommune.navn}${info.fallbackReason ? ' (bundled boundary: kommuneinfo failed)' : ''}`,
    parts,
  };
}

function rolesToFetch(
  runtime: SourceRuntime,
  options: { source: string; part?: SourceRole | undefined },
): FetchableRole[] {
  const config = runtime.registry.configOf(options.source);
  const roles = FETCHABLE.filter(
    (role) => (!options.part || options.part === role) && !unsuitable(config, role),
  );
  if (roles.length === 0) {
    throw new InputError(
      '--source',
      `source "${options.source}" (${config.type}) cannot deliver ${options.part ?? 'plans or parcels'} for a whole kommune`,
    );
  }
  // Build the sources first: a source that is not configured fails before any request.
  for (const role of roles) {
    if (role === 'parcels') runtime.registry.parcels(options.source);
    else runtime.registry.plan(options.source, role);
  }
  return roles;
}

async function fetchParcels(fetch: SourceFetch, info: KommuneInfo): Promise<FetchedPart> {
  const result = await fetch.runtime.registry
    .parcels(fetch.source)
    .fetchKommune(
      fetch.kommune,
      { bbox: bboxOf(info.boundary), boundary: info.boundary },
      { onTile: () => fetch.stage.tick() },
    );
  if (fetch.keep) keepAsLastGood(fetch, 'parcels', result.coverage, result.parcels);
  fetch.stage.done(`${result.parcels.length} parcels, ${result.tiles} tiles, ${result.pages} pages`);
  return {
    part: 'parcels',
    source: fetch.source,
    coverage: result.coverage,
    counts: [['Teig', result.parcels.length]],
    warnings: result.warnings.length,
  };
}

async function fetchPlan(fetch: SourceFetch, role: PlanPart): Promise<FetchedPart> {
  const result = await fetch.runtime.registry.plan(fetch.source, role).fetchKommune!(fetch.kommune, role);
  if (fetch.keep) keepAsLastGood(fetch, role, result.coverage, result.features);
  fetch.stage.done(`${result.features.length} features`);
  return {
    part: role,
    source: fetch.source,
    coverage: result.coverage,
    counts: countByType(result.features),
    warnings: result.warnings.length,
  };
}

function keepAsLastGood<T>(fetch: SourceFetch, part: StoredPart, coverage: Coverage, data: T): void {
  fetch.runtime.lastGood.save({
    kommunenummer: fetch.kommune,
    part,
    source: fetch.source,
    coverage,
    savedAt: new Date().toISOString(),
    data,
  });
}
