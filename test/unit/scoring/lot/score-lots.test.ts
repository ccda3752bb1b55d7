import { describe, expect, it } from 'vitest';
import type { LotScoreRules } from '../../../../sync/src/config/lot-score-rules.js';
import type { KommuneData } from '../../../../sync/src/domain/kommune.js';
import type { Lot, ScoredLot } from '../../../../sync/src/domain/lot.js';
import { centresFor } from '../../../../sync/src/scoring/lot/centres.js';
import { scoreLots } from '../../../../sync/src/scoring/lot/score-lots.js';
import type { ConstraintLayer } from '../../../../sync/src/scoring/lot/types.js';
import { at, polygon, rect, regPlan, zone } from '../../../helpers/plan-data.js';
import {
  dataWith,
  defaultLotRules,
  figures,
  hensynssone,
  lotRules,
  makeLot,
  regulatedRoad,
} from './lot-fixtures.js';

const square = () => makeLot(polygon(rect(0, 0, 100, 100))); // 10 000 m²

async function scoreOne(
  lot: Lot,
  data: KommuneData,
  options: {
    rules?: LotScoreRules;
    byggevilje?: number | null;
    layers?: ConstraintLayer[];
    owners?: Map<string, number>;
  } = {},
): Promise<ScoredLot> {
  const [scored] = await scoreLots([lot], {
    data,
    kommune: figures(options.byggevilje === undefined ? 60 : options.byggevilje),
    rules: options.rules ?? defaultLotRules(),
    extraLayers: options.layers,
    ownerCounts: options.owners,
  });
  return scored!;
}

const factor = (scored: ScoredLot, key: string) => scored.score.factors.find((f) => f.key === key)!;
const constraint = (scored: ScoredLot, key: string) => scored.score.constraints.find((c) => c.key === key)!;

