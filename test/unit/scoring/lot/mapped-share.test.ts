import { describe, expect, it } from 'vitest';
import type { MappedArea } from '../../../../sync/src/domain/kommune.js';
import { bboxOf } from '../../../../sync/src/geo/crs.js';
import { getGeos } from '../../../../sync/src/geo/geos.js';
import { MappingIndex } from '../../../../sync/src/scoring/lot/mapped-share.js';
import { polygon, rect } from '../../../helpers/plan-data.js';

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
