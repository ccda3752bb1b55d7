import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../../sync/src/domain/geometry.js';
import { airtableGeometry, MAX_GEOMETRY_CHARACTERS } from '../../../../sync/src/crm/tomter/geometry.js';
import { mapPositions, toLonLat } from '../../../../sync/src/geo/crs.js';
import { lotPolygon, random } from '../../../fixtures/crm/lots.js';

/** A lot boundary as a surveyed parcel gives it: a long wiggly outline with thousands of vertices. */
function detailedLot(vertices: number): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < vertices; i += 1) {
    const angle = (i / vertices) * 2 * Math.PI;
    const radius = 400 + 30 * Math.sin(angle * 7) + 2 * Math.sin(angle * 431) + 0.3 * Math.sin(angle * 2999);
    ring.push([262_000 + radius * Math.cos(angle), 6_621_000 + radius * Math.sin(angle)]);
  }
  ring.push(ring[0]!);
  return ring;
}

const lonLatArea = (coordinates: Position[][]) =>
  area({
    type: 'Feature',
    properties: {},
    geometry: mapPositions({ type: 'Polygon', coordinates }, toLonLat),
  });

describe('lot geometry for Airtable', () => {
  it('writes an ordinary lot as lon/lat GeoJSON with 7 decimals, unsimplified', () => {
    const ring = lotPolygon(262_000, 6_621_000, random(1));
    const result = airtableGeometry({ type: 'Polygon', coordinates: [ring] });
    const geojson = JSON.parse(result.geojson!) as { type: string; coordinates: number[][][] };
    expect(geojson.type).toBe('Polygon');
    expect(geojson.coordinates[0]).toHaveLength(ring.length);
    const [lon, lat] = geojson.coordinates[0]![0]!;
    expect(lon).toBeCloseTo(10.76, 1);
    expect(lat).toBeCloseTo(59.67, 1);
    expect(String(lon).split('.')[1]!.length).toBeLessThanOrEqual(7);
    expect(result.toleranceM).toBe(0);
    expect(result.areaChange).toBeLessThan(1e-4);
  });

  it('simplifies a detailed lot under 100,000 characters, keeping the area within 1 %', () => {
    const ring = detailedLot(12_000);
    const unsimplified = JSON.stringify(mapPositions({ type: 'Polygon', coordinates: [ring] }, toLonLat));
    expect(unsimplified.length).toBeGreaterThan(300_000);
    const result = airtableGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(result.geojson!.length).toBeLessThanOrEqual(MAX_GEOMETRY_CHARACTERS);
    expect(result.toleranceM).toBeGreaterThan(0);
    const kept = JSON.parse(result.geojson!) as { coordinates: Position[][] };
    const change =
      Math.abs(
        area({
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: kept.coordinates },
        }) - lonLatArea([ring]),
      ) / lonLatArea([ring]);
    expect(change).toBeLessThan(0.01);
    expect(result.areaChange).toBeCloseTo(change, 6);
  });

  it('keeps every part and hole of a multipolygon', () => {
    const outer = detailedLot(200);
    const hole: Position[] = [
      [261_990, 6_620_990],
      [261_990, 6_621_010],
      [262_010, 6_621_010],
      [262_010, 6_620_990],
      [261_990, 6_620_990],
    ];
    const second = lotPolygon(264_000, 6_621_000, random(3));
    const result = airtableGeometry({ type: 'MultiPolygon', coordinates: [[outer, hole], [second]] });
    const kept = JSON.parse(result.geojson!) as { type: string; coordinates: Position[][][] };
    expect(kept.type).toBe('MultiPolygon');
    expect(kept.coordinates.map((p) => p.length)).toEqual([2, 1]);
  });
});
