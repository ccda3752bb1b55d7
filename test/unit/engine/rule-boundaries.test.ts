import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
import { kommuneData, parcel, polygon, rect, regPlan, zone } from '../../helpers/plan-data.js';

/**
 * The engine's default rules at their edges: each case sits just either side of a default, so
 * moving the default (the minimum lot, the minimum opportunity, the opening radius, the plan
 * statuses that count as regulated) fails here, not only in the golden file.
 */
const rules = defaultRules().engine;
const run = (parts: Parameters<typeof kommuneData>[0]) => findLots(kommuneData(parts), rules, { workers: 1 });

describe('engine rules at their edges', () => {
  it('keeps a lot of exactly 1,000 m² and one of 1,010 m², drops one of 990 m² (minimum lot 1,000 m²)', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 60, 50)))],
      parcels: [
        parcel(polygon(rect(0, 0, 19.8, 50)), '1/1'),
        parcel(polygon(rect(19.8, 0, 40, 50)), '1/2'),
        parcel(polygon(rect(40, 0, 60, 50)), '1/3'),
      ],
    });
    expect(lots.map((l) => [l.matrikkelnummertekst, Math.round(l.arealM2)])).toEqual([
      ['1/2', 1010],
      ['1/3', 1000],
    ]);
  });

  it('keeps an opportunity of 2,050 m² and drops one of 1,950 m² (minimum opportunity 2,000 m²)', async () => {
    const { summary } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 41, 50))), zone(polygon(rect(100, 0, 139, 50)))],
      parcels: [parcel(polygon(rect(0, 0, 41, 50)), '1/1'), parcel(polygon(rect(100, 0, 139, 50)), '1/2')],
    });
    expect(summary.opportunityParts).toBe(1);
    expect(summary.opportunityAreaM2).toBeCloseTo(2050, 0);
    expect(summary.smallParts).toBe(1);
    expect(summary.smallPartsAreaM2).toBeCloseTo(1950, 0);
  });

  it('opens away a strip 1.8 m wide and keeps one 2.2 m wide (opening radius 1 m)', async () => {
    // Regulated land leaves a 1,000 m long strip of each width along the zones' lower edge.
    const strip = (x0: number, width: number) => ({
      zone: zone(polygon(rect(x0, 0, x0 + 1000, 100))),
      plan: regPlan(polygon(rect(x0 - 1, width, x0 + 1001, 101))),
    });
    const narrow = strip(0, 1.8);
    const wide = strip(2000, 2.2);
    const { summary, lots } = await run({
      kommuneplan: [narrow.zone, wide.zone],
      reguleringsplan: [narrow.plan, wide.plan],
      parcels: [
        parcel(polygon(rect(0, 0, 1000, 100)), '1/1'),
        parcel(polygon(rect(2000, 0, 2500, 100)), '1/2'),
        parcel(polygon(rect(2500, 0, 3000, 100)), '1/3'),
      ],
    });
    expect(summary.sliverAreaM2).toBeCloseTo(1800, -1);
    expect(summary.opportunityAreaM2).toBeCloseTo(2200, -1);
    expect(lots.map((l) => l.matrikkelnummertekst)).toEqual(['1/2', '1/3']);
  });

  it('subtracts adopted plans (planstatus 3 and 6) only, not proposals, repealed or other plans', async () => {
    const statuses = [1, 2, 3, 4, 5, 6, 8];
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 50 * statuses.length, 100)), { lokalId: 'z' })],
      reguleringsplan: statuses.map((planstatus, i) =>
        regPlan(polygon(rect(i * 50, -1, i * 50 + 50, 101)), { planstatus }),
      ),
      parcels: statuses.map((s, i) => parcel(polygon(rect(i * 50, 0, i * 50 + 50, 100)), `1/${s}`)),
    });
    expect(lots.map((l) => l.matrikkelnummertekst).sort()).toEqual(['1/1', '1/2', '1/4', '1/5', '1/8']);
  });
});
