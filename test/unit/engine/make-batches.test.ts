import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { AreaGeometry, BBox } from '../../../sync/src/domain/geometry.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import type { Lot } from '../../../sync/src/domain/lot.js';
import type { PlanFeature } from '../../../sync/src/domain/plan.js';
import {
  classifyPlans,
  type CandidateZone,
  type ClassifiedPlans,
} from '../../../sync/src/engine/classify.js';
import { makeBatches } from '../../../sync/src/engine/make-batches.js';
import { processZones } from '../../../sync/src/engine/process-zones.js';
import { ZONE_TOTAL_KEYS, type ZoneBatch } from '../../../sync/src/engine/zone-batch.js';
import { bboxOf } from '../../../sync/src/geo/crs.js';
import { getGeos } from '../../../sync/src/geo/geos.js';
import {
  kommuneData,
  kommuneplanOutline,
  parcel,
  polygon,
  rect,
  regPlan,
  zone,
} from '../../helpers/plan-data.js';

/**
 * Batching for worker threads, tested in this thread (code in a worker is invisible to coverage):
 * the batches partition the zones, carry exactly the plans and parcels their zones touch, follow a
 * Hilbert curve (so a batch is spatially compact), and give the same lots as one batch.
 */
const rules = defaultRules().engine;
const CELL = 300;

/**
 * A kommune of `size` × `size` cells of 300 m, a 200 m zone in each (listed in a shuffled order),
 * adopted plans that reach into the neighbouring cell's zone, plans in progress, a kommuneplan
 * over all and a newer kommunedelplan over one corner, and a parcel grid. All shapes are
 * axis-aligned rectangles, so two shapes touch exactly when their boxes do.
 */
function kommune(size: number, parcelSize: number) {
  const kommuneplan: PlanFeature[] = [
    kommuneplanOutline(polygon(rect(0, 0, size * CELL, size * CELL)), 'kpa', '2015-06-18'),
    kommuneplanOutline(polygon(rect(0, 0, 2 * CELL, CELL + 100)), 'kdp-sentrum', '2022-11-03'),
  ];
  const reguleringsplan: PlanFeature[] = [];
  const cells = size * size;
  for (let k = 0; k < cells; k++) {
    const cell = (k * 37 + 11) % cells; // every cell once, out of spatial order
    const i = cell % size;
    const j = Math.floor(cell / size);
    const x = i * CELL;
    const y = j * CELL;
    kommuneplan.push(
      zone(polygon(rect(x + 50, y + 50, x + 250, y + 250)), { plan: 'kpa', lokalId: `z-${i}-${j}` }),
    );
    if ((i + j) % 3 === 0 && i < size - 1) {
      reguleringsplan.push(
        regPlan(polygon(rect(x + 190, y + 100, x + CELL + 90, y + 160)), { plan: `rp-${i}-${j}` }),
      );
    }
    if ((i * j) % 5 === 1) {
      reguleringsplan.push(
        regPlan(polygon(rect(x + 60, y + 180, x + 120, y + 240)), {
          planstatus: 2,
          plan: `forslag-${i}-${j}`,
        }),
      );
    }
  }
  // Land outside every zone: a plan and a parcel no batch needs.
  reguleringsplan.push(regPlan(polygon(rect(-400, -400, -300, -300)), { plan: 'rp-far' }));
  const parcels = [parcel(polygon(rect(-400, -400, -300, -300)), '9/1')];
  let bnr = 1;
  for (let x = 0; x < size * CELL; x += parcelSize)
    for (let y = 0; y < size * CELL; y += parcelSize)
      parcels.push(parcel(polygon(rect(x, y, x + parcelSize, y + parcelSize)), `1/${bnr++}`));
  const data = kommuneData({ kommuneplan, reguleringsplan, parcels });
  return { data, plans: classifyPlans(data.kommuneplan, data.reguleringsplan, rules) };
}

const meets = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
const cellOf = (z: CandidateZone) => z.lokalId.split('-').slice(1).map(Number) as [number, number];

/** Items that touch one of the zones, in their input order. */
function touching<T>(
  items: readonly T[],
  zones: readonly CandidateZone[],
  geometryOf: (item: T) => AreaGeometry,
) {
  const boxes = zones.map((z) => bboxOf(z.geometry));
  return items.filter((item) => boxes.some((box) => meets(bboxOf(geometryOf(item)), box)));
}

const isSubsequence = <T>(part: readonly T[], whole: readonly T[]) => {
  let i = 0;
  for (const item of whole) if (item === part[i]) i++;
  return i === part.length;
};

