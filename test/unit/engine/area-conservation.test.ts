import GeometryFactory from 'jsts/org/locationtech/jts/geom/GeometryFactory.js';
import GeoJSONReader from 'jsts/org/locationtech/jts/io/GeoJSONReader.js';
import OverlayOp from 'jsts/org/locationtech/jts/operation/overlay/OverlayOp.js';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { Position } from '../../../sync/src/domain/geometry.js';
import type { PlanFeature } from '../../../sync/src/domain/plan.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
import { seeded } from '../../../scripts/sample/random.js';
import { at, kommuneData, parcelGrid, polygon, regPlan, zone } from '../../helpers/plan-data.js';
import { cases } from '../../helpers/test-effort.js';

/** A simple (star-shaped) polygon: valid input for both GEOS and the JSTS oracle. */
function star(rnd: () => number, cx: number, cy: number, radius: number): Position[] {
  const n = 6 + Math.floor(rnd() * 14);
  const ring = Array.from({ length: n }, (_, i) => {
    const angle = (i / n) * 2 * Math.PI + rnd() * 0.2;
    const r = radius * (0.5 + rnd() * 0.5);
    return at(cx + r * Math.cos(angle), cy + r * Math.sin(angle));
  });
  return [...ring, ring[0]!];
}

/** A rotated rectangle, some sharing a zone edge re-digitised 2 cm off. */
function plan(rnd: () => number, cx: number, cy: number): Position[] {
  const w = 20 + rnd() * 120;
  const h = 20 + rnd() * 120;
  const a = rnd() * Math.PI;
  const corners = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([x, y]) => at(cx + x! * Math.cos(a) - y! * Math.sin(a), cy + x! * Math.sin(a) + y! * Math.cos(a)));
  return [...corners, corners[0]!];
}

const reader = new GeoJSONReader(new GeometryFactory());

describe('area conservation (property test, JSTS as an independent overlay)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8].slice(0, cases(8, 2)))(
    'seed %i: zone area = opportunity + regulated part + slivers + small parts, within 0.1 %',
    async (seed) => {
      const rnd = seeded(seed);
      const zones: PlanFeature[] = [];
      const plans: PlanFeature[] = [];
      for (let i = 0; i < 12; i++) {
        const cx = (i % 4) * 400 + 200;
        const cy = Math.floor(i / 4) * 400 + 200;
        const ring = star(rnd, cx, cy, 120 + rnd() * 60);
        zones.push(zone(polygon(ring)));
        for (let k = Math.floor(rnd() * 6); k > 0; k--) {
          plans.push(regPlan(polygon(plan(rnd, cx + (rnd() - 0.5) * 200, cy + (rnd() - 0.5) * 200))));
        }
        // A plan re-digitised along a stretch of the zone's own boundary, 2 cm off.
        const shifted = ring.slice(0, 4).map((p): Position => [p[0] + 0.02, p[1] - 0.02]);
        plans.push(regPlan(polygon([...shifted, at(cx, cy), shifted[0]!])));
      }
      const { summary } = await findLots(
        kommuneData({
          kommuneplan: zones,
          reguleringsplan: plans,
          parcels: parcelGrid(0, 0, 1600, 1200, 80),
        }),
        defaultRules().engine,
        { workers: 1 },
      );
      const accounted =
        summary.opportunityAreaM2 +
        summary.subtractedAreaM2 +
        summary.sliverAreaM2 +
        summary.smallPartsAreaM2;
      expect(Math.abs(accounted - summary.zoneAreaM2) / summary.zoneAreaM2).toBeLessThan(0.001);

      // The regulated part, computed independently: each zone ∩ union(plans) with JSTS.
      const planGeometries = plans.map((p) => reader.read(p.geometry));
      let regulated = 0;
      for (const z of zones) {
        const zoneGeometry = reader.read(z.geometry);
        const touching = planGeometries.filter((p) =>
          p.getEnvelopeInternal().intersects(zoneGeometry.getEnvelopeInternal()),
        );
        if (touching.length === 0) continue;
        const union = touching.reduce((u, p) => OverlayOp.union(u, p));
        regulated += OverlayOp.intersection(zoneGeometry, union).getArea();
      }
      expect(Math.abs(regulated - summary.subtractedAreaM2) / summary.zoneAreaM2).toBeLessThan(0.001);
      expect(summary.lotAreaM2).toBeLessThanOrEqual(summary.opportunityAreaM2 + 1);
    },
  );
});