describe('constraint coverage', () => {
  it('measures a lot half in a flood zone as flood fraction 0.5, severe, and builds only on the dry half', async () => {
    const flood = hensynssone('KpFareSone', 'fare', 320, polygon(rect(50, -50, 200, 150)));
    const scored = await scoreOne(square(), dataWith({ kommuneplan: [flood] }));
    const flom = constraint(scored, 'flom');
    expect(flom.fraction).toBeCloseTo(0.5, 4);
    expect(flom).toMatchObject({ severe: true, weight: 1, label: 'Flomfare' });
    expect(flom.sources).toEqual([`kommuneplan ${flood.properties.hensynSonenavn}`]);
    expect(factor(scored, 'konfliktfrihet').value).toBeCloseTo(0.5, 4);
    expect(factor(scored, 'konfliktfrihet').reason).toBe(
      'Begrensninger: flomfare på 50 % av tomten (alvorlig).',
    );
    // 5 000 m² outside the flood zone: Størrelse on 5 daa of 20, homes on 5 daa at 5 per daa.
    expect(factor(scored, 'storrelse').value).toBeCloseTo(0.25, 4);
    expect(scored.score.capacity).toMatchObject({ homes: 25, basis: 'density' });
    expect(scored.score.capacity.detail).toContain(
      '5 000 m² under alvorlige begrensninger er holdt utenfor.',
    );
    expect(scored.score.explanation).toContain('Kan stoppe prosjektet: flomfare på 50 % av tomten.');
    // Every other type is listed too, at 0.
    expect(scored.score.constraints.filter((c) => c.fraction > 0).map((c) => c.key)).toEqual(['flom']);
    expect(constraint(scored, 'skred')).toMatchObject({ fraction: 0, sources: [] });
    expect(scored.score.constraints.length).toBe(Object.keys(defaultLotRules().constraints.types).length);
  });

  it('counts a constraint over exactly the minimum covered area (10 m²), and none over less', async () => {
    const edge = hensynssone('KpFareSone', 'fare', 320, polygon(rect(95, 0, 100, 2))); // 10 m² of the lot
    const scored = await scoreOne(square(), dataWith({ kommuneplan: [edge] }));
    expect(constraint(scored, 'flom').fraction).toBeCloseTo(0.001, 6);
    const corner = hensynssone('KpFareSone', 'fare', 320, polygon(rect(95, 0, 100, 1.9))); // 9.5 m²
    const less = await scoreOne(square(), dataWith({ kommuneplan: [corner] }));
    expect(constraint(less, 'flom')).toMatchObject({ fraction: 0, sources: [] });
  });

  it('counts a kommuneplan flood zone and an NVE flood layer over the same land once, naming both', async () => {
    const flood = hensynssone('KpFareSone', 'fare', 320, polygon(rect(50, 0, 100, 100)));
    const nve: ConstraintLayer = {
      name: 'NVE flomsone 200-år',
      constraint: 'flom',
      features: [{ geometry: polygon(rect(25, 0, 75, 100)) }],
    };
    const scored = await scoreOne(square(), dataWith({ kommuneplan: [flood] }), { layers: [nve] });
    expect(constraint(scored, 'flom').fraction).toBeCloseTo(0.75, 4);
    expect(constraint(scored, 'flom').sources).toEqual([
      'NVE flomsone 200-år',
      `kommuneplan ${flood.properties.hensynSonenavn}`,
    ]);
  });

  it('adds the weighted shares of different types and lets non-severe ones keep the area buildable', async () => {
    const kommuneplan = [
      hensynssone('KpStøySone', 'støy', 220, polygon(rect(0, 0, 30, 100))), // 30 % yellow noise, weight 0.2
      hensynssone('KpAngittHensynSone', 'angittHensyn', 570, polygon(rect(0, 0, 100, 20))), // 20 % kulturmiljø, 0.5
    ];
    const scored = await scoreOne(square(), dataWith({ kommuneplan }));
    expect(constraint(scored, 'stoyGul').fraction).toBeCloseTo(0.3, 4);
    expect(constraint(scored, 'kulturmiljo').fraction).toBeCloseTo(0.2, 4);
    expect(factor(scored, 'konfliktfrihet').value).toBeCloseTo(1 - 0.2 * 0.3 - 0.5 * 0.2, 4);
    expect(factor(scored, 'storrelse').value).toBeCloseTo(0.5, 4);
  });

  it('reads reguleringsplan hensynssoner on the ground only, codes from the name too, and skips repealed plans', async () => {
    const reguleringsplan = [
      regPlan(polygon(rect(-10, -10, 300, 300)), { plan: 'in-force', planstatus: 3 }),
      regPlan(polygon(rect(-10, -10, 300, 300)), { plan: 'repealed', planstatus: 4 }),
      // Landslide in a tunnel plan (vertikalnivå 1): nothing on the surface.
      hensynssone('RpFareSone', 'fare', 310, polygon(rect(0, 0, 100, 100)), {
        vertikalnivå: '1',
        plan: 'in-force',
      }),
      // Red noise with the code only in its name (H210_…), on the ground.
      hensynssone('RpStøySone', 'støy', null, polygon(rect(0, 0, 10, 100)), {
        vertikalnivå: '2',
        plan: 'in-force',
        hensynSonenavn: 'H210_3',
      }),
      hensynssone('RpAngittHensynSone', 'angittHensyn', 560, polygon(rect(0, 0, 100, 100)), {
        plan: 'repealed',
      }),
    ];
    const scored = await scoreOne(square(), dataWith({ reguleringsplan }));
    expect(constraint(scored, 'skred').fraction).toBe(0);
    expect(constraint(scored, 'stoyRod').fraction).toBeCloseTo(0.1, 4);
    expect(constraint(scored, 'stoyRod').sources).toEqual(['reguleringsplan 3218-in-force H210_3']);
    expect(constraint(scored, 'naturmiljo').fraction).toBe(0);
  });

  it('counts land under two overlapping severe types once when it leaves them out of the buildable area', async () => {
    const kommuneplan = [
      hensynssone('KpFareSone', 'fare', 320, polygon(rect(0, 0, 50, 100))), // flood, west half
      hensynssone('KpFareSone', 'fare', 310, polygon(rect(25, 0, 75, 100))), // landslide, overlaps 25 m
    ];
    const scored = await scoreOne(square(), dataWith({ kommuneplan }));
    expect(constraint(scored, 'flom').fraction).toBeCloseTo(0.5, 4);
    expect(constraint(scored, 'skred').fraction).toBeCloseTo(0.5, 4);
    // 75 % under a severe constraint: 2 500 m² left to build on.
    expect(factor(scored, 'storrelse').reason).toBe(
      'Tomten er på 10,0 daa, og 2,5 daa av den ligger utenfor alvorlige begrensninger; full score fra 20,0 daa.',
    );
    expect(scored.score.capacity.detail).toContain(
      '7 500 m² under alvorlige begrensninger er holdt utenfor.',
    );
  });

  it('keeps land under a single non-severe type buildable', async () => {
    const noise = hensynssone('KpStøySone', 'støy', 220, polygon(rect(0, 0, 100, 60)));
    const scored = await scoreOne(square(), dataWith({ kommuneplan: [noise] }));
    expect(constraint(scored, 'stoyGul').fraction).toBeCloseTo(0.6, 4);
    expect(factor(scored, 'storrelse').reason).toBe('Tomten er på 10,0 daa; full score fra 20,0 daa.');
    expect(scored.score.capacity.detail).not.toContain('holdt utenfor');
  });

  it('ignores a sliver where a zone edge was digitised a few centimetres into the lot', async () => {
    const sliver = hensynssone('KpFareSone', 'fare', 310, polygon(rect(99.95, 0, 200, 100)));
    const scored = await scoreOne(square(), dataWith({ kommuneplan: [sliver] }));
    expect(constraint(scored, 'skred').fraction).toBe(0);
    expect(factor(scored, 'konfliktfrihet').value).toBe(1);
  });
});

