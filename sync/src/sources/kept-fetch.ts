import { messageOf } from '../util/errors.js';
import type { LastGoodStore, StoredData, StoredPart } from './last-good-store.js';
import { DAY_MS } from '../util/iso-week.js';

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
  /** A copy is used without asking the service again until it is due, never older than this (`isFresh`). */
  refreshDays: number;
  /** Whether a kept copy is still in the shape this version reads (else it is fetched again). */
  usable?: (data: T) => boolean;
  now: Date;
  signal?: AbortSignal;
}

/** Refresh points fall at 12:00 UTC, between two nightly runs, so every run of a night agrees. */
const NOON_MS = DAY_MS / 2;
const GOLDEN_RATIO_FRACTION = (Math.sqrt(5) - 1) / 2;

/**
 * When a kommune's copy fetched at `savedAt` falls due (ms): the kommune's first refresh point
 * after it. A kommune's points are `refreshDays` apart, shifted by a whole number of days in
 * [0, refreshDays) taken from its number, so kommuner first fetched the same night fall due on
 * different nights (about 1/refreshDays of them a night) and each is then fetched once a period.
 * Every `refreshDays` span holds one point, so no copy is used older than `refreshDays`; only the
 * first refresh after a first fetch (or a fetch off its point) comes sooner.
 */
export function refreshDueAt(kommunenummer: string, savedAt: string, refreshDays: number): number {
  const saved = Date.parse(savedAt);
  if (!(refreshDays > 0)) return saved;
  const period = refreshDays * DAY_MS;
  const first = NOON_MS + Math.floor(refreshPhase(kommunenummer) * refreshDays) * DAY_MS;
  return first + (Math.floor((saved - first) / period) + 1) * period;
}

/**
 * Where in its period a kommune's refresh points lie, in [0, 1): Fibonacci hashing of the
 * kommunenummer, which spreads a fylke's neighbouring numbers more evenly than a random hash.
 */
function refreshPhase(kommunenummer: string): number {
  const n = /^\d{1,15}$/.test(kommunenummer)
    ? Number(kommunenummer)
    : [...kommunenummer].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 2 ** 32, 0);
  return (n * GOLDEN_RATIO_FRACTION) % 1;
}

/**
 * Whether a kommune's copy fetched at `savedAt` is used without asking again (before its
 * `refreshDueAt`): the one rule for every kept copy, so the nightly run's input version (which
 * reads only the fetch times) agrees with the loaders that reuse or fetch.
 */
export function isFresh(kommunenummer: string, savedAt: string, refreshDays: number, now: Date): boolean {
  return now.getTime() < refreshDueAt(kommunenummer, savedAt, refreshDays);
}

/** The kept copy when it is fresh (`isFresh`) and usable, else null. */
export function freshKept<T>(
  store: LastGoodStore,
  kommunenummer: string,
  part: StoredPart,
  refreshDays: number,
  now: Date,
  usable: (data: T) => boolean = () => true,
): StoredData<T> | null {
  const kept = store.load<T>(kommunenummer, part);
  if (!kept || !isFresh(kommunenummer, kept.savedAt, refreshDays, now)) return null;
  return usable(kept.data) ? kept : null;
}

/**
 * The kept copy as it is while fresh (`isFresh`); else `fetch` (its answer kept for next time);
 * when that fails, or `fetch` is a reason it cannot be tried, the older copy (`stale`) or, with
 * none, `unavailable` with the reason. Never throws for a service failure; an abort goes on.
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
