import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { startDouble, type Double } from '../double.js';

export const JOURNEY_PLANNER_PATH = '/journey-planner/v3/graphql';

interface Place {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  transportMode: string[] | string | null;
  quays: Array<{ id: string; lines: Array<{ id: string }> }> | null;
}

/** The sample kommune's generated stops, in the Journey Planner's answer shape (sync/samples/…/stops.json). */
export function sampleStopPlaces(): Place[] {
  const file = path.resolve('sync/samples/3218-generated/stops.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { data: { stopPlacesByBbox: Place[] } }).data
    .stopPlacesByBbox;
}

/** The sample kommune's generated departures, `stopPlaces { estimatedCalls }` per stop (…/departures.json). */
export function sampleDepartures(): Array<{ id: string; estimatedCalls: unknown[] }> {
  const file = path.resolve('sync/samples/3218-generated/departures.json');
  return (
    JSON.parse(readFileSync(file, 'utf8')) as {
      data: { stopPlaces: Array<{ id: string; estimatedCalls: unknown[] }> };
    }
  ).data.stopPlaces;
}

export interface EnturDouble extends Double {
  /** Every GraphQL body and the ET-Client-Name it came with. */
  calls: Array<{ clientName: string | null; query: string; variables: Record<string, unknown> }>;
  /** The next departures batch gets `{errors: [{message}], data: null}` with HTTP 200. */
  failNextDepartures(message: string): void;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Entur Journey Planner v3: POST `{query, variables}` → `{data: {stopPlacesByBbox: [...]}}`, the
 * places inside the asked box (public client code, notes/national-layers.md §5), or for
 * `stopPlaces(ids:)` the asked stops' estimated calls, in the order asked, a stop it does not know
 * left out. Any other query gets a GraphQL error with HTTP 200, as GraphQL servers answer.
 */
export async function startEnturDouble(
  places: Place[] = sampleStopPlaces(),
  departures = sampleDepartures(),
): Promise<EnturDouble> {
  const calls: EnturDouble['calls'] = [];
  let departureError: string | null = null;
  const double = await startDouble(async (url, req) => {
    if (url.pathname !== JOURNEY_PLANNER_PATH || req.method !== 'POST')
      return { status: 404, contentType: 'text/html', body: '<html><body>Not found</body></html>' };
    const body = JSON.parse(await bodyOf(req)) as { query: string; variables: Record<string, unknown> };
    const header = req.headers['et-client-name'];
    calls.push({ clientName: typeof header === 'string' ? header : null, ...body });
    if (body.query.includes('stopPlaces(ids:') && departureError) {
      const message = departureError;
      departureError = null;
      return { contentType: 'application/json', body: JSON.stringify({ errors: [{ message }], data: null }) };
    }
    if (body.query.includes('stopPlaces(ids:')) {
      const ids = body.variables.ids as string[];
      const stopPlaces = ids.flatMap((id) => departures.filter((d) => d.id === id));
      return { contentType: 'application/json', body: JSON.stringify({ data: { stopPlaces } }) };
    }
    if (!body.query.includes('stopPlacesByBbox'))
      return {
        contentType: 'application/json',
        body: JSON.stringify({ errors: [{ message: 'Validation error: unknown field' }] }),
      };
    const v = body.variables as Record<string, number>;
    const inside = places.filter(
      (p) =>
        p.latitude >= v.minLat! &&
        p.latitude <= v.maxLat! &&
        p.longitude >= v.minLon! &&
        p.longitude <= v.maxLon!,
    );
    return { contentType: 'application/json', body: JSON.stringify({ data: { stopPlacesByBbox: inside } }) };
  });
  return Object.assign(double, {
    calls,
    failNextDepartures: (message: string) => {
      departureError = message;
    },
  });
}