describe('capacity', () => {
  it('uses the zone’s %-BYA 30 and stores the method with the number', async () => {
    const lot = makeLot(polygon(rect(0, 0, 100, 100)), {
      utnytting: { type: 16, tall: 30, tallMinimum: null },
    });
    const scored = await scoreOne(lot, dataWith({}));
    // 30 % of 7 500 m² net = 2 250 m² footprint × 2.5 storeys = 5 625 m² BRA × 80 % ÷ 90 m² per home.
    expect(scored.score.capacity).toMatchObject({ homes: 50, method: '%-BYA 30', basis: 'utnytting' });
    expect(factor(scored, 'kapasitet').value).toBeCloseTo(50 / 200, 6);
    expect(factor(scored, 'kapasitet').reason).toBe(
      'Anslagsvis 50 boliger (%-BYA 30); full score fra 200 boliger.',
    );
  });

  it('shares a zone’s m² BRA by area, reading the zone’s size from the kommuneplan', async () => {
    const lot = makeLot(polygon(rect(0, 0, 100, 100)), {
      zone: { lokalId: 'field-1' },
      utnytting: { type: 17, tall: 12_000, tallMinimum: null },
    });
    const kommuneplan = [zone(polygon(rect(0, 0, 200, 200)), { lokalId: 'field-1' })]; // 40 000 m²
    const scored = await scoreOne(lot, dataWith({ kommuneplan }));
    expect(scored.score.capacity).toMatchObject({ homes: 26, method: 'BRA 12 000 m²', basis: 'utnytting' });
  });

  it('reads the size of an old-law zone (KpArealbrukOmråde) too, and never takes a hensynssone for the zone', async () => {
    const lot = makeLot(polygon(rect(0, 0, 100, 100)), {
      zone: { lokalId: 'old-1', objekttypenavn: 'KpArealbrukOmråde', arealformal: null, arealbruk: 110 },
      utnytting: { type: 17, tall: 12_000, tallMinimum: null },
    });
    const kommuneplan = [
      zone(polygon(rect(0, 0, 200, 200)), { arealbruk: 110, lokalId: 'old-1' }), // 40 000 m²
      // A hensynssone that happens to carry the same lokalId as the zone (ids are per dataset).
      hensynssone('KpStøySone', 'støy', 220, polygon(rect(0, 0, 300, 300)), {
        'identifikasjon.lokalId': 'old-1',
      }),
    ];
    const scored = await scoreOne(lot, dataWith({ kommuneplan }));
    expect(scored.score.capacity).toMatchObject({ homes: 26, method: 'BRA 12 000 m²', basis: 'utnytting' });
    expect(scored.score.capacity.detail).toContain('tomtens andel 25 %');
  });
});

describe('infrastructure', () => {
  const roadAt = (x0: number) => regulatedRoad(polygon(rect(x0, 0, x0 + 10, 100)));
  const inForce = regPlan(polygon(rect(0, -10, 1000, 110)), { plan: 'road-plan', planstatus: 3 });

  it('scores full within 100 m of a regulated road, half at 200 m, none beyond 300 m', async () => {
    const near = await scoreOne(square(), dataWith({ reguleringsplan: [inForce, roadAt(150)] }));
    expect(factor(near, 'infrastruktur').value).toBe(1);
    expect(factor(near, 'infrastruktur').reason).toBe(
      'Regulert veg o_SKV1 50 m unna (full score innen 100 m).',
    );
    const mid = await scoreOne(square(), dataWith({ reguleringsplan: [inForce, roadAt(300)] }));
    expect(factor(mid, 'infrastruktur').value).toBeCloseTo(0.5, 6);
    const far = await scoreOne(square(), dataWith({ reguleringsplan: [inForce, roadAt(450)] }));
    expect(factor(far, 'infrastruktur').value).toBe(0);
    expect(factor(far, 'infrastruktur').reason).toContain('innen 300 m');
  });

  it('counts existing built zones and ignores roads of plans still in progress', async () => {
    const proposal = regPlan(polygon(rect(0, -10, 1000, 110)), { plan: 'road-plan', planstatus: 2 });
    const built = zone(polygon(rect(100, 0, 200, 100)), { arealformål: 1110, arealbruksstatus: 1 });
    const scored = await scoreOne(
      square(),
      dataWith({ kommuneplan: [built], reguleringsplan: [proposal, roadAt(100)] }),
    );
    expect(factor(scored, 'infrastruktur')).toMatchObject({
      value: 1,
      reason: 'Eksisterende boligbebyggelse grenser til tomten.',
    });
    const withoutBuilt = await scoreOne(square(), dataWith({ reguleringsplan: [proposal, roadAt(100)] }));
    expect(factor(withoutBuilt, 'infrastruktur').value).toBe(0);
  });
});