describe('makeBatches', () => {
  // Built per test: StrykerJS counts what runs while tests are collected as covered by none.
  let data: KommuneData;
  let plans: ClassifiedPlans;
  beforeEach(() => {
    ({ data, plans } = kommune(8, 100));
  });

  it('makes no batch for a kommune without candidate zones', () => {
    const empty = classifyPlans([], data.reguleringsplan, rules);
    expect(makeBatches('3218', empty, data, 1)).toEqual([]);
    expect(makeBatches('3218', empty, data, 8)).toEqual([]);
  });

  it.each([1, 2, 3, 4, 7, 16, 64, 100])(
    'cuts the zones into at most %i batches of similar size that partition them',
    (count) => {
      const batches = makeBatches('3218', plans, data, count);
      const largest = Math.ceil(plans.zones.length / count);
      expect(batches.length).toBe(Math.ceil(plans.zones.length / largest));
      expect(batches.length).toBeLessThanOrEqual(count);
      if (plans.zones.length % count === 0) expect(batches).toHaveLength(count);
      for (const batch of batches) {
        expect(batch.kommunenummer).toBe('3218');
        expect(batch.zones.length).toBeGreaterThan(0);
        expect(batch.zones.length).toBeLessThanOrEqual(largest);
        // Zones keep their input order within a batch.
        expect(isSubsequence(batch.zones, plans.zones)).toBe(true);
      }
      const all = batches.flatMap((b) => b.zones);
      expect(all).toHaveLength(plans.zones.length);
      expect(new Set(all)).toEqual(new Set(plans.zones));
    },
  );

  it.each([1, 2, 5, 16])(
    'gives each of %i batches exactly the plans and parcels its zones touch',
    (count) => {
      const batches = makeBatches('3218', plans, data, count);
      for (const batch of batches) {
        expect(batch.subtract).toEqual(touching(plans.regulated, batch.zones, (s) => s.geometry));
        expect(batch.inProgress).toEqual(touching(plans.inProgress, batch.zones, (o) => o.geometry));
        expect(batch.kommuneplanOutlines).toEqual(
          touching(plans.kommuneplanOutlines, batch.zones, (o) => o.geometry),
        );
        expect(batch.parcels).toEqual(touching(data.parcels, batch.zones, (p) => p.geometry));
        // A part of the kommune, not all of it.
        expect(batch.parcels.length).toBeLessThan(data.parcels.length);
        expect(batch.subtract.length).toBeLessThan(plans.regulated.length);
      }
      // A plan reaching into the next cell's zone goes to both batches when they differ.
      const carried = batches.flatMap((b) => b.subtract);
      if (count > 1) expect(carried.length).toBeGreaterThan(plans.regulated.length);
      expect(new Set(carried)).toEqual(new Set(plans.regulated.filter((r) => !r.planId.endsWith('-far'))));
    },
  );

  it('orders zones along a Hilbert curve: consecutive zones are neighbouring cells', () => {
    const batches = makeBatches('3218', plans, data, plans.zones.length);
    const cells = batches.map((b) => cellOf(b.zones[0]!));
    expect(cells[0]).toEqual([0, 0]);
    for (let k = 1; k < cells.length; k++) {
      const [[i0, j0], [i1, j1]] = [cells[k - 1]!, cells[k]!];
      expect(Math.abs(i1 - i0) + Math.abs(j1 - j0)).toBe(1);
    }
  });

  it.each([
    [4, 4],
    [16, 2],
  ])('makes each of %i batches an aligned square block of cells, %i on a side', (count, side) => {
    for (const batch of makeBatches('3218', plans, data, count)) {
      const cells = batch.zones.map(cellOf);
      const is = cells.map(([i]) => i);
      const js = cells.map(([, j]) => j);
      expect(Math.min(...is) % side).toBe(0);
      expect(Math.min(...js) % side).toBe(0);
      expect(Math.max(...is) - Math.min(...is)).toBe(side - 1);
      expect(Math.max(...js) - Math.min(...js)).toBe(side - 1);
    }
  });
});

describe('batches processed one by one', () => {
  const byId = (lots: Lot[]) => [...lots].sort((a, b) => (a.tomtId < b.tomtId ? -1 : 1));

  it('give the same lots and totals as the whole kommune in one batch', async () => {
    const geos = await getGeos();
    const { data, plans } = kommune(3, 100);
    const run = (batches: ZoneBatch[]) => batches.map((batch) => processZones(geos, batch, rules));
    const [whole] = run([
      {
        kommunenummer: '3218',
        zones: plans.zones,
        subtract: plans.regulated,
        kommuneplanOutlines: plans.kommuneplanOutlines,
        inProgress: plans.inProgress,
        parcels: data.parcels,
      },
    ]);
    expect(whole!.lots.length).toBeGreaterThan(30);
    expect(whole!.stats.zonesClippedByNewerPlans).toBeGreaterThan(0);
    expect(whole!.lots.some((l) => l.planarbeidPagar.length > 0)).toBe(true);
    for (const count of [1, 3, 9]) {
      const results = run(makeBatches('3218', plans, data, count));
      expect(results).toHaveLength(count);
      expect(byId(results.flatMap((r) => r.lots))).toEqual(byId(whole!.lots));
      for (const key of ZONE_TOTAL_KEYS) {
        const sum = results.reduce((total, r) => total + r.stats[key], 0);
        expect(sum, key).toBeCloseTo(whole!.stats[key], 3);
      }
      expect(results.reduce((total, r) => total + r.stats.zones, 0)).toBe(plans.zones.length);
    }
  });
});
