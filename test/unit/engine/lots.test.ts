import { describe, expect, it } from 'vitest';
import { defaultRules, parseRules } from '../../../sync/src/config/rules.js';
import type { AreaGeometry, Position } from '../../../sync/src/domain/geometry.js';
import type { Lot } from '../../../sync/src/domain/lot.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
import { at, kommuneData, parcel, polygon, rect, regPlan, zone } from '../../helpers/plan-data.js';

/**
 * How opportunity parts become lots: what a lot's geometry is, which part names its opportunity,
 * and the 100 m² piece rule (minPieceM2) at its edge for lot area, the properties an opportunity
 * spans and plans in progress; the 2,000 m² opportunity minimum at its edge.
 */
const rules = defaultRules().engine;
const run = (parts: Parameters<typeof kommuneData>[0], engineRules = rules) =>
  findLots(kommuneData(parts), engineRules, { workers: 1 });
const lotOf = (lots: Lot[], matrikkelnummertekst: string) =>
  lots.find((l) => l.matrikkelnummertekst === matrikkelnummertekst)!;

function boxOf(geometry: AreaGeometry): [number, number, number, number] {
  const points: Position[] = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  ).flat(2);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

describe('lot geometry', () => {
  it('is the parcel exactly as given when the zone covers it, and the part inside the zone when not', async () => {
    const whole = parcel(polygon(rect(0, 0, 100, 100)), '1/1');
    const clipped = parcel(polygon(rect(100, -50, 200, 50)), '1/2');
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      parcels: [whole, clipped],
    });
    expect(lotOf(lots, '1/1').geometry).toEqual(whole.geometry);
    expect(boxOf(lotOf(lots, '1/2').geometry)).toEqual(boxOf(polygon(rect(100, 0, 200, 50))));
    expect(lotOf(lots, '1/2').arealM2).toBeCloseTo(5_000, 3);
  });
});

describe('repaired parcels', () => {
  it('gives the lot of a self-crossing parcel its repaired shape (both lobes), not the input ring', async () => {
    const bowTie = parcel(polygon([at(0, 0), at(70, 70), at(70, 0), at(0, 70), at(0, 0)]), '8/1');
    const { lots } = await run({ kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))], parcels: [bowTie] });
    expect(lots[0]!.geometry.type).toBe('MultiPolygon');
    expect(lots[0]!.geometry).not.toEqual(bowTie.geometry);
  });
});

describe('opportunity of a lot', () => {
  // Regulated roads cut the zone into parts of 20,000, 16,000 and 19,000 m².
  const roads = [regPlan(polygon(rect(200, -10, 220, 110))), regPlan(polygon(rect(380, -10, 400, 110)))];
  const kommuneplan = [zone(polygon(rect(0, 0, 590, 100)), { lokalId: 'z-roads' })];

  it('is the part holding the largest piece of the property', async () => {
    const { lots } = await run({
      kommuneplan,
      reguleringsplan: roads,
      parcels: [
        parcel(polygon(rect(150, 0, 200, 100)), '3/1'),
        parcel(polygon(rect(220, 0, 300, 100)), '3/1'),
        parcel(polygon(rect(420, 0, 480, 100)), '3/1'),
        parcel(polygon(rect(300, 0, 380, 100)), '3/2'),
      ],
    });
    const split = lotOf(lots, '3/1');
    expect(split.arealM2).toBeCloseTo(5_000 + 8_000 + 6_000, 3);
    expect(split.opportunityId).toMatch(/^z-roads#\d$/);
    expect(split.opportunityId).toBe(lotOf(lots, '3/2').opportunityId);
    expect(split.opportunityArealM2).toBeCloseTo(16_000, 3);
    expect(split.parcelsInOpportunity).toBe(2);
  });

  it('is the part found first when two pieces are equally large', async () => {
    const { lots } = await run({
      kommuneplan,
      reguleringsplan: roads,
      parcels: [
        parcel(polygon(rect(0, 0, 60, 100)), '4/1'),
        parcel(polygon(rect(400, 0, 460, 100)), '4/1'),
        parcel(polygon(rect(60, 0, 200, 100)), '4/2'),
        parcel(polygon(rect(460, 0, 590, 100)), '4/3'),
      ],
    });
    const [west, east] = [lotOf(lots, '4/2').opportunityId, lotOf(lots, '4/3').opportunityId];
    expect(west).not.toBe(east);
    const first = Number(west.split('#')[1]) < Number(east.split('#')[1]) ? west : east;
    expect(lotOf(lots, '4/1').opportunityId).toBe(first);
  });
});

describe('the 100 m² piece rule at its edge', () => {
  it('counts a piece of exactly 100 m² (whole teig, clipped teig, or a small property), not one of 99 m²', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 300, 100)), { lokalId: 'z' })],
      parcels: [
        parcel(polygon(rect(0, 0, 100, 100)), '7/1'),
        parcel(polygon(rect(100, 0, 110, 10)), '7/1'),
        parcel(polygon(rect(110, -5, 130, 5)), '7/1'),
        // Small properties (under 1,000 m²): counted among the properties the opportunity spans.
        parcel(polygon(rect(150, 40, 160, 50)), '7/2'),
        parcel(polygon(rect(170, 40, 179.9, 50)), '7/3'),
        parcel(polygon(rect(200, 95, 220, 110)), '7/4'),
        parcel(polygon(rect(230, 95.5, 250, 110)), '7/5'),
        parcel(polygon(rect(260, 0, 300, 100)), '7/6'),
      ],
    });
    expect(lots.map((l) => l.matrikkelnummertekst)).toEqual(['7/1', '7/6']);
    expect(lotOf(lots, '7/1').arealM2).toBeCloseTo(10_000 + 100 + 100, 3);
    // 7/1, 7/2 (100 m² inside), 7/4 (100 m² across the edge) and 7/6; not 7/3 (99 m²) or 7/5 (90 m²).
    expect(lots.map((l) => l.parcelsInOpportunity)).toEqual([4, 4]);
  });

  it('flags a plan in progress over 100 m² of a lot, not over 99 m², and lists the plans sorted', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      reguleringsplan: [
        regPlan(polygon(rect(20, 20, 40, 40)), { planstatus: 2, plan: 'b-forslag' }),
        regPlan(polygon(rect(50, 50, 70, 70)), { planstatus: 1, plan: 'a-igangsatt' }),
        regPlan(polygon(rect(190, 90, 210, 110)), { planstatus: 2, plan: 'hjørne' }),
        regPlan(polygon(rect(100.1, -10, 110, 10)), { planstatus: 2, plan: 'stripe' }),
      ],
      parcels: [parcel(polygon(rect(0, 0, 100, 100)), '8/1'), parcel(polygon(rect(100, 0, 200, 100)), '8/2')],
    });
    expect(lotOf(lots, '8/1').planarbeidPagar).toEqual(['3218-a-igangsatt', '3218-b-forslag']);
    expect(lotOf(lots, '8/2').planarbeidPagar).toEqual(['3218-hjørne']);
  });
});