describe('centrality', () => {
  const centresAt = (...points: Array<[string, number, number]>) =>
    lotRules({
      sentralitet: {
        centres: {
          '3218': points.map(([name, x, y]) => {
            const [east, north] = at(x, y);
            return { name, east, north };
          }),
        },
      },
    });

  it('names the nearest of several configured centres, and the first configured at equal distance', async () => {
    const nearestLast = await scoreOne(square(), dataWith({}), {
      rules: centresAt(['Kroer', 50, 3100], ['Ås sentrum', 1100, 50]),
    });
    expect(factor(nearestLast, 'sentralitet').reason).toBe(
      '1,0 km til Ås sentrum (full score innen 500 m, ingen fra 5,0 km).',
    );
    const tie = await scoreOne(square(), dataWith({}), {
      rules: centresAt(['Vinterbro', 50, 1100], ['Ås sentrum', 1100, 50]),
    });
    expect(factor(tie, 'sentralitet').reason).toBe(
      '1,0 km til Vinterbro (full score innen 500 m, ingen fra 5,0 km).',
    );
  });

  it('measures from the nearest configured centre (EPSG:25833 or lat/lon)', async () => {
    const [x, y] = at(1100, 50);
    const rules = lotRules({
      sentralitet: {
        centres: {
          '3218': [
            { name: 'Ås sentrum', east: x, north: y },
            { name: 'Nordby', lat: 59.8, lon: 10.9 },
          ],
        },
      },
    });
    const scored = await scoreOne(square(), dataWith({}), { rules });
    // 1 000 m from the lot's edge: full within 500 m, zero at 5 000 m.
    expect(factor(scored, 'sentralitet').value).toBeCloseTo((5000 - 1000) / 4500, 6);
    expect(factor(scored, 'sentralitet').reason).toBe(
      '1,0 km til Ås sentrum (full score innen 500 m, ingen fra 5,0 km).',
    );
    expect(scored.score.confidenceReasons.join(' ')).not.toContain('representasjonspunkt');
  });

  it('has no centre and no fallback in a kommune without configured centres or a representative point', () => {
    expect(centresFor('3218', defaultLotRules().sentralitet, null)).toEqual({
      fallback: false,
      fallbackWhy: null,
      points: [],
    });
  });

  it('falls back to the kommune’s representative point, and says so in the confidence', async () => {
    const data = { ...dataWith({}), centre: { type: 'Point' as const, coordinates: at(50, 2050) } };
    const scored = await scoreOne(square(), data);
    expect(factor(scored, 'sentralitet').value).toBeCloseTo((5000 - 1950) / 4500, 6);
    expect(factor(scored, 'sentralitet').reason).toMatch(
      / km til kommunens representasjonspunkt \(ikke et konfigurert sentrum\) \(full score innen 500 m, ingen fra 5,0 km\)\.$/,
    );
    expect(scored.score.confidence).toBe('medium');
    expect(scored.score.confidenceReasons).toContain(
      'Sentralitet er målt fra kommunens representasjonspunkt, ikke fra kommunens største tettsted eller et konfigurert sentrum.',
    );
  });

  it('measures from the middle of the kommune’s largest tettsted before the representative point', async () => {
    const tettsted = {
      status: 'fetched' as const,
      source: 'ssb-tettsteder',
      fetchedAt: '2026-12-01T02:00:00.000Z',
      centre: {
        nr: '0601',
        name: 'Ås',
        population: 12_000,
        residentsInKommune: 12_000,
        position: at(50, 1_050),
      },
    };
    const data = {
      ...dataWith({}),
      centre: { type: 'Point' as const, coordinates: at(50, 4_050) },
      tettsted,
    };
    const scored = await scoreOne(square(), data);
    expect(factor(scored, 'sentralitet').value).toBeCloseTo((5000 - 950) / 4500, 6);
    expect(factor(scored, 'sentralitet').reason).toBe(
      '950 m til Ås (kommunens største tettsted) (full score innen 500 m, ingen fra 5,0 km).',
    );
    expect(scored.score.confidenceReasons.join(' ')).not.toContain('representasjonspunkt');
  });

  it('names why the representative point stands in: tettsted data missing, or no tettsted in the kommune', async () => {
    const point = { type: 'Point' as const, coordinates: at(50, 2_050) };
    const missing = {
      status: 'unavailable' as const,
      source: 'ssb-tettsteder',
      fetchedAt: null,
      centre: null,
    };
    const unavailable = await scoreOne(square(), { ...dataWith({}), centre: point, tettsted: missing });
    expect(factor(unavailable, 'sentralitet').reason).toContain(
      'kommunens representasjonspunkt (tettstedsdata mangler)',
    );
    expect(unavailable.score.confidence).toBe('medium');
    const empty = { ...missing, status: 'fetched' as const, fetchedAt: '2026-12-01T02:00:00.000Z' };
    const none = await scoreOne(square(), { ...dataWith({}), centre: point, tettsted: empty });
    expect(factor(none, 'sentralitet').reason).toContain(
      'kommunens representasjonspunkt (SSB har ikke noe tettsted i kommunen)',
    );
  });
});

