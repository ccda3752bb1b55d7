import { describe, expect, it } from 'vitest';
import { defaultRules, parseRules } from '../../../sync/src/config/rules.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import type { PlanFeature } from '../../../sync/src/domain/plan.js';
import { classifyPlans, governsOver } from '../../../sync/src/engine/classify.js';
import { findLots, yearsBefore } from '../../../sync/src/engine/find-lots.js';
import { getGeos, type GeomPtr } from '../../../sync/src/geo/geos.js';
import { toValidArea } from '../../../sync/src/geo/repair.js';
import {
  kommuneData,
  kommuneplanOutline,
  parcelGrid,
  polygon,
  rect,
  regPlan,
  zone,
} from '../../helpers/plan-data.js';
import { cases } from '../../helpers/test-effort.js';
import { sampleKommuneData } from '../../helpers/sample-kommune-data.js';

/**
 * Plan evidence (issue 12, point 3): the part of the candidate housing zones covered by
 * reguleringsplaner in force within `planEvidenceYears` before the run, counted once, summed over
 * the kommune's batches.
 */
const rules = defaultRules().engine;
const AS_OF = '2026-03-10';
const recent = (data: KommuneData, options: { workers?: number; asOf?: string } = {}) =>
  findLots(data, rules, { workers: 1, asOf: AS_OF, ...options }).then((r) => r.summary);

describe('recently regulated housing land', () => {
  it('counts plans in force within the last 5 years once, inside the zones only; old, undated and unadopted plans not', async () => {
    const summary = await recent(
      kommuneData({
        kommuneplan: [
          kommuneplanOutline(polygon(rect(-100, -100, 500, 200)), 'kpa', '2015-06-18'),
          zone(polygon(rect(0, 0, 400, 100)), { plan: 'kpa', lokalId: 'z' }),
        ],
        reguleringsplan: [
          regPlan(polygon(rect(0, 0, 100, 100)), { ikrafttredelsesdato: '2023-05-02' }),
          // Overlaps the first by half: its union with it is counted, not both.
          regPlan(polygon(rect(50, 0, 150, 100)), { ikrafttredelsesdato: '2022-01-15' }),
          // Only the adoption date; half of it is outside the zone.
          regPlan(polygon(rect(350, 50, 450, 150)), { vedtakEndeligPlanDato: '2024-02-02Z' }),
          // In force on the first day of the window, and the day before it.
          regPlan(polygon(rect(300, 0, 320, 50)), { ikrafttredelsesdato: '2021-03-10' }),
          regPlan(polygon(rect(320, 0, 340, 50)), { ikrafttredelsesdato: '2021-03-09' }),
          regPlan(polygon(rect(200, 0, 250, 100)), { ikrafttredelsesdato: '2010-09-01' }),
          regPlan(polygon(rect(250, 0, 300, 100))),
          regPlan(polygon(rect(150, 0, 200, 100)), { planstatus: 2, ikrafttredelsesdato: '2025-01-01' }),
        ],
        parcels: parcelGrid(0, 0, 400, 100, 100),
      }),
    );
    expect(summary.recentSince).toBe('2021-03-10');
    expect(summary.recentlyRegulatedAreaM2).toBeCloseTo(150 * 100 + 50 * 50 + 20 * 50, 3);
  });

  it('leaves out the part of a zone a newer kommuneplan governs (its own zones count it)', async () => {
    const plan = regPlan(polygon(rect(0, 0, 200, 100)), { ikrafttredelsesdato: '2024-06-01' });
    const summary = await recent(
      kommuneData({
        kommuneplan: [
          kommuneplanOutline(polygon(rect(-100, -100, 500, 200)), 'kpa', '2015-06-18'),
          kommuneplanOutline(polygon(rect(150, -50, 300, 150)), 'kdp', '2022-11-03'),
          zone(polygon(rect(0, 0, 400, 100)), { plan: 'kpa', lokalId: 'z' }),
        ],
        reguleringsplan: [plan],
      }),
    );
    expect(summary.recentlyRegulatedAreaM2).toBeCloseTo(150 * 100, 3);
  });

  it('counts nothing as recent when the window ends before every plan, and moves with the rule', async () => {
    const data = kommuneData({
      kommuneplan: [zone(polygon(rect(0, 0, 400, 100)))],
      reguleringsplan: [regPlan(polygon(rect(0, 0, 100, 100)), { ikrafttredelsesdato: '2019-05-02' })],
    });
    expect((await recent(data)).recentlyRegulatedAreaM2).toBe(0);
    const tenYears = parseRules({ engine: { planEvidenceYears: 10 } }).engine;
    const { summary } = await findLots(data, tenYears, { workers: 1, asOf: AS_OF });
    expect(summary.recentSince).toBe('2016-03-10');
    expect(summary.recentlyRegulatedAreaM2).toBeCloseTo(10_000, 3);
  });
});

