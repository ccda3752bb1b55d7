import { afterEach, describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../sync/src/domain/geometry.js';
import { bboxOf } from '../../../sync/src/geo/crs.js';
import { coveredArea } from '../../../sync/src/geo/covered-area.js';
import { getGeos } from '../../../sync/src/geo/geos.js';
import { boxDistance, nearestWithin } from '../../../sync/src/geo/nearest.js';
import { PreparedSet } from '../../../sync/src/geo/prepared-set.js';
import { polygon, rect } from '../../helpers/plan-data.js';

const geos = await getGeos();
const sets: Array<PreparedSet<unknown>> = [];
const setOf = (geometries: AreaGeometry[]) => {
  const set = new PreparedSet(geos, geometries, (g) => g);
  sets.push(set as PreparedSet<unknown>);
  return set;
};
afterEach(() => sets.splice(0).forEach((s) => s.dispose()));

const target = polygon(rect(0, 0, 100, 100));

describe('boxDistance', () => {
  it('is 0 for overlapping boxes and the gap otherwise', () => {
    expect(boxDistance([0, 0, 10, 10], [5, 5, 20, 20])).toBe(0);
    expect(boxDistance([0, 0, 10, 10], [13, 0, 20, 10])).toBe(3);
    expect(boxDistance([0, 0, 10, 10], [13, 14, 20, 20])).toBe(5);
  });
});

describe('nearestWithin', () => {
  it('finds the exactly nearest item, not the one with the nearest box', () => {
    // An L-shaped item whose box touches the target but whose land is 80 m away, and a square 30 m away.
    const lShape = polygon([
      [262_180, 6_621_000],
      [262_300, 6_621_000],
      [262_300, 6_621_200],
      [262_000, 6_621_200],
      [262_000, 6_621_180],
      [262_180, 6_621_180],
      [262_180, 6_621_000],
    ]);
    const square = polygon(rect(130, 40, 140, 60));
    const set = setOf([lShape, square]);
    const ptr = geos.fromGeometry(target);
    try {
      expect(nearestWithin(geos, set, ptr, bboxOf(target), 500)).toEqual({ index: 1, distance: 30 });
      expect(nearestWithin(geos, set, ptr, bboxOf(target), 20)).toBeNull();
      expect(nearestWithin(geos, set, ptr, bboxOf(target), 500, (g) => g === lShape)).toEqual({
        index: 0,
        distance: 80,
      });
    } finally {
      geos.destroy(ptr);
    }
  });
});

describe('coveredArea', () => {
  it('counts overlapping items once and ignores items that only touch', () => {
    const set = setOf([
      polygon(rect(50, 0, 150, 100)),
      polygon(rect(25, 0, 75, 100)),
      polygon(rect(-50, 0, 0, 100)),
    ]);
    const ptr = geos.fromGeometry(target);
    try {
      const result = coveredArea(geos, set, [0, 1, 2], ptr, 10_000, 0.001);
      expect(result.area).toBeCloseTo(7_500, 6);
      expect(result.indexes).toEqual([0, 1]);
    } finally {
      geos.destroy(ptr);
    }
  });

  it('short-cuts a whole cover and still names every item that covers part', () => {
    const set = setOf([polygon(rect(-10, -10, 110, 110)), polygon(rect(0, 0, 10, 10))]);
    const ptr = geos.fromGeometry(target);
    try {
      expect(coveredArea(geos, set, [0, 1], ptr, 10_000, 0.001)).toEqual({ area: 10_000, indexes: [0, 1] });
    } finally {
      geos.destroy(ptr);
    }
  });

  it('repairs a self-crossing item on first use and counts both of its lobes', () => {
    // A bow-tie over the target: MakeValid keeps both triangles (2 × 2 500 m² inside the target).
    const bowTie = polygon([
      [262_000, 6_621_000],
      [262_100, 6_621_100],
      [262_100, 6_621_000],
      [262_000, 6_621_100],
      [262_000, 6_621_000],
    ]);
    const set = setOf([bowTie]);
    const ptr = geos.fromGeometry(target);
    try {
      expect(coveredArea(geos, set, [0], ptr, 10_000, 0.001).area).toBeCloseTo(5_000, 6);
      expect(set.repaired).toBe(1);
    } finally {
      geos.destroy(ptr);
    }
  });
});
