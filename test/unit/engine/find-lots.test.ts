import { describe, expect, it } from 'vitest';
import { defaultRules, parseRules } from '../../../sync/src/config/rules.js';
import { findLots } from '../../../sync/src/engine/find-lots.js';
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

const rules = defaultRules().engine;
const run = (parts: Parameters<typeof kommuneData>[0], engineRules = rules) =>
  findLots(kommuneData(parts), engineRules, { workers: 1 });
const total = (lots: Array<{ arealM2: number }>) => lots.reduce((s, l) => s + l.arealM2, 0);

describe('candidate zones', () => {
  it('turns a future housing zone with no plans into one lot per parcel, with the stable id', async () => {
    const z = zone(polygon(rect(0, 0, 200, 100)), { lokalId: 'z-1' });
    const { lots, summary } = await run({ kommuneplan: [z], parcels: parcelGrid(0, 0, 200, 100, 50) });
    expect(lots).toHaveLength(8);
    expect(lots.every((l) => Math.abs(l.arealM2 - 2500) < 0.01)).toBe(true);
    expect(lots[0]!.tomtId).toBe('3218-1/1-z-1');
    expect(lots[0]!.zone).toMatchObject({ arealformal: 1110, arealbruksstatus: 2, planId: '3218-2019001' });
    expect(summary.opportunityAreaM2).toBeCloseTo(20_000, 3);
    // Every stage's time is reported, in milliseconds.
    for (const stage of ['classify', 'prepare', 'subtract', 'opening', 'lots', 'evidence', 'total'] as const)
      expect(summary.ms[stage]).toBeGreaterThanOrEqual(0);
  });

  it('keeps only housing codes with status 2 or 3, new law and old law alike', async () => {
    const parcels = parcelGrid(0, 0, 600, 100, 100);
    const kommuneplan = [
      zone(polygon(rect(0, 0, 100, 100)), { arealformål: 1110, arealbruksstatus: 1, lokalId: 'built' }),
      zone(polygon(rect(100, 0, 200, 100)), { arealformål: 1130, arealbruksstatus: 3, lokalId: 'centre' }),
      zone(polygon(rect(200, 0, 300, 100)), { arealformål: 1300, arealbruksstatus: 2, lokalId: 'industry' }),
      zone(polygon(rect(300, 0, 400, 100)), { arealbruk: 110, arealbruksstatus: 2, lokalId: 'old-housing' }),
      zone(polygon(rect(400, 0, 500, 100)), { arealbruk: 200, arealbruksstatus: 2, lokalId: 'old-lnf' }),
      zone(polygon(rect(500, 0, 600, 100)), { arealformål: 1800, arealbruksstatus: 2, lokalId: 'combined' }),
    ];
    const { lots } = await run({ kommuneplan, parcels });
    expect([...new Set(lots.map((l) => l.zone.lokalId))].sort()).toEqual([
      'centre',
      'combined',
      'old-housing',
    ]);
    expect(lots.find((l) => l.zone.lokalId === 'old-housing')!.zone).toMatchObject({
      objekttypenavn: 'KpArealbrukOmråde',
      arealbruk: 110,
      arealformal: null,
    });
  });

  it('has no utnytting number where NAP lost it as a Java array reference ("[Ljava.lang.Double;@…")', async () => {
    const lost = '[Ljava.lang.Double;@493a67bb';
    const kommuneplan = [
      zone(polygon(rect(0, 0, 100, 100)), {
        lokalId: 'typed',
        'utnytting.utnyttingstype': '16',
        'utnytting.utnyttingstall': lost,
        'utnytting.utnyttingstall_minimum': '20',
      }),
      zone(polygon(rect(100, 0, 200, 100)), { lokalId: 'untyped', 'utnytting.utnyttingstall': lost }),
    ];
    const { lots } = await run({ kommuneplan, parcels: parcelGrid(0, 0, 200, 100, 100) });
    const utnytting = (lokalId: string) => lots.find((l) => l.zone.lokalId === lokalId)!.zone.utnytting;
    expect(utnytting('typed')).toEqual({ type: 16, tall: null, tallMinimum: 20 });
    expect(utnytting('untyped')).toBeNull();
  });

  it('skips zones of a kommuneplan that is not in force', async () => {
    const { lots, summary } = await run({
      kommuneplan: [
        kommuneplanOutline(polygon(rect(0, 0, 100, 100)), 'proposal', '2025-01-01', 2),
        zone(polygon(rect(0, 0, 100, 100)), { plan: 'proposal' }),
      ],
      parcels: parcelGrid(0, 0, 100, 100, 100),
    });
    expect(lots).toHaveLength(0);
    expect(summary.skipped['KpArealformålOmråde in a kommuneplan with planstatus 2']).toBe(1);
  });

  it('lets the newer kommuneplan govern where two plans in force overlap', async () => {
    const { lots } = await run({
      kommuneplan: [
        kommuneplanOutline(polygon(rect(0, 0, 200, 100)), 'kpa', '2019-06-19'),
        kommuneplanOutline(polygon(rect(100, 0, 200, 100)), 'kdp', '2023-09-27'),
        zone(polygon(rect(0, 0, 200, 100)), { plan: 'kpa', lokalId: 'old-zone' }),
        zone(polygon(rect(100, 0, 200, 100)), { plan: 'kdp', arealformål: 3001, arealbruksstatus: 1 }),
      ],
      parcels: parcelGrid(0, 0, 200, 100, 100),
    });
    expect(lots.map((l) => l.matrikkelnummertekst)).toEqual(['1/1']);
    expect(lots[0]!.arealM2).toBeCloseTo(10_000, 1);
  });
});

