import { loadKommuneData } from '../../../sources/kommune-data.js';
import { countByType, type PlanPart } from '../../../sources/plan-source.js';
import type { SourceRuntime } from '../../../sources/source-runtime.js';
import type { Logger } from '../../../util/logger.js';
import type { Progress } from '../../../util/progress.js';
import type { FetchedKommune, FetchOptions } from './fetched.js';

/**
 * `fetch` without `--source`: the kommune loaded exactly as the nightly job loads it (the sources
 * SOURCES_FILE chooses, the last good copy when one fails), reported part by part.
 */
export async function fetchAsNightly(
  runtime: SourceRuntime,
  options: FetchOptions,
  deps: { logger: Logger; progress: Progress },
): Promise<FetchedKommune> {
  const data = await loadKommuneData(options.kommune, {
    sources: runtime.registry,
    lastGood: runtime.lastGood,
    ...deps,
  });
  const reports = data.report.parts.filter(
    (p) => p.part !== 'kommune' && (!options.part || p.part === options.part),
  );
  return {
    kommuneLine: `kommune ${data.kommune.kommunenummer} ${data.kommune.navn}`,
    parts: reports.map((report) => ({
      part: report.part,
      source: report.source,
      coverage: report.coverage,
      // Parcels are counted as one feature type, as the teig sources name them.
      counts: countByType(
        report.part === 'parcels'
          ? data.parcels.map(() => ({ objekttypenavn: 'Teig' }))
          : data[report.part as PlanPart],
      ),
      warnings: report.warnings,
      status: report.status,
      reason: report.reason,
    })),
  };
}
