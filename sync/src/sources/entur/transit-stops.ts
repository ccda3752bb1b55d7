import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTERNAL_EPSG, type AreaGeometry, type BBox } from '../../domain/geometry.js';
import type { TransitData, TransitStop } from '../../domain/transit.js';
import { bboxOf, transformFor } from '../../geo/crs.js';
import { expandBox } from '../../geo/spatial-index.js';
import { messageOf } from '../../util/errors.js';
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
  /** A copy younger than this is used without asking the service again (stops change slowly). */
  refreshDays: number;
  /** How far outside the kommune stops still count (a station just over the border), metres. */
  marginM: number;
  /** The weekday window departures are counted in (`lotScore.sentralitet.transit.departures`). */
  departures: DepartureWindowRule;
  now?: () => Date;
  signal?: AbortSignal;
}

const DAY_MS = 86_400_000;

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
 * The kept copy of a kommune's stops when it is younger than `refreshDays` and has its departures
 * counted (a copy from before they were counted is fetched again), else null.
 */
export function freshKeptStops(
  store: LastGoodStore,
  kommunenummer: string,
  refreshDays: number,
  now: Date = new Date(),
): StoredData<TransitStop[]> | null {
  const kept = store.load<TransitStop[]>(kommunenummer, 'transit');
  if (!kept || now.getTime() - Date.parse(kept.savedAt) >= refreshDays * DAY_MS) return null;
  return kept.data.every((s) => s.departuresPerHour !== undefined) ? kept : null;
}

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
  const fresh = freshKeptStops(options.store, kommunenummer, options.refreshDays, now);
  if (fresh) return { status: 'cached', source: fresh.source, fetchedAt: fresh.savedAt, stops: fresh.data };
  const kept = options.store.load<TransitStop[]>(kommunenummer, 'transit');
  const failed = (reason: string): TransitData =>
    kept
      ? { status: 'stale', source: kept.source, fetchedAt: kept.savedAt, stops: kept.data, reason }
      : { status: 'unavailable', source: options.source?.name ?? 'none', fetchedAt: null, stops: [], reason };
  if (!options.source) return failed('no stop register configured');
  if (!boundary) return failed('the kommune boundary is unknown, so its box is too');
  try {
    const stops = await options.source.stopsIn(lonLatBoxOf(boundary, options.marginM), {
      kommune: kommunenummer,
      signal: options.signal,
      departures: nextDepartureWindow(options.departures, now),
    });
    const fetchedAt = now.toISOString();
    options.store.save({
      kommunenummer,
      part: 'transit',
      source: options.source.name,
      coverage: 'covered',
      savedAt: fetchedAt,
      data: stops,
    });
    return { status: 'fetched', source: options.source.name, fetchedAt, stops };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return failed(messageOf(error));
  }
}
