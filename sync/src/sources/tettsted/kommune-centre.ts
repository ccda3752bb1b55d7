import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AreaGeometry } from '../../domain/geometry.js';
import type { CentreData, TettstedCentre } from '../../domain/tettsted.js';
import { getGeos } from '../../geo/geos.js';
import { lonLatBoxOf } from '../entur/transit-stops.js';
import { keptOrFetched } from '../kept-fetch.js';
import type { LastGoodStore } from '../last-good-store.js';
import { largestTettsted } from './largest-tettsted.js';
import type { TettstedSource } from './tettsted-client.js';
import { parseTettstedGml } from './tettsted-gml.js';

export interface CentreLoadOptions {
  /** SSB's tettsted WFS; null when switched off. */
  source: TettstedSource | null;
  /** Where the last choice per kommune is kept (DATA_DIR/sources/<nr>/centre.json.gz). */
  store: LastGoodStore;
  /** Tettsteder change once a year: a kept choice is used as it is until due, never older (`isFresh`). */
  refreshDays: number;
  now?: () => Date;
  signal?: AbortSignal;
}

/** What is kept: the choice, or null for a kommune SSB gives no tettsted. */
interface KeptCentre {
  centre: TettstedCentre | null;
}

/**
 * A kommune's centre for Sentralitet: its largest tettsted (largest-tettsted.ts) from SSB's WFS,
 * fetched within the kommune's box; kept, reused for `refreshDays`, and when the service fails
 * the older choice (`stale`) or `unavailable` with the reason. Never throws for a service failure.
 */
export async function loadKommuneCentre(
  kommunenummer: string,
  boundary: AreaGeometry | null,
  options: CentreLoadOptions,
): Promise<CentreData> {
  const { source } = options;
  const fetch = !source
    ? { cannot: 'no tettsted source configured' }
    : !boundary
      ? { cannot: 'the kommune boundary is unknown, so its box is too' }
      : async (): Promise<KeptCentre> => {
          const box = lonLatBoxOf(boundary, 0);
          const tettsteder = await source.tettstederIn(box, {
            kommune: kommunenummer,
            signal: options.signal,
          });
          return { centre: largestTettsted(await getGeos(), tettsteder, boundary) };
        };
  const now = (options.now ?? (() => new Date()))();
  const { store, refreshDays, signal } = options;
  const { data, ...loaded } = await keptOrFetched<KeptCentre>(
    { store, kommunenummer, part: 'centre', refreshDays, now, signal },
    source?.name ?? 'none',
    fetch,
  );
  return { ...loaded, centre: data?.centre ?? null };
}

/** The sample kommune's generated tettsteder (…/tettsteder.gml, in the WFS's shape), chosen the same way. */
export async function bundledSampleCentre(
  sampleDir: string,
  boundary: AreaGeometry | null,
): Promise<CentreData> {
  const { tettsteder } = await parseTettstedGml(readFileSync(path.join(sampleDir, 'tettsteder.gml')));
  return {
    status: 'bundled',
    source: 'bundled-sample',
    fetchedAt: null,
    centre: boundary ? largestTettsted(await getGeos(), tettsteder, boundary) : null,
    reason: 'the generated sample kommune has generated tettsteder to match its generated town',
  };
}
