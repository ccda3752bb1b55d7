import { afterEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { Position } from '../../../sync/src/domain/geometry.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import { classifyPlans } from '../../../sync/src/engine/classify.js';
import { processZones } from '../../../sync/src/engine/process-zones.js';
import type { ZoneBatch } from '../../../sync/src/engine/zone-batch.js';
import { getGeos } from '../../../sync/src/geo/geos.js';
import {
  at,
  kommuneData,
  kommuneplanOutline,
  parcel,
  polygon,
  rect,
  regPlan,
  zone,
} from '../../helpers/plan-data.js';
import { ownershipTracking } from './geos-ownership.js';

/**
 * One batch of zones through the pipeline (subtract, open, split by parcels), in this thread:
 * the counts it adds up, the stage times, and the GEOS memory it must give back.
 */
const rules = defaultRules().engine;

function wholeBatch(data: KommuneData): ZoneBatch {
  const plans = classifyPlans(data.kommuneplan, data.reguleringsplan, rules);
  return {
    kommunenummer: data.kommune.kommunenummer,
    zones: plans.zones,
    subtract: plans.regulated,
    kommuneplanOutlines: plans.kommuneplanOutlines,
    inProgress: plans.inProgress,
    parcels: data.parcels,
  };
}

/**
 * Every path of the pipeline: whole and clipped parcels, a property with a 50 m² teig inside and
 * a 50 m² sliver of another, small properties inside, touching and across the zone edge, a plan
 * in progress, a self-crossing zone (two lobes, so a lot of two pieces), a collapsed zone, a zone
 * under 21 regulated areas (a small part cut off), and a newer kommunedelplan, L-shaped, that
 * clips one zone and only boxes the next.
 */
function everyPath(): KommuneData {
  const plots = Array.from({ length: 20 }, (_, k) =>
    regPlan(polygon(rect(710 + 18 * k, 40, 720 + 18 * k, 50)), { plan: `tomt-${k}` }),
  );
  const lShaped = polygon([
    at(1500, -20),
    at(1700, -20),
    at(1700, 300),
    at(1950, 300),
    at(1950, 350),
    at(1500, 350),
    at(1500, -20),
  ]);
  return kommuneData({
    kommuneplan: [
      kommuneplanOutline(polygon(rect(0, -50, 2000, 250)), 'kpa', '2015-06-18'),
      kommuneplanOutline(lShaped, 'kdp', '2022-11-03'),
      zone(polygon(rect(0, 0, 400, 100)), { plan: 'kpa', lokalId: 'z-parcels' }),
      zone(polygon([at(500, 0), at(600, 100), at(600, 0), at(500, 100), at(500, 0)]), {
        plan: 'kpa',
        lokalId: 'z-bow',
      }),
      zone(polygon([at(650, 0), at(680, 30), at(650, 0)] as Position[]), { plan: 'kpa', lokalId: 'z-gone' }),
      zone(polygon(rect(700, 0, 1100, 100)), { plan: 'kpa', lokalId: 'z-plots' }),
      zone(polygon(rect(1400, 0, 1600, 100)), { plan: 'kpa', lokalId: 'z-clipped' }),
      zone(polygon(rect(1750, 0, 1900, 100)), { plan: 'kpa', lokalId: 'z-notch' }),
    ],
    reguleringsplan: [
      regPlan(polygon(rect(50, 50, 150, 150)), { plan: 'forslag', planstatus: 2 }),
      ...plots,
      regPlan(polygon(rect(1080, -10, 1090, 110)), { plan: 'vei', ikrafttredelsesdato: '2024-02-01' }),
    ],
    parcels: [
      parcel(polygon(rect(0, 0, 100, 100)), '1/1'),
      parcel(polygon(rect(100, -50, 200, 50)), '1/2'),
      parcel(polygon(rect(200, 0, 300, 100)), '1/3', 't-1-3-a'),
      parcel(polygon(rect(300, 0, 305, 10)), '1/3', 't-1-3-b'),
      parcel(polygon(rect(305, -5, 315, 5)), '1/3', 't-1-3-c'),
      parcel(polygon(rect(320, 20, 340, 40)), '1/4'),
      parcel(polygon(rect(320, 100, 350, 120)), '1/5'),
      parcel(polygon(rect(360, 80, 390, 110)), '1/6'),
      parcel(polygon(rect(500, 0, 600, 100)), '2/1'),
      parcel(polygon(rect(700, 0, 1100, 100)), '4/1'),
      parcel(polygon(rect(1400, 0, 1600, 100)), '5/1'),
      parcel(polygon(rect(1750, 0, 1900, 100)), '6/1'),
    ],
  });
}

describe('processZones', () => {
  let tracking: ReturnType<typeof ownershipTracking> | undefined;
  afterEach(() => tracking?.release());

  it('goes through every path of the pipeline', async () => {
    const { lots, stats } = processZones(await getGeos(), wholeBatch(everyPath()), rules);
    expect(lots.map((l) => [l.zone.lokalId, l.matrikkelnummertekst, Math.round(l.arealM2)])).toEqual([
      ['z-parcels', '1/1', 10_000],
      ['z-parcels', '1/2', 5_000],
      ['z-parcels', '1/3', 10_000],
      ['z-bow', '2/1', 5_000],
      ['z-plots', '4/1', 38_000 - 2_000],
      ['z-clipped', '5/1', 10_000],
      ['z-notch', '6/1', 15_000],
    ]);
    expect(lots[0]!.planarbeidPagar).toEqual(['3218-forslag']);
    expect(lots[0]!.parcelsInOpportunity).toBe(5);
    expect(lots[3]!.geometry.type).toBe('MultiPolygon');
    expect(stats).toMatchObject({
      zones: 6,
      lots: 7,
      zonesClippedByNewerPlans: 1,
      smallParts: 1,
      opportunityParts: 6,
      repairedZones: ['z-bow'],
      droppedGeometries: ['z-gone'],
    });
    expect(stats.smallPartsAreaM2).toBeCloseTo(1_000, 3);
    expect(stats.subtractedAreaM2).toBeCloseTo(2_000 + 1_000 + 10_000, 3);
  });

  it('gives back every GEOS geometry it makes, and frees none twice, plan evidence included', async () => {
    tracking = ownershipTracking(await getGeos());
    const batch = { ...wholeBatch(everyPath()), recentSince: '2000-01-01' };
    const { lots, stats } = processZones(tracking.geos, batch, rules);
    expect(lots).toHaveLength(7);
    expect(stats.recentlyRegulatedAreaM2).toBeGreaterThan(0);
    expect(tracking.misuse).toEqual([]);
    expect(tracking.live()).toEqual({ geometries: [], prepared: 0 });
  });

  it('gives back the geometries of the plan evidence where a newer kommuneplan governs part of a zone', async () => {
    tracking = ownershipTracking(await getGeos());
    const data = kommuneData({
      kommuneplan: [
        kommuneplanOutline(polygon(rect(-100, -100, 500, 200)), 'kpa', '2015-06-18'),
        kommuneplanOutline(polygon(rect(150, -50, 300, 150)), 'kdp', '2022-11-03'),
        zone(polygon(rect(0, 0, 400, 100)), { plan: 'kpa', lokalId: 'z' }),
      ],
      reguleringsplan: [
        regPlan(polygon(rect(0, 0, 200, 100)), { ikrafttredelsesdato: '2024-06-01' }),
        // Collapsed to a line: dropped on conversion, so it neither counts nor breaks the count.
        regPlan(polygon(rect(50, 20, 50, 80)), { ikrafttredelsesdato: '2025-02-01', plan: 'strek' }),
      ],
    });
    const { stats } = processZones(tracking.geos, { ...wholeBatch(data), recentSince: '2021-03-10' }, rules);
    expect(stats.recentlyRegulatedAreaM2).toBeCloseTo(150 * 100, 3);
    expect(tracking.misuse).toEqual([]);
    expect(tracking.live()).toEqual({ geometries: [], prepared: 0 });
    // A run without a plan-evidence window counts no plan as recent.
    expect(processZones(tracking.geos, wholeBatch(data), rules).stats.recentlyRegulatedAreaM2).toBe(0);
  });

  it('reports only its own batch’s overlay fallbacks, not those of earlier batches in the thread', async () => {
    const geos = await getGeos();
    const before = geos.fallbacks;
    // A worker thread keeps one GEOS instance: say its earlier batches fell back 3 times.
    geos.fallbacks += 3;
    try {
      const { stats } = processZones(geos, wholeBatch(everyPath()), rules);
      expect(stats.overlayFallbacks).toBe(geos.fallbacks - before - 3);
      expect(stats.overlayFallbacks).toBe(0); // clean input: no fallback needed
    } finally {
      geos.fallbacks = before;
    }
  });

  it('times each stage of the zone pipeline under its own name', async () => {
    const batch = { ...wholeBatch(everyPath()), recentSince: '2000-01-01' };
    const { stats } = processZones(await getGeos(), batch, rules);
    expect(Object.keys(stats.ms).sort()).toEqual(['evidence', 'lots', 'opening', 'prepare', 'subtract']);
    for (const ms of Object.values(stats.ms)) expect(ms).toBeGreaterThan(0);
  });

  it('subtracts overlapping regulated areas once, whether there are few or many', async () => {
    const geos = await getGeos();
    // Plots of 20 × 20 m, each overlapping the next by half: n plots cover (n + 1) × 10 × 20 m².
    const subtracted = (n: number) =>
      processZones(
        geos,
        wholeBatch(
          kommuneData({
            kommuneplan: [zone(polygon(rect(0, 0, 400, 100)))],
            reguleringsplan: Array.from({ length: n }, (_, k) =>
              regPlan(polygon(rect(10 + 10 * k, 40, 30 + 10 * k, 60))),
            ),
          }),
        ),
        rules,
      ).stats.subtractedAreaM2;
    expect(subtracted(3)).toBeCloseTo(800, 3);
    expect(subtracted(16)).toBeCloseTo(3_400, 3);
    expect(subtracted(17)).toBeCloseTo(3_600, 3);
    expect(subtracted(30)).toBeCloseTo(6_200, 3);
  });
});