describe('regulated land', () => {
  const z = () => zone(polygon(rect(0, 0, 200, 100)));
  const parcels = () => parcelGrid(0, 0, 200, 100, 100);
  const plan = (props: Parameters<typeof regPlan>[1]) => regPlan(polygon(rect(-10, -10, 100, 110)), props);

  it.each([
    [3, 2, 10_000],
    [6, 2, 10_000],
    [3, null, 10_000],
    [4, 2, 20_000],
    [5, 2, 20_000],
    [3, 1, 20_000],
    [3, 3, 20_000],
  ])('planstatus %s at vertikalnivå %s leaves %s m²', async (planstatus, vertikalnivå, expected) => {
    const { summary } = await run({
      kommuneplan: [z()],
      reguleringsplan: [plan({ planstatus, vertikalnivå })],
      parcels: parcels(),
    });
    expect(summary.opportunityAreaM2).toBeCloseTo(expected, 0);
  });

  it('subtracts "reguleringsplan skal fortsatt gjelde" (detaljering 910) and nothing else of that type', async () => {
    const detail = (code: string) => ({
      objekttypenavn: 'KpDetaljeringSone',
      properties: { detaljering: code, hensynSonenavn: `H${code}_1` },
      geometry: polygon(rect(0, 0, 100, 100)),
    });
    const kept = await run({ kommuneplan: [z(), detail('910')], parcels: parcels() });
    expect(kept.summary.opportunityAreaM2).toBeCloseTo(10_000, 0);
    const other = await run({ kommuneplan: [z(), detail('920')], parcels: parcels() });
    expect(other.summary.opportunityAreaM2).toBeCloseTo(20_000, 0);
  });

  it('flags lots touched by plans in progress without subtracting them; a shared boundary is not touching', async () => {
    const { lots } = await run({
      kommuneplan: [z()],
      reguleringsplan: [
        regPlan(polygon(rect(150, 20, 180, 60)), { planstatus: 2, plan: 'forslag' }),
        regPlan(polygon(rect(-50, 0, 0, 100)), { planstatus: 1, plan: 'neighbour' }),
      ],
      parcels: parcels(),
    });
    expect(total(lots)).toBeCloseTo(20_000, 0);
    expect(lots.find((l) => l.matrikkelnummertekst === '1/2')!.planarbeidPagar).toEqual(['3218-forslag']);
    expect(lots.find((l) => l.matrikkelnummertekst === '1/1')!.planarbeidPagar).toEqual([]);
  });
});

