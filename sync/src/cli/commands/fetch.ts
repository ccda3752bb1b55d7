import { Option, type Command } from 'commander';
import { isKommunenummer } from '../../domain/kommune.js';
import { configuredSources } from '../../sources/sample-kommune.js';
import { createSourceRuntime, lastGoodDir, type SourceRuntime } from '../../sources/source-runtime.js';
import { ExitCode, InputError, SourceError } from '../../util/errors.js';
import type { CliContext } from '../context.js';
import { fetchAsNightly } from './fetch/as-nightly.js';
import type { FetchedKommune, FetchOptions } from './fetch/fetched.js';
import { fetchFromSource } from './fetch/from-source.js';
import { printFetched, printFetchedJson, type RequestCount } from './fetch/report.js';
import type { RegisterCommand } from './index.js';

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
    .action((options: FetchOptions) => fetchKommune(options, context));
};

async function fetchKommune(options: FetchOptions, context: CliContext): Promise<void> {
  if (!isKommunenummer(options.kommune))
    throw new InputError('--kommune', `"${options.kommune}" is not a 4-digit kommunenummer`);
  const env = context.env();
  const runtime = createSourceRuntime(env, configuredSources(env).file);
  try {
    const fetched = options.source
      ? await fetchFromSource(runtime, { ...options, source: options.source }, context.progress())
      : await fetchAsNightly(runtime, options, { logger: context.logger(), progress: context.progress() });
    const usage = { requests: requestCounts(runtime), cache: runtime.cache.stats() };
    if (options.json) printFetchedJson(context, options.kommune, fetched, usage);
    else
      printFetched(context, fetched, { ...usage, cacheDir: env.httpCacheDir, lastGoodDir: lastGoodDir(env) });
    // The data shown may be the last good copy, but the fetch asked for failed: say so in the exit code.
    if (fellBack(fetched)) process.exitCode = ExitCode.sourceFailed;
  } catch (error) {
    throw error instanceof SourceError ? error.withKommune(options.kommune) : error;
  } finally {
    await runtime.close();
  }
}

function requestCounts(runtime: SourceRuntime): RequestCount[] {
  return Object.entries(runtime.registry.httpStats())
    .filter(([, s]) => s.requests > 0)
    .map(([name, s]) => ({ source: name, requests: s.requests, attempts: s.attempts }));
}

const fellBack = (fetched: FetchedKommune) => fetched.parts.some((part) => part.status === 'fallback');
