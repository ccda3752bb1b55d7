import { z } from 'zod';
import type { TransitStop } from '../../domain/transit.js';
import { INTERNAL_EPSG, type BBox } from '../../domain/geometry.js';
import { transformFor } from '../../geo/crs.js';
import type { HttpClient } from '../../net/http-client.js';
import type { DepartureWindow } from './departure-window.js';
import { fetchDepartures } from './departures.js';
import { graphqlData, postGraphql } from './entur-graphql.js';

export const ENTUR_SOURCE = 'entur-journey-planner';

export interface StopsInOptions {
  kommune?: string;
  signal?: AbortSignal;
  departures?: DepartureWindow;
}

/** What Sentralitet needs from a stop register: the stops with regular departures in a box. */
export interface StopPlaceSource {
  readonly name: string;
  /**
   * Stops in use inside a lon/lat box (EPSG:4326: minLon, minLat, maxLon, maxLat), with their
   * departures an hour counted in `departures` when given.
   */
  stopsIn(box: BBox, options?: StopsInOptions): Promise<TransitStop[]>;
}

/**
 * Entur Journey Planner v3 (the national stop register, NSR, with the current timetables):
 * `stopPlacesByBbox` with `filterByInUse: true` lists stop places some line calls at; the lines of
 * their quays in use tell how many lines serve them. No kommune filter exists: the caller asks for
 * the kommune's box. Shape from public client code (notes/national-layers.md §5).
 */
export const STOPS_IN_BOX_QUERY = `query StopsInBox($minLat: Float!, $minLon: Float!, $maxLat: Float!, $maxLon: Float!) {
  stopPlacesByBbox(minimumLatitude: $minLat, minimumLongitude: $minLon, maximumLatitude: $maxLat, maximumLongitude: $maxLon, filterByInUse: true) {
    id
    name
    latitude
    longitude
    transportMode
    quays(filterByInUse: true) { id lines { id } }
  }
}`;

const modeSchema = z
  .union([z.string(), z.array(z.string().nullable())])
  .nullable()
  .optional();
const dataSchema = z.looseObject({
  stopPlacesByBbox: z.array(
    z
      .looseObject({
        id: z.string(),
        name: z.string(),
        latitude: z.number().nullable().optional(),
        longitude: z.number().nullable().optional(),
        transportMode: modeSchema,
        quays: z
          .array(
            z
              .looseObject({
                id: z.string(),
                lines: z
                  .array(z.looseObject({ id: z.string() }).nullable())
                  .nullable()
                  .optional(),
              })
              .nullable(),
          )
          .nullable()
          .optional(),
      })
      .nullable(),
  ),
});

/**
 * Reads a `stopPlacesByBbox` answer (the Journey Planner's, or the bundled sample in the same
 * shape) into stops in EPSG:25833. GraphQL errors come with HTTP 200: they are failures, never
 * "no stops". Stops without a position are left out.
 */
export function parseStopPlaces(text: string): TransitStop[] {
  const data = graphqlData(text, dataSchema);
  const toUtm = transformFor(4326, INTERNAL_EPSG);
  const stops: TransitStop[] = [];
  for (const place of data.stopPlacesByBbox) {
    if (!place || typeof place.latitude !== 'number' || typeof place.longitude !== 'number') continue;
    const modes = (Array.isArray(place.transportMode) ? place.transportMode : [place.transportMode])
      .filter((m): m is string => typeof m === 'string' && m !== '')
      .map((m) => m.toLowerCase());
    const lines = new Set<string>();
    for (const quay of place.quays ?? []) for (const line of quay?.lines ?? []) if (line) lines.add(line.id);
    stops.push({
      id: place.id,
      name: place.name,
      position: toUtm([place.longitude, place.latitude]),
      modes: [...new Set(modes)].sort(),
      lines: lines.size,
    });
  }
  return stops.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The Journey Planner behind `StopPlaceSource`: one POST for the kommune's box, then the stops'
 * departures in batches (departures.ts); `ET-Client-Name` on every call (the HTTP client's headers).
 */
export class EnturStopPlaceClient implements StopPlaceSource {
  readonly name = ENTUR_SOURCE;

  constructor(
    private readonly url: string,
    private readonly http: HttpClient,
    /** Stop places per departures request (departures.ts `DEPARTURE_BATCH`). */
    private readonly batchSize?: number,
  ) {}

  async stopsIn(box: BBox, options: StopsInOptions = {}): Promise<TransitStop[]> {
    const [minLon, minLat, maxLon, maxLat] = box;
    const { kommune, signal } = options;
    const stops = await postGraphql(
      this.http,
      this.url,
      { query: STOPS_IN_BOX_QUERY, variables: { minLat, minLon, maxLat, maxLon } },
      parseStopPlaces,
      { kommune, signal },
    );
    if (!options.departures || stops.length === 0) return stops;
    const counts = await fetchDepartures(
      this.http,
      this.url,
      stops.map((s) => s.id),
      options.departures,
      { kommune, signal, batchSize: this.batchSize },
    );
    return withDepartures(stops, counts);
  }
}

/** Each stop with its departures an hour by mode; a stop the answer left out had none in the window. */
export function withDepartures(
  stops: readonly TransitStop[],
  counts: ReadonlyMap<string, Record<string, number>>,
): TransitStop[] {
  return stops.map((s) => ({ ...s, departuresPerHour: counts.get(s.id) ?? {} }));
}