describe('opportunity', () => {
  it('leaves no sliver where a plan edge was re-digitised 2 cm off the zone boundary', async () => {
    const { lots, summary } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      // The plan shares the zone's south, west and north edges, each 2 cm inside; its east edge is 2 cm past x=100.
      reguleringsplan: [regPlan(polygon(rect(0.02, 0.02, 100.02, 99.98)))],
      parcels: parcelGrid(0, 0, 200, 100, 50),
    });
    expect(summary.opportunityParts).toBe(1);
    expect(summary.sliverAreaM2).toBeGreaterThan(5);
    expect(summary.opportunityAreaM2).toBeCloseTo(100 * 99.98, 0);
    expect(lots.map((l) => l.matrikkelnummertekst).sort()).toEqual(['1/5', '1/6', '1/7', '1/8']);
  });

  it('drops opportunity parts under 2,000 m²', async () => {
    const { lots, summary } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      reguleringsplan: [
        regPlan(
          polygon([at(-1, -1), at(201, -1), at(201, 101), at(170, 101), at(170, 50), at(-1, 50), at(-1, -1)]),
        ),
        regPlan(polygon(rect(-1, 49, 140, 101))),
      ],
      parcels: parcelGrid(0, 0, 200, 100, 100),
    });
    expect(lots).toHaveLength(0);
    expect(summary.smallParts).toBe(1);
    expect(summary.smallPartsAreaM2).toBeCloseTo(30 * 50, 0);
  });

  it('handles a zone with a hole and a zone in two parts', async () => {
    const holed = zone(polygon(rect(0, 0, 200, 200), rect(50, 50, 150, 150).reverse()), { lokalId: 'holed' });
    const twoParts = zone(
      { type: 'MultiPolygon', coordinates: [[rect(300, 0, 400, 100)], [rect(500, 0, 600, 100)]] },
      { lokalId: 'two-parts' },
    );
    const { lots, summary } = await run({
      kommuneplan: [holed, twoParts],
      parcels: [...parcelGrid(0, 0, 200, 200, 50), ...parcelGrid(300, 0, 600, 100, 100, 2)],
    });
    expect(lots.filter((l) => l.zone.lokalId === 'holed')).toHaveLength(12);
    expect(lots.filter((l) => l.zone.lokalId === 'two-parts')).toHaveLength(2);
    expect(summary.opportunityParts).toBe(3);
    expect(summary.opportunityAreaM2).toBeCloseTo(30_000 + 20_000, 0);
  });

  it('repairs a self-crossing (bow-tie) zone keeping both lobes, and reports the repair', async () => {
    const bowTie = zone(polygon([at(0, 0), at(100, 100), at(100, 0), at(0, 100), at(0, 0)]), {
      lokalId: 'bow',
    });
    const { lots, summary, repaired } = await run({
      kommuneplan: [bowTie],
      parcels: parcelGrid(0, 0, 100, 100, 100),
    });
    expect(summary.repairs.zones).toBe(1);
    expect(repaired.zones).toEqual(['bow']);
    expect(lots).toHaveLength(1);
    // buffer(0) would keep one triangle (2,500 m²); MakeValid keeps both.
    expect(lots[0]!.arealM2).toBeGreaterThan(4_900);
    expect(lots[0]!.geometry.type).toBe('MultiPolygon');
  });
});

