import fc from 'fast-check';
import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import OverlayOp from 'jsts/org/locationtech/jts/operation/overlay/OverlayOp.js';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { PlanFeature } from '../../../sync/src/domain/plan.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
import { kommuneData, parcel, polygon, rect, regPlan, zone } from '../../helpers/plan-data.js';
import { cases } from '../../helpers/test-effort.js';

/**
 * Rules that are relations, not values, checked on generated kommuner (fast-check shrinks a
 * failure to its smallest case): area is conserved, no lot is under the minimum, every lot lies
 * in its zone and outside every adopted plan. JSTS is the independent overlay.
 */
const rules = defaultRules().engine;
const reader = new GeoJSONReader(new GeometryFactory());

interface Layout {
  zones: Array<{ x: number; y: number; w: number; h: number }>;
  plans: Array<{ x: number; y: number; w: number; h: number; planstatus: number }>;
  parcelSize: number;
  parcelShift: number;
}

const box = (max: number) =>
  fc.record({
    x: fc.integer({ min: 0, max }),
    y: fc.integer({ min: 0, max }),
    w: fc.integer({ min: 20, max: 260 }),
    h: fc.integer({ min: 20, max: 260 }),
  });

/** Up to three zones in their own 400 m cells, plans of any status anywhere, a parcel grid. */
const layouts: fc.Arbitrary<Layout> = fc.record({
  zones: fc.array(box(120), { minLength: 1, maxLength: 3 }),
  plans: fc.array(
    fc.record({
      x: fc.integer({ min: -50, max: 1250 }),
      y: fc.integer({ min: -50, max: 350 }),
      w: fc.integer({ min: 10, max: 300 }),
      h: fc.integer({ min: 10, max: 300 }),
      planstatus: fc.constantFrom(1, 2, 3, 4, 5, 6),
    }),
    { maxLength: 6 },
  ),
  parcelSize: fc.integer({ min: 25, max: 140 }),
  parcelShift: fc.integer({ min: 0, max: 24 }),
});

function planData(layout: Layout) {
  const zones = layout.zones.map((z, i) =>
    zone(polygon(rect(i * 400 + z.x, z.y, i * 400 + z.x + z.w, z.y + z.h)), { lokalId: `z${i}` }),
  );
  const plans = layout.plans.map((p) => regPlan(polygon(rect(p.x, p.y, p.x + p.w, p.y + p.h)), p));
  const parcels = [];
  let bnr = 1;
  const s = layout.parcelSize;
  for (let x = -layout.parcelShift; x < 1200; x += s)
    for (let y = -layout.parcelShift; y < 420; y += s)
      parcels.push(parcel(polygon(rect(x, y, x + s, y + s)), `1/${bnr++}`));
  return { zones, plans, parcels };
}

const geometryOf = (feature: PlanFeature) => reader.read(feature.geometry);
const adopted = (plans: PlanFeature[]) =>
  plans.filter((p) => rules.regulated.planstatus.includes(Number(p.properties.planstatus)));

describe('engine properties on generated kommuner', () => {
  it('conserves area, keeps every lot at least 1,000 m², inside its zone and off adopted plans', async () => {
    let runsWithLots = 0;
    await fc.assert(
      fc.asyncProperty(layouts, async (layout) => {
        const { zones, plans, parcels } = planData(layout);
        const { lots, summary } = await findLots(
          kommuneData({ kommuneplan: zones, reguleringsplan: plans, parcels }),
          rules,
          { workers: 1 },
        );
        const accounted =
          summary.opportunityAreaM2 +
          summary.subtractedAreaM2 +
          summary.sliverAreaM2 +
          summary.smallPartsAreaM2;
        expect(Math.abs(accounted - summary.zoneAreaM2)).toBeLessThan(0.001 * summary.zoneAreaM2 + 0.5);
        expect(
          Math.abs(summary.lotAreaM2 + summary.unparcelledAreaM2 - summary.opportunityAreaM2),
        ).toBeLessThan(0.5);
        const lotSum = lots.reduce((sum, lot) => sum + lot.arealM2, 0);
        expect(Math.abs(lotSum - summary.lotAreaM2)).toBeLessThan(0.5);

        if (lots.length > 0) runsWithLots += 1;
        const adoptedPlans = adopted(plans).map(geometryOf);
        for (const lot of lots) {
          expect(lot.arealM2).toBeGreaterThanOrEqual(rules.minLotM2);
          const lotGeometry = reader.read(lot.geometry);
          const ownZone = geometryOf(
            zones.find((z) => z.properties['identifikasjon.lokalId'] === lot.zone.lokalId)!,
          );
          expect(OverlayOp.difference(lotGeometry, ownZone).getArea()).toBeLessThan(0.01);
          for (const plan of adoptedPlans)
            expect(OverlayOp.intersection(lotGeometry, plan).getArea()).toBeLessThan(0.01);
        }
      }),
      { numRuns: cases(60, 15) },
    );
    // The generated kommuner must exercise the lot rules, not only the empty cases.
    expect(runsWithLots).toBeGreaterThan(cases(60, 15) / 3);
  }, 120_000);
});
