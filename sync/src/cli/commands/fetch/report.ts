import type { HttpCacheStats } from '../../../net/conditional-cache.js';
import type { CliContext } from '../../context.js';
import type { FetchedKommune, FetchedPart } from './fetched.js';

/** The sources that made requests, with the attempts retries added. */
export interface RequestCount {
  source: string;
  requests: number;
  attempts: number;
}

export function printFetchedJson(
  context: CliContext,
  kommune: string,
  fetched: FetchedKommune,
  usage: { requests: RequestCount[]; cache: HttpCacheStats },
): void {
  context.print(
    JSON.stringify({ kommune, parts: fetched.parts, requests: usage.requests, cache: usage.cache }, null, 2),
  );
}

export function printFetched(
  context: CliContext,
  fetched: FetchedKommune,
  usage: { requests: RequestCount[]; cache: HttpCacheStats; cacheDir: string; lastGoodDir: string },
): void {
  context.print(fetched.kommuneLine);
  for (const part of fetched.parts) printPart(context, part);
  context.print(
    `requests: ${usage.requests.map((r) => `${r.source} ${r.requests}`).join(', ') || 'none'}; ${usage.cache.revalidated} answered 304 Not Modified`,
  );
  context.print(`raw answers cached in ${usage.cacheDir}; last good data in ${usage.lastGoodDir}`);
}

/** The part's source and coverage, then a count per feature type, aligned. */
function printPart(context: CliContext, part: FetchedPart): void {
  const flag = part.status === 'fallback' ? ` — SOURCE FAILED, last good data used (${part.reason})` : '';
  context.print(`${part.part} from ${part.source}: ${part.coverage}${flag}`);
  const width = Math.max(0, ...part.counts.map(([type]) => type.length));
  for (const [type, count] of part.counts)
    context.print(`  ${type.padEnd(width)}  ${String(count).padStart(7)}`);
  if (part.counts.length === 0) context.print('  (no features)');
  if (part.warnings > 0)
    context.print(`  ${part.warnings} feature(s) skipped or repaired (see the log with LOG_LEVEL=debug)`);
}