describe('confidence', () => {
  const road = regulatedRoad(polygon(rect(100, 0, 110, 100)));
  const centre = { type: 'Point' as const, coordinates: at(50, 50) };
  const rules = lotRules({ confidence: { fallbackCentre: 'none' } });

  it('is High with complete data, and never High in a kommune without reguleringsplan coverage', async () => {
    const covered = await scoreOne(square(), { ...dataWith({ reguleringsplan: [road] }), centre }, { rules });
    expect(covered.score.confidence).toBe('high');
    expect(covered.score.confidenceReasons).toEqual([]);

    const uncovered = await scoreOne(
      square(),
      { ...dataWith({ coverage: { reguleringsplan: 'not-covered' } }), centre },
      { rules },
    );
    expect(uncovered.score.confidence).toBe('low');
    expect(uncovered.score.confidenceReasons[0]).toContain('Ingen reguleringsplandata for kommunen');
    // Unknown roads: no data, not "no road"; and missing data never lifts the score.
    expect(factor(uncovered, 'infrastruktur')).toMatchObject({ value: null, points: 0 });
    expect(factor(uncovered, 'infrastruktur').reason).toMatch(
      /ukjente \(reguleringsplandata mangler\)\. Regnet som 0 % til data finnes\.$/,
    );
    expect(uncovered.score.total).toBeLessThanOrEqual(covered.score.total);
    expect(uncovered.score.factors.reduce((s, f) => s + f.points, 0)).toBeCloseTo(uncovered.score.total, 6);
  });

  it('drops to Medium for a repaired zone, a plan in progress and a missing factor', async () => {
    const base = { ...dataWith({ reguleringsplan: [road] }), centre };
    const repaired = await scoreOne(makeLot(polygon(rect(0, 0, 100, 100)), { zoneRepairs: 1 }), base, {
      rules,
    });
    expect(repaired.score.confidence).toBe('medium');
    const inProgress = await scoreOne(
      makeLot(polygon(rect(0, 0, 100, 100)), { planarbeidPagar: ['3218-20250001'] }),
      base,
      {
        rules,
      },
    );
    expect(inProgress.score.confidence).toBe('medium');
    expect(inProgress.score.confidenceReasons[0]).toContain('3218-20250001');
    const unranked = await scoreOne(square(), base, { rules, byggevilje: null });
    expect(unranked.score.confidence).toBe('medium');
    expect(factor(unranked, 'kommunalVilje').value).toBeNull();
  });

  it('never lets a missing factor lift the score above the lot with that factor at neutral or left out', async () => {
    const base = { ...dataWith({ reguleringsplan: [road] }), centre };
    const withScore = async (byggevilje: number | null) =>
      (await scoreOne(square(), base, { rules, byggevilje })).score;
    const missing = await withScore(null);
    const neutral = await withScore(50);
    expect(missing.total).toBeLessThanOrEqual(neutral.total);
    // Left out = the other factors' weighted mean; with their mean above 0.5 the neutral value applies.
    const vilje = factor({ score: missing } as ScoredLot, 'kommunalVilje');
    expect(vilje.reason).toBe(
      'Kommunen har ingen tall for byggevilje i kommunerangeringen ennå. Regnet som 50 % (nøytral verdi).',
    );
    expect(Math.abs(vilje.points - 5)).toBeLessThanOrEqual(0.45);
  });
});

