/**
 * A national-sized map store for `npm run bench:map`: lots in eight real kommuner (centres from
 * the bundled Kartverket outlines), in neighbourhoods of 40–400 parcels on a jittered 60–120 m
 * grid up to 15 km from the centre, each an irregular polygon of 6–40 corners, with the scores,
 * tiers, confidence and plans in progress of the CRM fixtures. Written run by run through the
 * store's own write path (`applyLotChanges`), so the map index is built as a nightly run builds it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Position } from '../../sync/src/domain/geometry.js';
import { transformFor } from '../../sync/src/geo/crs.js';
import { lotCentreOf, type LotRecord } from '../../sync/src/lot-record/lot-record.js';
import type { Db } from '../../sync/src/store/database.js';
import { finishRun, startRun } from '../../sync/src/store/runs.js';
import { aasLots, aasRecords, lotPolygon } from '../../test/fixtures/crm/lots.js';
import { writeKommuneRun } from '../../test/helpers/map-lots.js';
import { seeded } from '../sample/random.js';

/** Share of the lots per kommune (bigger towns, more lots). */
export const BENCH_KOMMUNER: Array<{ nummer: string; share: number }> = [
  { nummer: '4601', share: 0.2 }, // Bergen
  { nummer: '5001', share: 0.17 }, // Trondheim
  { nummer: '1103', share: 0.13 }, // Stavanger
  { nummer: '3205', share: 0.12 }, // Lillestrøm
  { nummer: '3301', share: 0.11 }, // Drammen
  { nummer: '3203', share: 0.1 }, // Asker
  { nummer: '3218', share: 0.09 }, // Ås
  { nummer: '3212', share: 0.08 }, // Nesodden
];

interface KommuneCentre {
  nummer: string;
  navn: string;
  east: number;
  north: number;
}

const OUTLINES = fileURLToPath(new URL('../../sync/data/kommuner-2024-S.geojson', import.meta.url));

function kommuneCentres(): Map<string, KommuneCentre> {
  const collection = JSON.parse(readFileSync(OUTLINES, 'utf8')) as {
    features: Array<{
      properties: { kommunenummer: string; kommunenavn: string };
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
    }>;
  };
  const toUtm = transformFor(4326, 25833);
  const centres = new Map<string, KommuneCentre>();
  for (const { properties, geometry } of collection.features) {
    const polygons = (
      geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
    ) as Position[][][];
    const ring = polygons.map((p) => p[0]!).sort((a, b) => b.length - a.length)[0]!;
    const lon = ring.reduce((s, p) => s + p[0], 0) / ring.length;
    const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length;
    const [east, north] = toUtm([lon, lat]);
    centres.set(properties.kommunenummer, {
      nummer: properties.kommunenummer,
      navn: properties.kommunenavn,
      east,
      north,
    });
  }
  return centres;
}

/** Where each of `count` lots sits: neighbourhoods of 40–400 lots on a jittered grid. */
function layout(count: number, centre: KommuneCentre, rnd: () => number): Position[] {
  const positions: Position[] = [];
  while (positions.length < count) {
    const size = Math.min(count - positions.length, 40 + Math.floor(rnd() * 360));
    const angle = rnd() * 2 * Math.PI;
    const distance = 15_000 * Math.sqrt(rnd());
    const east = centre.east + distance * Math.cos(angle);
    const north = centre.north + distance * Math.sin(angle);
    const spacing = 60 + rnd() * 60;
    const columns = Math.ceil(Math.sqrt(size));
    for (let i = 0; i < size; i++)
      positions.push([
        east + (i % columns) * spacing + (rnd() - 0.5) * 10,
        north + Math.floor(i / columns) * spacing + (rnd() - 0.5) * 10,
      ]);
  }
  return positions;
}

function kommuneRecords(centre: KommuneCentre, count: number, seed: number): LotRecord[] {
  const rnd = seeded(seed * 31 + 7);
  const positions = layout(count, centre, rnd);
  return aasRecords(aasLots({ count, seed })).map((record, i) => {
    const [east, north] = positions[i]!;
    const ring = lotPolygon(east, north, rnd, 6 + Math.floor(rnd() * 35));
    const geometry = { type: 'Polygon' as const, coordinates: [ring] };
    return {
      ...record,
      tomtId: record.tomtId.replace(/^\d{4}/, centre.nummer),
      kommunenummer: centre.nummer,
      kommuneNavn: centre.navn,
      matrikkelenheter: record.matrikkelenheter.map((m) => ({ ...m, kommunenummer: centre.nummer })),
      geometry,
      centre: lotCentreOf(geometry),
    };
  });
}

export interface FilledKommune {
  nummer: string;
  navn: string;
  count: number;
  seconds: number;
}

/** Fills the store with `total` lots, one run per kommune, as a night over these kommuner would. */
export function fillMapStore(db: Db, total: number, log: (line: string) => void): FilledKommune[] {
  const centres = kommuneCentres();
  const now = '2025-03-01T02:00:00.000Z';
  const runId = startRun(db, { startedAt: now, trigger: 'cli', airtable: false });
  const filled: FilledKommune[] = [];
  BENCH_KOMMUNER.forEach(({ nummer, share }, index) => {
    const centre = centres.get(nummer)!;
    const count =
      index === BENCH_KOMMUNER.length - 1
        ? total - filled.reduce((n, k) => n + k.count, 0)
        : Math.round(total * share);
    const started = performance.now();
    writeKommuneRun(db, nummer, kommuneRecords(centre, count, index + 1), { runId, now });
    const seconds = (performance.now() - started) / 1000;
    filled.push({ nummer, navn: centre.navn, count, seconds });
    log(`  ${centre.navn} (${nummer}): ${count} lots in ${seconds.toFixed(1)} s`);
  });
  finishRun(db, runId, {
    finishedAt: new Date().toISOString(),
    status: 'ok',
    airtableRequests: 0,
    summary: {},
  });
  return filled;
}