describe('lots', () => {
  it('clips parcels to the zone and drops pieces under 1,000 m²', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      parcels: [
        parcel(polygon(rect(150, 0, 250, 100)), '7/1'),
        parcel(polygon(rect(192, 0, 300, 100)), '7/2'),
      ],
    });
    // 7/1 keeps 50×100 inside the zone; 7/2 only 8×100 = 800 m² (its overlap with 7/1 is a data error both keep).
    expect(lots.map((l) => [l.matrikkelnummertekst, Math.round(l.arealM2)])).toEqual([['7/1', 5000]]);
    expect(lots[0]!.parcelArealM2).toBeCloseTo(10_000, 0);
  });

  it('joins the teiger of one property in one zone into one lot', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)), { lokalId: 'z' })],
      parcels: [
        parcel(polygon(rect(0, 0, 40, 100)), '3/4', 't-1'),
        parcel(polygon(rect(100, 0, 140, 100)), '3/4', 't-2'),
        parcel(polygon(rect(40, 0, 100, 100)), '3/5', 't-3'),
      ],
    });
    expect(lots.map((l) => l.tomtId)).toEqual(['3218-3/4-z', '3218-3/5-z']);
    const joined = lots[0]!;
    expect(joined.arealM2).toBeCloseTo(8_000, 0);
    expect(joined.teigId).toBe('t-1,t-2');
    expect(joined.geometry.type).toBe('MultiPolygon');
    expect(joined.parcelsInOpportunity).toBe(2);
  });

  it('keeps the lot of a self-crossing parcel whose ring area cancels out (both lobes count)', async () => {
    // Two 1,225 m² triangles wound opposite ways: the shoelace sum is 0, the repaired parcel 2,450 m².
    const bowTie = parcel(polygon([at(0, 0), at(70, 70), at(70, 0), at(0, 70), at(0, 0)]), '8/1');
    const { lots, summary } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      parcels: [bowTie],
    });
    expect(summary.repairs.parcels).toBe(1);
    expect(lots.map((l) => [l.matrikkelnummertekst, Math.round(l.arealM2)])).toEqual([['8/1', 2450]]);
  });

  it('counts the properties an opportunity spans, not a neighbour across a plan edge digitised 2 cm off', async () => {
    const { lots } = await run({
      kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))],
      reguleringsplan: [
        // Adopted beyond x = 100.02: the opportunity overlaps neighbour 2/1 by a 2 m² strip.
        regPlan(polygon(rect(100.02, -10, 210, 110))),
        // In progress, from x = 99.98: it overlaps lot 1/4 by a 2 m² strip only.
        regPlan(polygon(rect(99.98, -10, 150, 110)), { planstatus: 2, plan: 'naboplan' }),
      ],
      parcels: [
        parcel(polygon(rect(0, 0, 60, 100)), '1/1'),
        parcel(polygon(rect(60, 0, 80, 30)), '1/2'),
        parcel(polygon(rect(60, 30, 80, 100)), '1/3'),
        parcel(polygon(rect(80, 0, 100, 100)), '1/4'),
        parcel(polygon(rect(100, 0, 200, 100)), '2/1'),
      ],
    });
    // 1/2 (600 m²) is too small for a lot but is one of the four properties; 2/1 is not.
    expect(lots.map((l) => [l.matrikkelnummertekst, l.parcelsInOpportunity])).toEqual([
      ['1/1', 4],
      ['1/3', 4],
      ['1/4', 4],
    ]);
    expect(lots.find((l) => l.matrikkelnummertekst === '1/4')!.planarbeidPagar).toEqual([]);
    expect(lots.every((l) => l.geometry.type === 'Polygon')).toBe(true);
  });

  it('follows the rule file: a larger minimum lot drops smaller lots', async () => {
    const strict = parseRules({ engine: { minLotM2: 3000 } }).engine;
    const { lots } = await run(
      { kommuneplan: [zone(polygon(rect(0, 0, 200, 100)))], parcels: parcelGrid(0, 0, 200, 100, 50) },
      strict,
    );
    expect(lots).toHaveLength(0);
  });
});