describe('eierstruktur', () => {
  it('counts the properties of the opportunity, then the known owners once looked up', async () => {
    const lots = [0, 1, 2].map((i) =>
      makeLot(polygon(rect(i * 100, 0, i * 100 + 100, 100)), {
        matrikkel: `5/${i + 1}`,
        opportunityId: 'zone-1#0',
        parcelsInOpportunity: 3,
        opportunityArealM2: 30_000,
      }),
    );
    const rules = defaultLotRules();
    const before = await scoreLots(lots, { data: dataWith({}), kommune: figures(60), rules });
    expect(factor(before[0]!, 'eierstruktur')).toMatchObject({
      value: 0.65,
      reason: 'Mulighetsområdet (30,0 daa) omfatter 3 eiendommer; eierne er ikke slått opp ennå.',
    });
    const owners = new Map([[lots[0]!.tomtId, 2]]);
    const after = await scoreLots(lots, {
      data: dataWith({}),
      kommune: figures(60),
      rules,
      ownerCounts: owners,
    });
    // 2 known owners of 5/1 plus one each for 5/2 and 5/3.
    expect(factor(after[1]!, 'eierstruktur').value).toBe(0.45);
    expect(factor(after[1]!, 'eierstruktur').reason).toContain('2 kjente eiere på 1 eiendom');
  });
});

describe('the total', () => {
  const kommuneplan = [
    hensynssone('KpFareSone', 'fare', 320, polygon(rect(250, 0, 400, 100))),
    hensynssone('KpStøySone', 'støy', 220, polygon(rect(0, 0, 600, 40))),
    zone(polygon(rect(0, 100, 600, 200)), { arealformål: 1110, arealbruksstatus: 1 }),
  ];
  const lots = () =>
    [0, 1, 2, 3, 4, 5].map((i) =>
      makeLot(polygon(rect(i * 100, 0, i * 100 + 100 - i * 7, 100 - i * 3)), {
        matrikkel: `7/${i + 1}`,
        utnytting: i % 2 ? { type: 16, tall: 20 + i * 5, tallMinimum: null } : null,
        parcelsInOpportunity: 1 + i,
      }),
    );
  const data = () => ({
    ...dataWith({ kommuneplan }),
    centre: { type: 'Point' as const, coordinates: at(-800, 50) },
  });

  it('has a breakdown that sums to the total, a tier from the total, and a rounded weighted sum', async () => {
    const rules = defaultLotRules();
    for (const scored of await scoreLots(lots(), { data: data(), kommune: figures(73), rules })) {
      const { score } = scored;
      expect(Math.round(score.factors.reduce((s, f) => s + f.points, 0) * 10)).toBe(score.total * 10);
      const exact = score.factors.reduce((s, f) => s + f.weight * (f.value ?? 0), 0);
      expect(score.total).toBe(Math.round(exact));
      for (const f of score.factors)
        expect(Math.abs(f.points - f.weight * f.value!)).toBeLessThanOrEqual(0.45);
      expect(score.tier).toBe(
        score.total >= 80 ? 'A' : score.total >= 60 ? 'B' : score.total >= 40 ? 'C' : 'D',
      );
    }
  });

  it('changes totals as expected when one weight changes', async () => {
    const before = await scoreLots(lots(), { data: data(), kommune: figures(73), rules: defaultLotRules() });
    const heavier = lotRules({ weights: { konfliktfrihet: 40 } });
    const after = await scoreLots(lots(), { data: data(), kommune: figures(73), rules: heavier });
    for (let i = 0; i < before.length; i++) {
      const values = Object.fromEntries(before[i]!.score.factors.map((f) => [f.key, f.value!]));
      const weights = {
        storrelse: 15,
        kapasitet: 20,
        sentralitet: 15,
        infrastruktur: 10,
        konfliktfrihet: 40,
        kommunalVilje: 10,
        eierstruktur: 10,
      };
      const expected = Object.entries(weights).reduce((s, [k, w]) => s + w * values[k]!, 0) / 120;
      expect(after[i]!.score.total).toBe(Math.round(expected * 100));
      expect(factor(after[i]!, 'konfliktfrihet').weight).toBeCloseTo(33.3, 1);
      // A lot free of conflicts gains relative weight; one in the flood zone loses.
      const conflictFree = values.konfliktfrihet === 1;
      if (conflictFree) expect(after[i]!.score.total).toBeGreaterThanOrEqual(before[i]!.score.total);
    }
    expect(after.some((s, i) => s.score.total !== before[i]!.score.total)).toBe(true);
  });

  it('is deterministic: the same input, in any order, gives the same scores', async () => {
    const rules = defaultLotRules();
    const first = await scoreLots(lots(), { data: data(), kommune: figures(73), rules });
    const again = await scoreLots(lots(), { data: data(), kommune: figures(73), rules });
    const reversed = await scoreLots(lots().reverse(), { data: data(), kommune: figures(73), rules });
    expect(again.map((s) => s.score)).toEqual(first.map((s) => s.score));
    const byMatrikkel = new Map(reversed.map((s) => [s.matrikkelnummertekst, s.score]));
    for (const s of first) expect(byMatrikkel.get(s.matrikkelnummertekst)).toEqual(s.score);
  });
});

