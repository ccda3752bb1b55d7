import { z } from 'zod';
import type { HttpClient } from '../../net/http-client.js';
import type { DepartureWindow } from './departure-window.js';
import { graphqlData, postGraphql } from './entur-graphql.js';

/** Stop places per request: a kommune of 300 stops takes 15 requests (Entur allows 1 000 a minute). */
export const DEPARTURE_BATCH = 20;
/** Calls asked per stop; a stop that reaches it has at least this many (Oslo S has ~60 trains an hour). */
export const MAX_CALLS_PER_STOP = 1_000;

/**
 * Journey Planner v3 (OpenTripPlanner's Transmodel API): `stopPlaces(ids:)` with, per stop,
 * `estimatedCalls(startTime, timeRange, numberOfDepartures, arrivalDeparture: departures)` and the
 * line's `transportMode`. Argument names and defaults from OTP's `StopPlaceType.java` (entur/
 * OpenTripPlanner); `stopPlaces(ids:)`, `forBoarding` and `serviceJourney { line { transportMode } }`
 * from public client code. Cancelled trips are left out (`includeCancelledTrips` defaults to false).
 */
export const DEPARTURES_QUERY = `query Departures($ids: [String]!, $startTime: DateTime!, $timeRange: Int!, $limit: Int!) {
  stopPlaces(ids: $ids) {
    id
    estimatedCalls(startTime: $startTime, timeRange: $timeRange, numberOfDepartures: $limit, arrivalDeparture: departures) {
      aimedDepartureTime
      forBoarding
      serviceJourney { line { transportMode } }
    }
  }
}`;

const callSchema = z.looseObject({
  aimedDepartureTime: z.string().nullable().optional(),
  forBoarding: z.boolean().nullable().optional(),
  serviceJourney: z
    .looseObject({
      line: z.looseObject({ transportMode: z.string().nullable().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
});
const dataSchema = z.looseObject({
  stopPlaces: z.array(
    z.looseObject({ id: z.string(), estimatedCalls: z.array(callSchema.nullable()) }).nullable(),
  ),
});

/** Departures an hour per line transport mode ("bus", "rail" …), per stop place id. */
export type DepartureCounts = Map<string, Record<string, number>>;

/**
 * Reads a `stopPlaces { estimatedCalls }` answer into departures an hour by mode: calls where one
 * may board, ÷ the window's hours. A GraphQL `errors` array (sent with HTTP 200) is a failure,
 * never "no departures"; a stop the service does not know is simply absent.
 */
export function parseDepartures(text: string, hours: number): DepartureCounts {
  const data = graphqlData(text, dataSchema);
  const counts: DepartureCounts = new Map();
  for (const place of data.stopPlaces) {
    if (!place) continue;
    const byMode: Record<string, number> = {};
    for (const call of place.estimatedCalls) {
      if (!call || call.forBoarding === false) continue;
      const mode = call.serviceJourney?.line?.transportMode?.toLowerCase() || 'unknown';
      byMode[mode] = (byMode[mode] ?? 0) + 1;
    }
    for (const mode of Object.keys(byMode)) byMode[mode] = byMode[mode]! / hours;
    counts.set(place.id, byMode);
  }
  return counts;
}

/** Every stop's departures in the window, `DEPARTURE_BATCH` stops a request, one request at a time. */
export async function fetchDepartures(
  http: HttpClient,
  url: string,
  ids: readonly string[],
  window: DepartureWindow,
  options: { kommune?: string; signal?: AbortSignal; batchSize?: number } = {},
): Promise<DepartureCounts> {
  const counts: DepartureCounts = new Map();
  const { batchSize = DEPARTURE_BATCH, ...call } = options;
  for (let i = 0; i < ids.length; i += batchSize) {
    const batch = ids.slice(i, i + batchSize);
    const variables = {
      ids: batch,
      startTime: window.startTime,
      timeRange: window.timeRangeS,
      limit: MAX_CALLS_PER_STOP,
    };
    const answer = await postGraphql(
      http,
      url,
      { query: DEPARTURES_QUERY, variables },
      (text) => parseDepartures(text, window.hours),
      call,
    );
    for (const [id, byMode] of answer) counts.set(id, byMode);
  }
  return counts;
}
