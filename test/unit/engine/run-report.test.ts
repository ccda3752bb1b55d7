import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { Position } from '../../../sync/src/domain/geometry.js';
import { batchCount, findLots, workerCount } from '../../../sync/src/engine/find-lots.js';
import type { Progress } from '../../../sync/src/util/progress.js';
import {
  at,
  kommuneData,
  kommuneplanOutline,
  parcel,
  parcelGrid,
  polygon,
  rect,
  regPlan,
  zone,
} from '../../helpers/plan-data.js';

/**
 * What a run reports besides the lots: the summary the CLI prints, the progress lines, the inputs
 * that had to be repaired or were dropped, and the order of the lots.
 */
const rules = defaultRules().engine;

/** A self-crossing ring (two triangles wound opposite ways) over the box; MakeValid keeps both. */
const bowTie = (x0: number, y0: number, x1: number, y1: number) =>
  polygon([at(x0, y0), at(x1, y1), at(x1, y0), at(x0, y1), at(x0, y0)]);
/** A ring with two distinct points: nothing of it is an area. */
const collapsed = (x0: number, y0: number, x1: number, y1: number) =>
  polygon([at(x0, y0), at(x1, y1), at(x0, y0)] as Position[]);

function recordingProgress() {
  const stages: Array<{ label: string; total: number | undefined; ticks: number; summary?: string }> = [];
  const progress: Progress = {
    stage(label, total) {
      const stage: (typeof stages)[number] = { label, total, ticks: 0 };
      stages.push(stage);
      return {
        tick: (count = 1) => {
          stage.ticks += count;
        },
        done: (summary) => {
          stage.summary = summary;
        },
      };
    },
  };
  return { progress, stages };
}

describe('run summary and progress', () => {
  const data = () =>
    kommuneData({
      kommuneplan: [
        kommuneplanOutline(polygon(rect(0, 0, 600, 100)), 'kpa', '2015-06-18'),
        kommuneplanOutline(polygon(rect(300, -10, 380, 110)), 'kdp', '2021-04-07'),
        zone(polygon(rect(0, 0, 200, 100)), { plan: 'kpa', lokalId: 'z-west' }),
        zone(polygon(rect(300, 0, 500, 100)), { plan: 'kpa', lokalId: 'z-east' }),
        zone(polygon(rect(0, 200, 100, 300)), { plan: 'kpa', arealbruksstatus: 1 }),
      ],
      reguleringsplan: [
        regPlan(polygon(rect(150, -10, 210, 110)), { plan: 'vedtatt' }),
        regPlan(polygon(rect(0, 20, 40, 60)), { plan: 'forslag', planstatus: 2 }),
        regPlan(polygon(rect(0, 0, 10, 10)), { plan: 'opphevet', planstatus: 5 }),
      ],
      parcels: [...parcelGrid(0, 0, 200, 100, 50), ...parcelGrid(300, 0, 500, 100, 100, 2)],
    });

  it('adds up the zones, plans and lots, and names the coverage and thread count', async () => {
    const input = data();
    input.coverage.reguleringsplan = 'unknown';
    const { lots, summary } = await findLots(input, rules, { workers: 1 });
    expect(summary).toMatchObject({
      kommunenummer: '3218',
      candidateZones: 2,
      regulatedFeatures: 1,
      plansInProgress: 1,
      lots: lots.length,
      zonesClippedByNewerPlans: 1,
      skipped: { 'KpArealformålOmråde arealbruksstatus 1': 1, 'RpOmråde planstatus 5': 1 },
      coverage: { reguleringsplan: 'unknown' },
      workers: 1,
      repairs: { zones: 0, regulated: 0, parcels: 0, dropped: 0 },
    });
    // West: 150 m of 200 m left after the adopted plan; east: 120 m of 200 m left after the newer kdp.
    expect(summary.zoneAreaM2).toBeCloseTo(40_000, 3);
    expect(summary.subtractedAreaM2).toBeCloseTo(5_000 + 8_000, 3);
    expect(summary.opportunityAreaM2).toBeCloseTo(15_000 + 12_000, 1);
    expect(lots.map((l) => l.tomtId)).toEqual([
      '3218-1/1-z-west',
      '3218-1/2-z-west',
      '3218-1/3-z-west',
      '3218-1/4-z-west',
      '3218-1/5-z-west',
      '3218-1/6-z-west',
      '3218-2/1-z-east',
      '3218-2/2-z-east',
    ]);
  });

  it('times each stage: all positive, adding up to at most the total, which is at most the wall time', async () => {
    const started = performance.now();
    const { summary } = await findLots(data(), rules, { workers: 1 });
    const wall = performance.now() - started;
    const { classify, prepare, subtract, opening, lots, total } = summary.ms;
    for (const stage of [classify, prepare, subtract, opening, lots]) expect(stage).toBeGreaterThan(0);
    expect(classify + prepare + subtract + opening + lots).toBeLessThanOrEqual(total);
    expect(total).toBeLessThanOrEqual(wall);
  });

  it('reports the classify and overlay stages, one tick per batch', async () => {
    const { progress, stages } = recordingProgress();
    const { summary } = await findLots(data(), rules, { workers: 1, progress });
    expect(summary.lotAreaM2).toBeCloseTo(27_000, 0);
    expect(stages).toEqual([
      {
        label: '3218 classify plan features',
        total: undefined,
        ticks: 0,
        summary: '2 candidate zones, 1 regulated areas, 1 plans in progress',
      },
      { label: '3218 overlay and split by parcels', total: 1, ticks: 1, summary: '8 lots, 27 daa' },
    ]);
  });
});