describe('lots the measure cannot use', () => {
  it('scores a lot whose ring collapsed to a line as free of constraints, roads and centres instead of failing', async () => {
    const collapsed = makeLot({ type: 'Polygon', coordinates: [[at(0, 0), at(100, 0), at(0, 0)]] });
    const road = regulatedRoad(polygon(rect(0, -10, 100, 0)));
    const data = {
      ...dataWith({ reguleringsplan: [road] }),
      centre: { type: 'Point' as const, coordinates: at(0, 0) },
    };
    const scored = await scoreOne(collapsed, data);
    expect(scored.score.constraints).toEqual([]);
    expect(factor(scored, 'konfliktfrihet').value).toBe(1);
    expect(factor(scored, 'infrastruktur').value).toBe(0);
    expect(factor(scored, 'sentralitet')).toMatchObject({ value: null });
    // Measured from nowhere, so not from the representative point either.
    expect(scored.score.confidenceReasons.join(' ')).not.toContain('representasjonspunkt');
  });
});

describe('progress', () => {
  it('reports the stage, a tick per hundred lots and a summary with the constraint zones', async () => {
    const events: string[] = [];
    const progress = {
      stage(label: string, total?: number) {
        events.push(`stage ${label} ${total}`);
        return {
          tick: (count?: number) => events.push(`tick ${count}`),
          done: (summary?: string) => events.push(`done ${summary}`),
        };
      },
    };
    const lots = Array.from({ length: 150 }, (_, i) =>
      makeLot(
        polygon(
          rect((i % 15) * 20, Math.floor(i / 15) * 20, (i % 15) * 20 + 20, Math.floor(i / 15) * 20 + 20),
        ),
      ),
    );
    const kommuneplan = [
      hensynssone('KpFareSone', 'fare', 320, polygon(rect(0, 0, 40, 40))),
      hensynssone('KpStøySone', 'støy', 220, polygon(rect(0, 0, 300, 10))),
    ];
    const scored = await scoreLots(lots, {
      data: dataWith({ kommuneplan }),
      kommune: figures(60),
      rules: defaultLotRules(),
      progress,
    });
    expect(scored).toHaveLength(150);
    expect(events).toEqual([
      'stage 3218 score lots 150',
      'tick 100',
      'done 150 lots scored against 2 constraint zones and 0 stops',
    ]);
  });
});