describe('recently regulated housing land in the sample kommune', () => {
  /** Independently: the zones' governed parts intersected with one union of every recent plan. */
  async function oracle(data: KommuneData, since: string): Promise<number> {
    const geos = await getGeos();
    const plans = classifyPlans(data.kommuneplan, data.reguleringsplan, rules);
    const ptrs: GeomPtr[] = [];
    const own = (ptr: GeomPtr | null) => (ptr ? (ptrs.push(ptr), ptr) : null);
    try {
      const recentPlans = plans.regulated
        .filter((r) => r.kind === 'reguleringsplan' && r.date !== undefined && r.date >= since)
        .map((r) => own(toValidArea(geos, r.geometry).ptr)!);
      const union = own(geos.withCollection(recentPlans, (c) => geos.unaryUnion(c, 0.001)))!;
      let total = 0;
      for (const z of plans.zones) {
        let governed = own(toValidArea(geos, z.geometry).ptr);
        if (!governed) continue;
        for (const outline of plans.kommuneplanOutlines.filter((o) => governsOver(o, z)))
          governed = own(geos.difference(governed, own(toValidArea(geos, outline.geometry).ptr)!, 0.001))!;
        total += geos.area(own(geos.intersection(governed, union, 0.001))!);
      }
      return total;
    } finally {
      geos.destroy(...ptrs);
    }
  }

  const withoutDates = (features: PlanFeature[], since: string) =>
    features.map((f) => {
      const date = f.properties.ikrafttredelsesdato;
      if (typeof date !== 'string' || date < since) return f;
      const { ikrafttredelsesdato: _, ...rest } = f.properties;
      return { ...f, properties: rest };
    });

  it('matches the zones intersected with the union of the recent plans, whatever the batching', async () => {
    const data = await sampleKommuneData();
    const since = yearsBefore(AS_OF, rules.planEvidenceYears);
    const expected = await oracle(data, since);
    // The sample has recent, old and undated plans over its zones, and a newer kommunedelplan.
    expect(expected).toBeGreaterThan(10_000);
    const one = await recent(data);
    expect(one.recentlyRegulatedAreaM2).toBeCloseTo(expected, 1);
    // Against each mutant the worker threads would run the code unmutated: in-thread only there.
    if (cases(2, 1) === 1) return;
    const batched = await recent(data, { workers: 2 });
    expect(batched.workers).toBe(2);
    expect(batched.recentlyRegulatedAreaM2).toBeCloseTo(expected, 1);
    expect(batched.opportunityAreaM2).toBeCloseTo(one.opportunityAreaM2, 1);
  });

  it('reads the adoption date where the date in force is missing, and counts a plan with neither as not recent', async () => {
    const data = await sampleKommuneData();
    const since = yearsBefore(AS_OF, rules.planEvidenceYears);
    const full = (await recent(data)).recentlyRegulatedAreaM2;
    const undated = withoutDates(data.reguleringsplan, since);
    expect((await recent({ ...data, reguleringsplan: undated })).recentlyRegulatedAreaM2).toBe(0);
    const adoptedOnly = data.reguleringsplan.map((f, i) =>
      f === undated[i]
        ? f
        : {
            ...undated[i]!,
            properties: {
              ...undated[i]!.properties,
              vedtakEndeligPlanDato: f.properties.ikrafttredelsesdato!,
            },
          },
    );
    expect((await recent({ ...data, reguleringsplan: adoptedOnly })).recentlyRegulatedAreaM2).toBeCloseTo(
      full,
      3,
    );
  });
});
