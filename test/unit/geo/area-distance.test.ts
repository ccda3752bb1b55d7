import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../sync/src/domain/geometry.js';
import { areaDistance, distanceWithin, insideArea } from '../../../sync/src/geo/area-distance.js';

const box = (x0: number, y0: number, x1: number, y1: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

describe('distance between areas (EPSG:25833 metres)', () => {
  const lot = box(262_000, 6_621_000, 262_060, 6_621_040);

  it('measures edge to edge, also diagonally', () => {
    expect(areaDistance(lot, box(262_160, 6_621_000, 262_200, 6_621_040))).toBeCloseTo(100, 6);
    expect(areaDistance(lot, box(262_090, 6_621_080, 262_120, 6_621_120))).toBeCloseTo(50, 6); // 30-40-50
  });

  it('is 0 when they cross, touch or one holds the other, but not inside a hole', () => {
    expect(areaDistance(lot, box(262_050, 6_621_030, 262_100, 6_621_100))).toBe(0);
    expect(areaDistance(lot, box(262_060, 6_621_000, 262_100, 6_621_040))).toBe(0);
    expect(areaDistance(lot, box(261_000, 6_620_000, 263_000, 6_622_000))).toBe(0);
    const ring = box(261_900, 6_620_900, 262_200, 6_621_200) as {
      type: 'Polygon';
      coordinates: number[][][];
    };
    const withHole: AreaGeometry = {
      type: 'Polygon',
      coordinates: [ring.coordinates[0]!, box(261_980, 6_620_980, 262_080, 6_621_060).coordinates[0]!],
    } as AreaGeometry;
    expect(insideArea([262_030, 6_621_020], withHole)).toBe(false);
    expect(areaDistance(lot, withHole)).toBeCloseTo(20, 6);
  });

  it('answers within a limit only, checking the boxes first', () => {
    const far = box(262_300, 6_621_000, 262_400, 6_621_040);
    expect(distanceWithin(lot, far, 200)).toBeNull();
    expect(distanceWithin(lot, far, 240)).toBeCloseTo(240, 6);
  });
});