describe('transit, density class and the estimated value (issue 16)', () => {
  const stop = (
    id: string,
    east: number,
    north: number,
    modes: string[],
    lines = 2,
    departuresPerHour?: Record<string, number>,
  ) => ({
    id,
    name: id,
    position: at(east, north),
    modes,
    lines,
    ...(departuresPerHour ? { departuresPerHour } : {}),
  });
  const withStops = (stops: ReturnType<typeof stop>[], status: 'fetched' | 'unavailable' = 'fetched') => ({
    ...dataWith({}),
    centre: { type: 'Point' as const, coordinates: at(50, 50) },
    transit: { status, source: 'test', fetchedAt: null, stops },
  });

  it('prefers a station farther off to a bus stop nearer, by mode weight, and measures from the lot’s edge', async () => {
    // Bus 300 m from the lot's east edge: 0.6 × 1; rail 900 m from its north edge: 1 × (2 000 − 900) / 1 600.
    const data = withStops([stop('Buss', 400, 50, ['bus']), stop('Stasjon', 50, 1_000, ['rail'])]);
    const scored = await scoreOne(square(), data);
    const sentralitet = factor(scored, 'sentralitet');
    expect(sentralitet.value).toBeCloseTo(0.6 * (1_100 / 1_600) + 0.4 * 1, 9);
    expect(sentralitet.reason).toContain('Stasjon (tog), 900 m unna');
    expect(scored.score.explanation).toContain(
      'Beliggenhet: nærmeste holdeplass med jevnlige avganger er Stasjon',
    );
  });

  it('counts a stop as regular by its departures an hour per mode, not by being in use', async () => {
    // A bus stop 150 m off with 2 buses an hour is not regular (bus: 4); the one 600 m off with 8 is.
    const data = withStops([
      stop('Sjelden', 150, 50, ['bus'], 3, { bus: 2 }),
      stop('Hyppig', 700, 50, ['bus'], 2, { bus: 8 }),
      stop('Tom', 120, 50, ['bus'], 2, {}),
    ]);
    const sentralitet = factor(await scoreOne(square(), data), 'sentralitet');
    // 600 m from the lot's east edge: 0.6 × (2 000 − 600) / 1 600.
    expect(sentralitet.value).toBeCloseTo(0.6 * 0.6 * (1_400 / 1_600) + 0.4, 9);
    expect(sentralitet.reason).toContain('Hyppig (buss, 8 avganger i timen), 600 m unna');
  });

  it('weights a mixed stop by the modes it is regular for: 1 train an hour counts, 2 buses do not', async () => {
    const data = withStops([stop('Knutepunkt', 400, 50, ['bus', 'rail'], 3, { bus: 2, rail: 1 })]);
    const sentralitet = factor(await scoreOne(square(), data), 'sentralitet');
    expect(sentralitet.value).toBeCloseTo(0.6 * 1 + 0.4, 9);
    expect(sentralitet.reason).toContain('Knutepunkt (tog, 1 avgang i timen), 300 m unna');
    const rules = lotRules({ sentralitet: { transit: { departures: { minPerHour: { rail: 2 } } } } });
    const strict = factor(await scoreOne(square(), data, { rules }), 'sentralitet');
    expect(strict.reason).toMatch(/^Ingen holdeplass med jevnlige avganger/);
  });

  it('leaves out stops without counted departures served by fewer lines than the rule asks, and stops beyond reach', async () => {
    const rules = lotRules({ sentralitet: { transit: { minLines: 2 } } });
    const data = withStops([stop('Sjelden', 150, 50, ['bus'], 1), stop('Fjern', 5_000, 50, ['rail'])]);
    const sentralitet = factor(await scoreOne(square(), data, { rules }), 'sentralitet');
    expect(sentralitet.value).toBeCloseTo(0.4, 9);
    expect(sentralitet.reason).toMatch(/^Ingen holdeplass med jevnlige avganger innen 2,0 km/);
  });

  it('lowers confidence when stop data was sought and is missing, and says so', async () => {
    const scored = await scoreOne(square(), withStops([], 'unavailable'));
    expect(scored.score.confidence).toBe('medium');
    expect(scored.score.confidenceReasons).toContain(
      'Holdeplassdata mangler for kommunen, så sentraliteten er målt bare mot sentrum.',
    );
    expect(factor(scored, 'sentralitet').reason).toContain('holdeplassdata mangler');
  });

  it('takes the density class from SSB’s centrality class unless the rule file sets one', async () => {
    const lot = makeLot(polygon(rect(0, 0, 100, 100)), {
      utnytting: { type: 16, tall: 30, tallMinimum: null },
    });
    const [central] = await scoreLots([lot], {
      data: dataWith({}),
      kommune: figures(60, { centralityClass: 1 }),
      rules: defaultLotRules(),
    });
    // storby: 7 500 × 30 % × 4 storeys × 80 % ÷ 70 m².
    expect(central!.score.capacity).toMatchObject({ homes: 102, averageHomeM2: 70 });
    expect(central!.score.capacity.detail).toContain('storbykommune, sentralitetsklasse 1 hos SSB');
    const [manual] = await scoreLots([lot], {
      data: dataWith({}),
      kommune: figures(60, { centralityClass: 1 }),
      rules: lotRules({ capacity: { kommuneClass: { '3218': 'bygd' } } }),
    });
    expect(manual!.score.capacity.detail).toContain('distriktskommune, satt i regelfilen');
  });

  it('estimates the value beside the score, never in it', async () => {
    const lot = makeLot(polygon(rect(0, 0, 100, 100)), {
      utnytting: { type: 16, tall: 30, tallMinimum: null },
    });
    const price = { value: 55_111, year: '2024' };
    const [valued] = await scoreLots([lot], {
      data: dataWith({}),
      kommune: figures(60, { pricePerM2: price }),
      rules: defaultLotRules(),
    });
    const [unpriced] = await scoreLots([lot], {
      data: dataWith({}),
      kommune: figures(60),
      rules: defaultLotRules(),
    });
    // 50 homes × 90 m² × 55 111 kr = 248 milllion, rounded to 100 000; land 15–25 %.
    expect(valued!.value).toMatchObject({
      salesValue: 248_000_000,
      landValueLow: 37_200_000,
      landValueHigh: 62_000_000,
    });
    expect(unpriced!.value).toBeNull();
    expect(valued!.score).toEqual(unpriced!.score);
  });
});
