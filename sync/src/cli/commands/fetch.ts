import { Option, type Command } from 'commander';
import { isKommunenummer } from '../../domain/kommune.js';
import { bboxOf } from '../../geo/crs.js';
import { loadKommuneData } from '../../sources/kommune-data.js';
import { unsuitable, type SourceRole } from '../../sources/sources-config.js';
import { countByType, type PlanPart } from '../../sources/plan-source.js';
import { configuredSources } from '../../sources/sample-kommune.js';
import { createSourceRuntime, lastGoodDir } from '../../sources/source-runtime.js';
import { ExitCode, InputError, SourceError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import type { RegisterCommand } from './index.js';

interface FetchedPart {
  part: string;
  source: string;
  coverage: string;
  counts: Array<[string, number]>;
  warnings: number;
  status?: string;
  reason?: string;
}

/**
 * `tomtejakt fetch --kommune 3218 [--source nap]`: fetches one kommune's data from one source
 * (or, without --source, from the sources SOURCES_FILE chooses, as the nightly run does), keeps
 * the raw answers in the HTTP cache and prints counts per feature type. Data fetched from the
 * source configured for the kommune also replaces its last-good copy.
 */
export const registerFetch: RegisterCommand = (program: Command, context: CliContext) => {
  program
    .command('fetch')
    .description(
      "fetch one kommune's plan data and parcels from a source into the cache; print counts per feature type",
    )
    .requiredOption('-k, --kommune <kommunenummer>', 'kommunenummer, e.g. 3218')
    .option(
      '-s, --source <name>',
      'source name from SOURCES_FILE or built in (nap, teig-wfs); default: the configured ones',
    )
    .addOption(
      new Option('-p, --part <part>', 'only this part').choices([
        'kommuneplan',
        'reguleringsplan',
        'parcels',
      ]),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nRaw answers are kept in HTTP_CACHE_DIR (conditional requests next time); data from the\n' +
        "kommune's configured source also becomes its last good copy under DATA_DIR/sources.\n" +
        'Exit codes: 0 ok, 1 bad input or configuration, 2 a source failed.',
    )
    .action(async (options: { kommune: string; source?: string; part?: SourceRole; json?: boolean }) => {
      if (!isKommunenummer(options.kommune))
        throw new InputError('--kommune', `"${options.kommune}" is not a 4-digit kommunenummer`);
      const env = context.env();
      const runtime = createSourceRuntime(env, configuredSources(env).file);
      const logger = context.logger();
      const progress = context.progress();
      try {
        const parts: FetchedPart[] = [];
        let kommuneLine: string;
        if (!options.source) {
          const data = await loadKommuneData(options.kommune, {
            sources: runtime.registry,
            lastGood: runtime.lastGood,
            logger,
            progress,
          });
          kommuneLine = `kommune ${data.kommune.kommunenummer} ${data.kommune.navn}`;
          for (const report of data.report.parts.filter((p) => p.part !== 'kommune')) {
            if (options.part && report.part !== options.part) continue;
            const list =
              report.part === 'parcels'
                ? data.parcels.map(() => ({ objekttypenavn: 'Teig' }))
                : data[report.part as PlanPart];
            parts.push({
              part: report.part,
              source: report.source,
              coverage: report.coverage,
              counts: countByType(list),
              warnings: report.warnings,
              status: report.status,
              reason: report.reason,
            });
          }
        } else {
          const config = runtime.registry.configOf(options.source);
          const roles = (['kommuneplan', 'reguleringsplan', 'parcels'] as const).filter(
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
          const info = await runtime.registry.kommuneinfo.kommune(options.kommune);
          kommuneLine = `kommune ${info.kommune.kommunenummer} ${info.kommune.navn}${info.fallbackReason ? ' (bundled boundary: kommuneinfo failed)' : ''}`;
          for (const role of roles) {
            const stage = progress.stage(`${options.kommune} ${role} from ${options.source}`);
            const configured = runtime.registry.choose(options.kommune, role) === options.source;
            if (role === 'parcels') {
              const result = await runtime.registry
                .parcels(options.source)
                .fetchKommune(
                  options.kommune,
                  { bbox: bboxOf(info.boundary), boundary: info.boundary },
                  { onTile: () => stage.tick() },
                );
              if (configured)
                runtime.lastGood.save({
                  kommunenummer: options.kommune,
                  part: 'parcels',
                  source: options.source,
                  coverage: result.coverage,
                  savedAt: new Date().toISOString(),
                  data: result.parcels,
                });
              stage.done(`${result.parcels.length} parcels, ${result.tiles} tiles, ${result.pages} pages`);
              parts.push({
                part: role,
                source: options.source,
                coverage: result.coverage,
                counts: [['Teig', result.parcels.length]],
                warnings: result.warnings.length,
              });
            } else {
              const result = await runtime.registry.plan(options.source, role).fetchKommune!(
                options.kommune,
                role,
              );
              if (configured)
                runtime.lastGood.save({
                  kommunenummer: options.kommune,
                  part: role,
                  source: options.source,
                  coverage: result.coverage,
                  savedAt: new Date().toISOString(),
                  data: result.features,
                });
              stage.done(`${result.features.length} features`);
              parts.push({
                part: role,
                source: options.source,
                coverage: result.coverage,
                counts: countByType(result.features),
                warnings: result.warnings.length,
              });
            }
          }
        }
        const requests = Object.entries(runtime.registry.httpStats())
          .filter(([, s]) => s.requests > 0)
          .map(([name, s]) => ({ source: name, requests: s.requests, attempts: s.attempts }));
        if (options.json) {
          context.print(
            JSON.stringify(
              { kommune: options.kommune, parts, requests, cache: runtime.cache.stats() },
              null,
              2,
            ),
          );
          return;
        }
        context.print(kommuneLine);
        for (const part of parts) {
          const flag =
            part.status === 'fallback' ? ` — SOURCE FAILED, last good data used (${part.reason})` : '';
          context.print(`${part.part} from ${part.source}: ${part.coverage}${flag}`);
          const width = Math.max(0, ...part.counts.map(([type]) => type.length));
          for (const [type, count] of part.counts)
            context.print(`  ${type.padEnd(width)}  ${String(count).padStart(7)}`);
          if (part.counts.length === 0) context.print('  (no features)');
          if (part.warnings > 0)
            context.print(
              `  ${part.warnings} feature(s) skipped or repaired (see the log with LOG_LEVEL=debug)`,
            );
        }
        const cache = runtime.cache.stats();
        context.print(
          `requests: ${requests.map((r) => `${r.source} ${r.requests}`).join(', ') || 'none'}; ${cache.revalidated} answered 304 Not Modified`,
        );
        context.print(`raw answers cached in ${env.httpCacheDir}; last good data in ${lastGoodDir(env)}`);
        // The data shown may be the last good copy, but the fetch asked for failed: say so in the exit code.
        if (parts.some((part) => part.status === 'fallback')) process.exitCode = ExitCode.sourceFailed;
      } catch (error) {
        throw error instanceof SourceError ? error.withKommune(options.kommune) : error;
      } finally {
        await runtime.close();
      }
    });
};
