import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { mapGeometryOf, type LonLat } from '../../extension/frontend/lots/lot-geometry.js';

const polygon = (ring: LonLat[]) => ({ type: 'Polygon' as const, coordinates: [ring] });

describe('mapGeometryOf', () => {
  it('puts the marker at the lot’s Senter lat/lon, the point the service chose', () => {
    const lot = polygon([
      [10.0, 59.0],
      [10.002, 59.0],
      [10.002, 59.001],
      [10.0, 59.001],
      [10.0, 59.0],
    ]);
    expect(mapGeometryOf(lot, { lon: 10.0013, lat: 59.0002 }).geometry!.anchor).toEqual([10.0013, 59.0002]);
    // A centre that is not on the lot (a stale or wrongly mapped field) is not trusted.
    expect(mapGeometryOf(lot, { lon: 11, lat: 59.0002 }).geometry!.anchor[0]).toBeCloseTo(10.001, 9);
  });

  it('without Senter cells, gives the bbox and the centroid of a convex lot', () => {
    const result = mapGeometryOf(
      polygon([
        [10.0, 59.0],
        [10.002, 59.0],
        [10.002, 59.001],
        [10.0, 59.001],
        [10.0, 59.0],
      ]),
    );
    expect(result.problem).toBeNull();
    expect(result.geometry!.bbox).toEqual([10.0, 59.0, 10.002, 59.001]);
    expect(result.geometry!.anchor[0]).toBeCloseTo(10.001, 9);
    expect(result.geometry!.anchor[1]).toBeCloseTo(59.0005, 9);
  });

  it('puts the anchor inside an L-shaped lot whose centroid falls outside it', () => {
    // An L: the centroid of this shape lies in the notch, outside the land.
    const ring: LonLat[] = [
      [0, 0],
      [10, 0],
      [10, 1],
      [1, 1],
      [1, 10],
      [0, 10],
      [0, 0],
    ];
    const { geometry } = mapGeometryOf(polygon(ring.map(([x, y]) => [10 + x / 1000, 59 + y / 1000])));
    expect(booleanPointInPolygon(geometry!.anchor, polygon(geometry!.polygons[0]![0]!))).toBe(true);
  });

  it('anchors a multipolygon in its largest part', () => {
    const small: LonLat[] = [
      [5.3, 60.4],
      [5.3001, 60.4],
      [5.3001, 60.4001],
      [5.3, 60.4],
    ];
    const large: LonLat[] = [
      [5.31, 60.41],
      [5.32, 60.41],
      [5.32, 60.42],
      [5.31, 60.42],
      [5.31, 60.41],
    ];
    const { geometry } = mapGeometryOf({ type: 'MultiPolygon', coordinates: [[small], [large]] });
    expect(geometry!.anchor[0]).toBeCloseTo(5.315, 6);
    expect(geometry!.bbox).toEqual([5.3, 60.4, 5.32, 60.42]);
  });

  it('names the problem of geometry the map cannot draw', () => {
    expect(mapGeometryOf(null).problem).toBe('Mangler geometri');
    expect(mapGeometryOf(polygon([[10, 59] as LonLat, [10.1, 59]])).problem).toBe(
      'Geometrien har en ring med for få punkter',
    );
    expect(
      mapGeometryOf({
        type: 'Polygon',
        coordinates: [
          [
            [10, 59],
            [10.1, 'x'],
            [10.1, 59.1],
            [10, 59],
          ],
        ],
      }).problem,
    ).toBe('Geometrien har ugyldige koordinater');
    expect(mapGeometryOf({ type: 'MultiPolygon', coordinates: [] }).problem).toBe('Geometrien er tom');
    // EPSG:25833 metres written where lon/lat belongs.
    expect(
      mapGeometryOf(
        polygon([
          [262000, 6650000],
          [262050, 6650000],
          [262050, 6650040],
          [262000, 6650000],
        ]),
      ).problem,
    ).toBe('Koordinatene er ikke lengde-/breddegrader (EPSG:4326)');
  });
});
