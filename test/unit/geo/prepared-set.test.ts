import { afterEach, describe, expect, it } from 'vitest';
import { getGeos } from '../../../sync/src/geo/geos.js';
import { PreparedSet } from '../../../sync/src/geo/prepared-set.js';
import { at, polygon, rect } from '../../helpers/plan-data.js';

const geos = await getGeos();
const sets: Array<PreparedSet<unknown>> = [];
afterEach(() => sets.splice(0).forEach((s) => s.dispose()));

const square = polygon(rect(0, 0, 100, 100));
// A self-crossing ring: its two lobes cancel out as a ring area, MakeValid keeps both (5,000 m²).
const bowTie = polygon([at(200, 0), at(300, 100), at(300, 0), at(200, 100), at(200, 0)]);
const collapsed = polygon([at(400, 0), at(500, 0), at(400, 0), at(400, 0)]);

function setOf(items: Array<{ name: string; geometry: typeof square }>) {
  const set = new PreparedSet(geos, items, (item) => item.geometry);
  sets.push(set as PreparedSet<unknown>);
  return set;
}

describe('PreparedSet', () => {
  const items = [
    { name: 'square', geometry: square },
    { name: 'bow-tie', geometry: bowTie },
    { name: 'collapsed', geometry: collapsed },
  ];

  it('gives candidates by box in index order', () => {
    const set = setOf(items);
    const [x, y] = at(0, 0);
    expect(set.candidates([x - 10, y - 10, x + 1000, y + 1000])).toEqual([0, 1, 2]);
    expect(set.candidates([x + 250, y + 10, x + 260, y + 20])).toEqual([1]);
  });

  it('repairs on first use, keeps the area of every lobe, and drops what has no area left', () => {
    const set = setOf(items);
    expect(set.area(0)).toBeCloseTo(10_000, 6);
    expect(set.wasRepaired(0)).toBe(false);
    expect(set.area(1)).toBeCloseTo(5_000, 6);
    expect(set.wasRepaired(1)).toBe(true);
    expect(set.ptr(2)).toBeNull();
    expect(set.area(2)).toBe(0);
    expect(set.repairs()).toEqual({ repaired: [1], dropped: [2] });
    expect(set.repaired).toBe(2);
  });

  it('converts only the items used, once each', () => {
    const set = setOf(items);
    expect(set.repairs()).toEqual({ repaired: [], dropped: [] });
    const ptr = set.ptr(1);
    expect(set.ptr(1)).toBe(ptr);
    expect(set.prepared(1)).toBe(set.prepared(1));
    expect(set.repairs()).toEqual({ repaired: [1], dropped: [] });
    expect(set.repaired).toBe(1);
  });
});
