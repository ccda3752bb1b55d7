import { describe, expect, it } from 'vitest';
import type { MappedArea } from '../../../../sync/src/domain/kommune.js';
import { bboxOf } from '../../../../sync/src/geo/crs.js';
import { getGeos } from '../../../../sync/src/geo/geos.js';
import { MappingIndex } from '../../../../sync/src/scoring/lot/mapped-share.js';
import { at, polygon, rect } from '../../../helpers/plan-data.js';

const area = (layer: string, label: string, hazard: string, ...boxes: number[][]): MappedArea => ({
  layer,
  label,
  hazard,
  features: boxes.map(([a, b, c, d]) => ({ geometry: polygon(rect(a!, b!, c!, d!)) })),
});

/** A 100 × 100 m lot; detailed flood zones mapped over its west 30 m, the awareness map over its west 80 m. */
const areas = [
  area('flomsoner', 'flomsoner', 'flomfare', [-50, -50, 30, 150]),
  area('flomaktsomhet', 'aktsomhetsområder for flom', 'flomfare', [-50, -50, 50, 150], [40, -50, 80, 150]),
  area('kvikkleire', 'kvikkleire', 'kvikkleirefare', [-500, -500, 500, 500]),
];

describe('MappingIndex', () => {
  it('gives the share outside each hazard’s mapping (the union of its layers), and its layers only then', async () => {
    const geos = await getGeos();
    const lot = polygon(rect(0, 0, 100, 100));
    const index = new MappingIndex(geos, areas, 10, 0.001);
    const ptr = geos.fromGeometry(lot);
    try {
      expect(index.unmapped(ptr, bboxOf(lot), geos.area(ptr))).toEqual({
        hazards: [{ label: 'flomfare', fraction: 0.2 }],
        layers: [
          { label: 'flomsoner', fraction: 0.7 },
          { label: 'aktsomhetsområder for flom', fraction: 0.2 },
        ],
      });
      // Outside the awareness map by a 5 m² sliver (under minUnmappedM2): flood counts as mapped, no layer named.
      const almost = polygon(rect(-50, 0, 80.05, 100));
      const sliver = geos.fromGeometry(almost);
      expect(index.unmapped(sliver, bboxOf(almost), geos.area(sliver))).toEqual({ hazards: [], layers: [] });
      geos.destroy(sliver);
    } finally {
      geos.destroy(ptr);
      index.dispose();
    }
  });
});

describe('MappingIndex, the edges of "not mapped"', () => {
  const flood = (east: number) => [area('flomsoner', 'flomsoner', 'flomfare', [-50, -50, east, 150])];

  async function unmappedOf(
    areas: MappedArea[],
    minUnmappedM2: number,
    shape = polygon(rect(0, 0, 100, 100)),
  ) {
    const geos = await getGeos();
    const index = new MappingIndex(geos, areas, minUnmappedM2, 0.001);
    const ptr = geos.fromGeometry(shape);
    try {
      return index.unmapped(ptr, bboxOf(shape), geos.area(ptr));
    } finally {
      geos.destroy(ptr);
      index.dispose();
    }
  }

  it('counts exactly the minimum unmapped area as unmapped, and less as mapped', async () => {
    // Mapped up to 99 m: 100 m² (1 %) outside.
    expect((await unmappedOf(flood(99), 100)).hazards).toEqual([{ label: 'flomfare', fraction: 0.01 }]);
    expect((await unmappedOf(flood(99), 100.5)).hazards).toEqual([]);
  });

  it('counts half a percent unmapped as unmapped and less as mapped, whatever the area', async () => {
    const wide = polygon(rect(0, 0, 1_000, 100));
    const mappedTo = (east: number) => [area('flomsoner', 'flomsoner', 'flomfare', [-50, -50, east, 150])];
    expect((await unmappedOf(mappedTo(995), 10, wide)).hazards).toEqual([
      { label: 'flomfare', fraction: 0.005 },
    ]);
    // 400 m² outside is over the minimum area, but 0.4 % reads "0 %".
    expect((await unmappedOf(mappedTo(996), 10, wide)).hazards).toEqual([]);
  });

  it('rounds the share to four decimals', async () => {
    // Mapped up to 33.333 m: 66.667 % outside.
    expect((await unmappedOf(flood(33.333), 10)).layers).toEqual([{ label: 'flomsoner', fraction: 0.6667 }]);
  });

  it('names every hazard the lot lies outside of, in the order the layers came, with their layers', async () => {
    const layers = [
      area('kvikkleire', 'kvikkleire', 'kvikkleirefare', [500, 500, 600, 600]),
      area('flomsoner', 'flomsoner', 'flomfare', [-50, -50, 50, 150]),
    ];
    expect(await unmappedOf(layers, 10)).toEqual({
      hazards: [
        { label: 'kvikkleirefare', fraction: 1 },
        { label: 'flomfare', fraction: 0.5 },
      ],
      layers: [
        { label: 'kvikkleire', fraction: 1 },
        { label: 'flomsoner', fraction: 0.5 },
      ],
    });
  });

  it('has nothing to say without mapped areas, or for a lot without area', async () => {
    expect(await unmappedOf([], 10)).toEqual({ hazards: [], layers: [] });
    const flat = polygon([...rect(0, 0, 100, 0)]);
    expect(await unmappedOf(flood(50), 10, flat)).toEqual({ hazards: [], layers: [] });
  });
});

describe('MappingIndex, features that are no area', () => {
  it('leaves out points and lines in a coverage layer', async () => {
    const geos = await getGeos();
    const layer: MappedArea = {
      layer: 'flomsoner',
      label: 'flomsoner',
      hazard: 'flomfare',
      features: [
        { geometry: { type: 'Point', coordinates: at(50, 50) } },
        { geometry: polygon(rect(-50, -50, 150, 150)) },
      ],
    };
    const lot = polygon(rect(0, 0, 100, 100));
    const index = new MappingIndex(geos, [layer], 10, 0.001);
    const ptr = geos.fromGeometry(lot);
    try {
      expect(index.unmapped(ptr, bboxOf(lot), geos.area(ptr))).toEqual({ hazards: [], layers: [] });
    } finally {
      geos.destroy(ptr);
      index.dispose();
    }
  });
});
