import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
import { formatEngineSummary } from '../../../sync/src/engine/format-summary.js';
import {
  at,
  kommuneData,
  kommuneplanOutline,
  parcelGrid,
  polygon,
  rect,
  zone,
} from '../../helpers/plan-data.js';

/** A zone that is a skewed quadrilateral: its corners moved up to 37 m off a 200 × 130 m box. */
const skewedZone = fc
  .array(fc.tuple(fc.double({ min: 0, max: 37, noNaN: true }), fc.double({ min: 0, max: 37, noNaN: true })), {
    minLength: 4,
    maxLength: 4,
  })
  .map((moves) => {
    const box: Array<[number, number]> = [
      [0, 0],
      [211.7, 3.1],
      [190.3, 143.9],
      [7.7, 120.1],
    ];
    const corners = box.map(([x, y], i) => at(x + moves[i]![0], y + moves[i]![1]));
    return polygon([...corners, corners[0]!]);
  });

describe('engine summary text', () => {
  it('never prints a negative zero: an opening that loses no area reports 0 m² of slivers', async () => {
    await fc.assert(
      fc.asyncProperty(skewedZone, async (geometry) => {
        const data = kommuneData({
          kommuneplan: [
            kommuneplanOutline(polygon(rect(-10, -10, 600, 400)), 'kpa', '2015-06-18'),
            zone(geometry, { plan: 'kpa', lokalId: 'z' }),
          ],
          reguleringsplan: [],
          parcels: parcelGrid(-10, -10, 400, 400, 50),
        });
        const { summary } = await findLots(data, defaultRules().engine, { workers: 1 });
        expect(summary.sliverAreaM2).toBeGreaterThanOrEqual(0);
        const text = formatEngineSummary(summary).join('\n');
        expect(text).not.toMatch(/-0(?![.\d])/);
        expect(text).toMatch(/slivers removed +\d/);
      }),
      { numRuns: 25, seed: 17 },
    );
  });
});
