import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../../../sync/src/domain/geometry.js';
import { getGeos, GeosError } from '../../../sync/src/geo/geos.js';
import { toValidArea } from '../../../sync/src/geo/repair.js';

const square = (x0: number, y0: number, size: number): AreaGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x0 + size, y0],
      [x0 + size, y0 + size],
      [x0, y0 + size],
      [x0, y0],
    ],
  ],
});

describe('GEOS wrapper', () => {
  it('round-trips a polygon with a hole through WebAssembly memory', async () => {
    const geos = await getGeos();
    const holed: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        square(0, 0, 100).coordinates[0]!,
        square(40, 40, 20).coordinates[0]!.slice().reverse(),
      ] as never,
    };
    const ptr = geos.fromGeometry(holed);
    expect(geos.area(ptr)).toBe(10_000 - 400);
    expect(geos.toAreaGeometry(ptr)).toEqual(holed);
    geos.destroy(ptr);
  });

  it('keeps both lobes of a bow-tie (MakeValid), where buffer(0) keeps one', async () => {
    const geos = await getGeos();
    const bowTie: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [10, 10],
          [10, 0],
          [0, 10],
          [0, 0],
        ],
      ],
    };
    const repaired = toValidArea(geos, bowTie);
    expect(repaired.repaired).toBe(true);
    expect(geos.area(repaired.ptr!)).toBeCloseTo(50, 9);
    const raw = geos.fromGeometry(bowTie);
    const buffered = geos.buffer(raw, 0);
    expect(geos.area(buffered)).toBeCloseTo(25, 9);
    geos.destroy(repaired.ptr, raw, buffered);
  });

  it('closes open rings and drops rings with fewer than three distinct points', async () => {
    const geos = await getGeos();
    const open = geos.fromGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
        ],
      ],
    });
    expect(geos.area(open)).toBe(100);
    const collapsed = toValidArea(geos, {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    });
    expect(collapsed.ptr).toBeNull();
    geos.destroy(open);
  });

  it('does not throw on edges a millimetre apart, nor on nearly collinear overlapping edges', async () => {
    const geos = await getGeos();
    const zone = geos.fromGeometry(square(262_000, 6_621_000, 100));
    const sliver: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [262_000, 6_621_000],
          [262_100, 6_621_000.0004],
          [262_100, 6_621_030],
          [262_000, 6_621_000],
        ],
      ],
    };
    const plans = [square(262_000.001, 6_621_000.001, 50), sliver].map((g) => geos.fromGeometry(g));
    let remaining = geos.clone(zone);
    for (const plan of plans) {
      const next = geos.difference(remaining, plan, 0.001);
      geos.destroy(remaining);
      remaining = next;
    }
    expect(geos.isValid(remaining)).toBe(true);
    expect(geos.area(remaining)).toBeGreaterThan(10_000 - 2_500 - 1_500 - 1);
    geos.destroy(zone, remaining, ...plans);
  });

  it('raises a GeosError naming the operation when both exact and snapped overlay fail (invalid input)', async () => {
    const geos = await getGeos();
    const a = geos.fromGeometry(square(0, 0, 10));
    const bowTie = geos.fromGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [5, -5],
          [15, 5],
          [15, -5],
          [5, 5],
          [5, -5],
        ],
      ],
    });
    expect(() => geos.difference(a, bowTie, 0.001)).toThrow(GeosError);
    expect(() => geos.difference(a, bowTie, 0.001)).toThrow(
      /difference failed: TopologyException.*with precision grid/,
    );
    geos.destroy(a, bowTie);
  });
});
