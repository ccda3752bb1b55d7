import { transformFor } from '../../sync/src/geo/crs.js';
import type { GeneratedKommune } from './kommune-generator.js';

interface GeneratedStop {
  id: number;
  name: string;
  east: number;
  north: number;
  modes: string[];
  lines: number;
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
    { id: 90001, name: 'Sentrum stasjon', east: cx, north: cy - 60, modes: ['rail'], lines: 2 },
    { id: 90002, name: 'Sentrum bussterminal', east: cx + 90, north: cy - 30, modes: ['bus'], lines: 5 },
  ];
  let n = 0;
  for (let x = origin[0] + 300; x < origin[0] + cols * cellM; x += 600) {
    n += 1;
    stops.push({ id: 90010 + n, name: `Hovedvegen ${n}`, east: x, north: roadY, modes: ['bus'], lines: 2 });
  }
  stops.push(
    { id: 90101, name: 'Nordfeltet', east: cx - 900, north: cy + 1200, modes: ['bus'], lines: 1 },
    { id: 90102, name: 'Sørfeltet', east: cx + 600, north: cy - 1400, modes: ['bus'], lines: 1 },
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
