import { transformFor } from '../../sync/src/geo/crs.js';
import type { GeneratedKommune } from './kommune-generator.js';

interface GeneratedStop {
  id: number;
  name: string;
  east: number;
  north: number;
  modes: string[];
  lines: number;
  /** Departures an hour on a weekday morning (all of the stop's first mode). */
  perHour: number;
}

/**
 * Stops for the generated town (GENERATED, NOT REAL: real Entur stops would not match generated
 * plans): a railway station and a bus terminal at the centre, buses along the main road every
 * 600 m and in two outer fields. Written as Entur Journey Planner v3 answers
 * `stopPlacesByBbox(filterByInUse: true)` (sources/entur/stop-places.ts), so the same reader takes it.
 */
export function generatedStops(kommune: GeneratedKommune): GeneratedStop[] {
  const { origin, cols, rows, cellM } = kommune.options;
  const [cx, cy] = kommune.centre.coordinates;
  const roadY = origin[1] + Math.floor(rows * 0.55) * cellM + cellM / 2;
  const stops: GeneratedStop[] = [
    { id: 90001, name: 'Sentrum stasjon', east: cx, north: cy - 60, modes: ['rail'], lines: 2, perHour: 4 },
    {
      id: 90002,
      name: 'Sentrum bussterminal',
      east: cx + 90,
      north: cy - 30,
      modes: ['bus'],
      lines: 5,
      perHour: 12,
    },
  ];
  let n = 0;
  for (let x = origin[0] + 300; x < origin[0] + cols * cellM; x += 600) {
    n += 1;
    const name = `Hovedvegen ${n}`;
    stops.push({ id: 90010 + n, name, east: x, north: roadY, modes: ['bus'], lines: 2, perHour: 4 });
  }
  stops.push(
    // In use, but too seldom to count as regular (bus: 4 an hour).
    { id: 90101, name: 'Nordfeltet', east: cx - 900, north: cy + 1200, modes: ['bus'], lines: 1, perHour: 1 },
    { id: 90102, name: 'Sørfeltet', east: cx + 600, north: cy - 1400, modes: ['bus'], lines: 1, perHour: 2 },
  );
  return stops;
}

/** The generated stops as the Journey Planner's JSON answer, lon/lat rounded to about 1 cm. */
export function journeyPlannerStops(kommune: GeneratedKommune): string {
  const toLonLat = transformFor(25833, 4326);
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  const places = generatedStops(kommune).map((s) => {
    const [lon, lat] = toLonLat([s.east, s.north]);
    return {
      id: `NSR:StopPlace:${s.id}`,
      name: s.name,
      latitude: round(lat),
      longitude: round(lon),
      transportMode: s.modes,
      quays: [
        {
          id: `NSR:Quay:${s.id}1`,
          lines: Array.from({ length: s.lines }, (_, i) => ({ id: `GEN:Line:${s.id}-${i + 1}` })),
        },
      ],
    };
  });
  return (
    JSON.stringify(
      { note: 'GENERERT EKSEMPEL – ikke ekte holdeplasser.', data: { stopPlacesByBbox: places } },
      null,
      2,
    ) + '\n'
  );
}

/** The weekday morning the generated departures are for (a Tuesday, 07:00–09:00 Oslo time). */
export const SAMPLE_DEPARTURE_WINDOW = { startTime: '2026-12-08T07:00:00+01:00', hours: 2 };

/**
 * The generated stops' departures as the Journey Planner answers `stopPlaces(ids:) {
 * estimatedCalls(startTime, timeRange, …) }` (sources/entur/departures.ts), evenly spread over the
 * window, lines taking turns; plus the window itself, which the bundled reader needs.
 */
export function journeyPlannerDepartures(kommune: GeneratedKommune): string {
  const { hours } = SAMPLE_DEPARTURE_WINDOW;
  const startMs = Date.parse(SAMPLE_DEPARTURE_WINDOW.startTime);
  const places = generatedStops(kommune).map((s) => {
    const count = s.perHour * hours;
    const gapMs = (hours * 3_600_000) / count;
    return {
      id: `NSR:StopPlace:${s.id}`,
      estimatedCalls: Array.from({ length: count }, (_, i) => ({
        aimedDepartureTime: osloTime(startMs + i * gapMs),
        forBoarding: true,
        serviceJourney: { line: { id: `GEN:Line:${s.id}-${(i % s.lines) + 1}`, transportMode: s.modes[0] } },
      })),
    };
  });
  const note = 'GENERERT EKSEMPEL – ikke ekte avganger.';
  return (
    JSON.stringify({ note, window: SAMPLE_DEPARTURE_WINDOW, data: { stopPlaces: places } }, null, 2) + '\n'
  );
}

/** An instant in December as the Journey Planner writes it (Oslo time, +01:00). */
function osloTime(ms: number): string {
  return `${new Date(ms + 3_600_000).toISOString().slice(0, 19)}+01:00`;
}
