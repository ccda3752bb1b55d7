import { messageOf } from '../util/errors.js';
import type { LastGoodStore, StoredData, StoredPart } from './last-good-store.js';

const DAY_MS = 86_400_000;

/** A kommune's data from a slow-changing service, and where it came from. */
export interface KeptFetch<T> {
  status: 'fetched' | 'cached' | 'stale' | 'unavailable';
  source: string;
  /** ISO time of the fetch (null when unavailable). */
  fetchedAt: string | null;
  data: T | null;
  /** Why the data is stale or unavailable. */
  reason?: string;
}

export interface KeptFetchOptions<T> {
  store: LastGoodStore;
  kommunenummer: string;
  part: StoredPart;
  /** A copy younger than this is used without asking the service again. */
  refreshDays: number;
  /** Whether a kept copy is still in the shape this version reads (else it is fetched again). */
  usable?: (data: T) => boolean;
  now: Date;
  signal?: AbortSignal;
}

/**
 * Whether a copy fetched at `savedAt` is young enough to be used without asking again: the one
 * rule for every kept copy, so the nightly run's input version (which reads only the fetch times)
 * agrees with the loaders that reuse or fetch.
 */
export function isFresh(savedAt: string, refreshDays: number, now: Date): boolean {
  return now.getTime() - Date.parse(savedAt) < refreshDays * DAY_MS;
}

/** The kept copy when it is younger than `refreshDays` and usable, else null. */
export function freshKept<T>(
  store: LastGoodStore,
  kommunenummer: string,
  part: StoredPart,
  refreshDays: number,
  now: Date,
  usable: (data: T) => boolean = () => true,
): StoredData<T> | null {
  const kept = store.load<T>(kommunenummer, part);
  if (!kept || !isFresh(kept.savedAt, refreshDays, now)) return null;
  return usable(kept.data) ? kept : null;
}

/**
 * The kept copy fetched within `refreshDays` as it is; else `fetch` (its answer kept for next
 * time); when that fails, or `fetch` is a reason it cannot be tried, the older copy (`stale`) or,
 * with none, `unavailable` with the reason. Never throws for a service failure; an abort goes on.
 */
export async function keptOrFetched<T>(
  options: KeptFetchOptions<T>,
  source: string,
  fetch: (() => Promise<T>) | { cannot: string },
): Promise<KeptFetch<T>> {
  const { store, kommunenummer, part, now } = options;
  const fresh = freshKept(store, kommunenummer, part, options.refreshDays, now, options.usable);
  if (fresh) return { status: 'cached', source: fresh.source, fetchedAt: fresh.savedAt, data: fresh.data };
  const kept = store.load<T>(kommunenummer, part);
  const failed = (reason: string): KeptFetch<T> =>
    kept
      ? { status: 'stale', source: kept.source, fetchedAt: kept.savedAt, data: kept.data, reason }
      : { status: 'unavailable', source, fetchedAt: null, data: null, reason };
  if (typeof fetch !== 'function') return failed(fetch.cannot);
  try {
    const data = await fetch();
    const fetchedAt = now.toISOString();
    store.save({ kommunenummer, part, source, coverage: 'covered', savedAt: fetchedAt, data });
    return { status: 'fetched', source, fetchedAt, data };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return failed(messageOf(error));
  }
}