describe('a shared boundary', () => {
  it('does not make a small neighbour one of the properties an opportunity spans, even with no piece minimum', async () => {
    const noMinimum = parseRules({ engine: { minPieceM2: 0 } }).engine;
    const { lots } = await run(
      {
        kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
        parcels: [
          parcel(polygon(rect(0, 0, 200, 100)), '10/1'),
          parcel(polygon(rect(50, 100, 80, 120)), '10/2'),
          parcel(polygon(rect(100, 100, 130, 130)), '10/3'),
        ],
      },
      noMinimum,
    );
    expect(lots.map((l) => [l.matrikkelnummertekst, l.parcelsInOpportunity])).toEqual([['10/1', 1]]);
  });

  it('gives no lot to a property that only touches the zone, even with no minimums at all', async () => {
    const noMinimums = parseRules({ engine: { minPieceM2: 0, minLotM2: 0 } }).engine;
    const { lots } = await run(
      {
        kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
        parcels: [
          parcel(polygon(rect(0, 0, 200, 100)), '10/1'),
          parcel(polygon(rect(0, 100, 200, 200)), '10/4'),
        ],
      },
      noMinimums,
    );
    expect(lots.map((l) => l.matrikkelnummertekst)).toEqual(['10/1']);
  });
});

describe('opportunity and small parts at their edges', () => {
  it('keeps an opportunity of exactly 2,000 m²', async () => {
    const { lots, summary } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 40, 50)))],
      parcels: [parcel(polygon(rect(0, 0, 40, 50)), '9/1')],
    });
    expect(summary.opportunityParts).toBe(1);
    expect(summary.smallParts).toBe(0);
    expect(lots.map((l) => l.arealM2)).toEqual([2_000]);
  });

  it('without the opening, counts parts over 1 m² as small parts and leaves 1 m² and smaller as slivers', async () => {
    const noOpening = parseRules({ engine: { sliverOpeningM: 0 } }).engine;
    const { summary, lots } = await run(
      {
        kommuneplan: [
          zone(
            {
              type: 'MultiPolygon',
              coordinates: [
                [rect(0, 0, 100, 100)],
                [rect(200, 0, 200.5, 1)],
                [rect(250, 0, 251, 1)], // exactly 1 m²: still a sliver
                [rect(300, 0, 301.5, 1)],
                [rect(400, 0, 500, 100)],
              ],
            },
            { lokalId: 'z' },
          ),
        ],
        parcels: [
          parcel(polygon(rect(0, 0, 100, 100)), '11/1'),
          parcel(polygon(rect(400, 0, 500, 100)), '11/2'),
        ],
      },
      noOpening,
    );
    // Parts are numbered in the zone's order.
    expect(lots.map((l) => [l.matrikkelnummertekst, l.opportunityId])).toEqual([
      ['11/1', 'z#0'],
      ['11/2', 'z#4'],
    ]);
    expect(summary.sliverAreaM2).toBeCloseTo(0, 6);
    expect(summary.opportunityParts).toBe(2);
    expect(summary.smallParts).toBe(1);
    expect(summary.smallPartsAreaM2).toBeCloseTo(3, 6);
  });
});