describe('lot order', () => {
  it('sorts the lots by tomtId (as text: 1/10 before 1/2), not in the order they were found', async () => {
    const { lots } = await findLots(
      kommuneData({
        kommuneplan: [
          zone(polygon(rect(0, 300, 600, 400)), { lokalId: 'z-north' }),
          zone(polygon(rect(0, 0, 600, 200)), { lokalId: 'z-south' }),
        ],
        parcels: parcelGrid(0, 0, 600, 400, 50),
      }),
      rules,
      { workers: 1 },
    );
    const ids = lots.map((l) => l.tomtId);
    expect(ids).toHaveLength(72);
    expect(ids.slice(0, 3)).toEqual(['3218-1/1-z-south', '3218-1/10-z-south', '3218-1/11-z-south']);
    expect(ids).toEqual([...ids].sort());
  });
});

describe('threads and batches', () => {
  it('uses one thread below 80 zones, then at most one per 40 zones and no more than requested', () => {
    expect(workerCount(0, 8)).toBe(1);
    expect(workerCount(79, 8)).toBe(1);
    expect(workerCount(80, 8)).toBe(2);
    expect(workerCount(200, 8)).toBe(5);
    expect(workerCount(2_000, 8)).toBe(8);
    expect(workerCount(2_000, 1)).toBe(1);
    expect(workerCount(2_000, 0)).toBe(1);
    expect(workerCount(2_000)).toBe(Math.min(os.availableParallelism(), 50));
  });

  it('runs one batch in this thread and about four per worker thread', () => {
    expect(batchCount(1)).toBe(1);
    expect(batchCount(2)).toBe(8);
    expect(batchCount(6)).toBe(24);
  });
});

describe('repaired and dropped inputs', () => {
  it('lists each kind of repaired or dropped input by name, sorted, and counts them', async () => {
    const { lots, summary, repaired } = await findLots(
      kommuneData({
        kommuneplan: [
          kommuneplanOutline(polygon(rect(0, 0, 1000, 200)), 'kpa', '2015-06-18'),
          // A newer kommunedelplan over the east zone, digitised as a bow-tie.
          kommuneplanOutline(bowTie(760, -10, 840, 110), 'kdp', '2021-04-07'),
          zone(bowTie(0, 0, 100, 100), { plan: 'kpa', lokalId: 'zone-b' }),
          zone(bowTie(200, 0, 300, 100), { plan: 'kpa', lokalId: 'zone-a' }),
          zone(collapsed(400, 0, 500, 100), { plan: 'kpa', lokalId: 'zone-c' }),
          zone(polygon(rect(600, 0, 1000, 100)), { plan: 'kpa', lokalId: 'zone-main' }),
          {
            objekttypenavn: 'KpDetaljeringSone',
            properties: { detaljering: '910', hensynSonenavn: 'H910_1' },
            geometry: bowTie(950, -10, 1010, 50),
          },
        ],
        reguleringsplan: [
          regPlan(bowTie(600, -10, 640, 110), { plan: 'rp-b' }),
          regPlan(bowTie(680, -10, 720, 110), { plan: 'rp-a' }),
          regPlan(collapsed(620, 10, 700, 90), { plan: 'rp-gone' }),
          regPlan(bowTie(860, 20, 900, 80), { plan: 'forslag', planstatus: 2 }),
          regPlan(collapsed(870, 10, 930, 90), { plan: 'forslag-gone', planstatus: 1 }),
        ],
        parcels: [
          ...parcelGrid(0, 0, 300, 100, 100),
          parcel(polygon(rect(600, 0, 850, 100)), '5/1', 't-5-1'),
          parcel(bowTie(850, 0, 950, 100), '5/3', 't-bow-z'),
          parcel(bowTie(950, 0, 1000, 100), '5/2', 't-bow-y'),
          parcel(collapsed(610, 10, 640, 40), '5/4', 't-gone'),
        ],
      }),
      rules,
      { workers: 1 },
    );
    expect(repaired).toEqual({
      zones: ['zone-a', 'zone-b'],
      regulated: [
        'detaljeringssone H910_1',
        'kommuneplan 3218-kdp',
        'reguleringsplan 3218-forslag',
        'reguleringsplan 3218-rp-a',
        'reguleringsplan 3218-rp-b',
      ],
      parcels: ['teig t-bow-y', 'teig t-bow-z'],
      dropped: ['reguleringsplan 3218-forslag-gone', 'reguleringsplan 3218-rp-gone', 'teig t-gone', 'zone-c'],
    });
    expect(summary.repairs).toEqual({ zones: 2, regulated: 5, parcels: 2, dropped: 4 });
    expect(summary.zonesClippedByNewerPlans).toBe(1);
    // The repaired zones keep both lobes; the dropped zone adds nothing.
    expect(summary.zoneAreaM2).toBeCloseTo(2 * 5_000 + 40_000, 0);
    expect(lots.filter((l) => l.zone.lokalId === 'zone-main').map((l) => l.matrikkelnummertekst)).toEqual([
      '5/1',
      '5/2',
      '5/3',
    ]);
    expect(lots.find((l) => l.matrikkelnummertekst === '5/3')!.planarbeidPagar).toEqual(['3218-forslag']);
  });
});
