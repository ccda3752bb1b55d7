import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTERNAL_EPSG, type AreaGeometry, type BBox } from '../../domain/geometry.js';
import type { TransitData, TransitStop } from '../../domain/transit.js';
import { bboxOf, transformFor } from '../../geo/crs.js';
import { expandBox } from '../../geo/spatial-index.js';
import { freshKept, keptOrFetched } from '../kept-fetch.js';
import type { LastGoodStore, StoredData } from '../last-good-store.js';
import type { DepartureWindowRule } from '../../config/lot-score-rules.js';
import { nextDepartureWindow } from './departure-window.js';
import { parseDepartures } from './departures.js';
import { parseStopPlaces, withDepartures, type StopPlaceSource } from './stop-places.js';

export interface TransitLoadOptions {
  /** The stop register; null when not configured. */
  source: StopPlaceSource | null;
  /** Where the last fetch per kommune is kept (DATA_DIR/sources/<nr>/transit.json.gz). */
  store: LastGoodStore;
  /** A copy is used without asking again until due, never older than this (`isFresh`; stops change slowly). */
  refreshDays: number;
  /** How far outside the kommune stops still count (a station just over the border), metres. */
  marginM: number;
  /** The weekday window departures are counted in (`lotScore.sentralitet.transit.departures`). */
  departures: DepartureWindowRule;
  now?: () => Date;
  signal?: AbortSignal;
}

/** A kommune's box in lon/lat, grown by `marginM`: every corner transformed, so the box holds it all. */
export function lonLatBoxOf(boundary: AreaGeometry, marginM: number): BBox {
  const [x0, y0, x1, y1] = expandBox(bboxOf(boundary), marginM);
  const toLonLat = transformFor(INTERNAL_EPSG, 4326);
  const corners = [toLonLat([x0, y0]), toLonLat([x0, y1]), toLonLat([x1, y0]), toLonLat([x1, y1])];
  return [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1])),
  ];
}

/**
 * The sample kommune's generated stops (sync/samples/…/stops.json, in the Journey Planner's shape)
 * with their generated departures (departures.json, the `stopPlaces { estimatedCalls }` shape plus
 * the window they were generated for).
 */
export function bundledSampleStops(sampleDir: string): TransitData {
  const stops = parseStopPlaces(readFileSync(path.join(sampleDir, 'stops.json'), 'utf8'));
  const departuresText = readFileSync(path.join(sampleDir, 'departures.json'), 'utf8');
  const { window } = JSON.parse(departuresText) as { window: { hours: number } };
  return {
    status: 'bundled',
    source: 'bundled-sample',
    fetchedAt: null,
    stops: withDepartures(stops, parseDepartures(departuresText, window.hours)),
    reason: 'the generated sample kommune has generated stops to match its generated town',
  };
}

/**
 * The kept copy of a kommune's stops when it is fresh (`isFresh`) and has its departures
 * counted (a copy from before they were counted is fetched again), else null.
 */
export function freshKeptStops(
  store: LastGoodStore,
  kommunenummer: string,
  refreshDays: number,
  now: Date = new Date(),
): StoredData<TransitStop[]> | null {
  return freshKept(store, kommunenummer, 'transit', refreshDays, now, countedDepartures);
}

const countedDepartures = (stops: TransitStop[]) => stops.every((s) => s.departuresPerHour !== undefined);

/**
 * A kommune's stops with regular departures, for Sentralitet: the copy fetched within
 * `refreshDays` as it is; else a fresh fetch (kept for next time); when that fails, the older copy
 * (`stale`) or, with none, `unavailable` with the reason. Never throws for a service failure.
 */
export async function loadTransitStops(
  kommunenummer: string,
  boundary: AreaGeometry | null,
  options: TransitLoadOptions,
): Promise<TransitData> {
  const now = (options.now ?? (() => new Date()))();
  const { source } = options;
  const fetch = !source
    ? { cannot: 'no stop register configured' }
    : !boundary
      ? { cannot: 'the kommune boundary is unknown, so its box is too' }
      : () =>
          source.stopsIn(lonLatBoxOf(boundary, options.marginM), {
            kommune: kommunenummer,
            signal: options.signal,
            departures: nextDepartureWindow(options.departures, now),
          });
  const kept = { store: options.store, kommunenummer, part: 'transit' as const, now, signal: options.signal };
  const { data, ...loaded } = await keptOrFetched(
    { ...kept, refreshDays: options.refreshDays, usable: countedDepartures },
    source?.name ?? 'none',
    fetch,
  );
  return { ...loaded, stops: data ?? [] };
}
