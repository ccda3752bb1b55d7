import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import {
  constraintLayerOf,
  constraintLayersOf,
  constraintZonesOf,
  hensynCodeOf,
} from '../../../../sync/src/scoring/lot/constraint-zones.js';
import { at, kommuneplanOutline, polygon, rect, regPlan } from '../../../helpers/plan-data.js';
import { defaultLotRules, hensynssone, lotRules } from './lot-fixtures.js';

const area = polygon(rect(0, 0, 100, 100));

describe('hensynCodeOf', () => {
  it('reads the typed attribute of each hensynssone type, else the code in its name', () => {
    expect(hensynCodeOf(hensynssone('KpFareSone', 'fare', 320, area))).toBe(320);
    expect(hensynCodeOf(hensynssone('KpStøySone', 'støy', 210, area))).toBe(210);
    expect(hensynCodeOf(hensynssone('KpAngittHensynSone', 'angittHensyn', 570, area))).toBe(570);
    expect(hensynCodeOf(hensynssone('KpBåndleggingSone', 'båndlegging', 720, area))).toBe(720);
    expect(hensynCodeOf(hensynssone('RpInfrastrukturSone', 'infrastruktur', 410, area))).toBe(410);
    expect(hensynCodeOf(hensynssone('RpGjennomføringSone', 'gjennomføring', 810, area))).toBe(810);
    expect(hensynCodeOf(hensynssone('KpSikringSone', 'sikring', 130, area))).toBe(130);
    expect(hensynCodeOf(hensynssone('KpFareSone', 'fare', null, area, { hensynSonenavn: 'H310_4' }))).toBe(
      310,
    );
    expect(hensynCodeOf(hensynssone('KpFareSone', 'fare', null, area, { hensynSonenavn: 'H320' }))).toBe(320);
    expect(hensynCodeOf(hensynssone('KpArealformålOmråde', 'arealformål', 1110, area))).toBeNull();
    expect(hensynCodeOf(hensynssone('KpDetaljeringSone', 'detaljering', 910, area))).toBeNull();
  });
});

describe('hensynCodeOf: the typed attribute first, a code only at the start of the name', () => {
  it('prefers the typed attribute to a name without a code', () => {
    expect(
      hensynCodeOf(hensynssone('KpFareSone', 'fare', 320, area, { hensynSonenavn: 'Flomsone Årungen' })),
    ).toBe(320);
  });

  it('finds no code in a name that only mentions one, nor in a longer number', () => {
    const named = (hensynSonenavn: string) =>
      hensynCodeOf(hensynssone('KpFareSone', 'fare', null, area, { hensynSonenavn }));
    expect(named('Flomsone, se H320_1')).toBeNull();
    expect(named('H3201')).toBeNull();
  });
});

describe('constraintZonesOf', () => {
  it('maps hensynssoner to the configured types and names their source', () => {
    const kommuneplan = [
      kommuneplanOutline(area, '2019001', '2019-06-19'),
      hensynssone('KpFareSone', 'fare', 320, area),
      hensynssone('KpStøySone', 'støy', 230, area), // green noise: no type lists it
    ];
    const zones = constraintZonesOf({ kommuneplan, reguleringsplan: [] }, [], defaultLotRules().constraints);
    expect(zones).toEqual([
      { key: 'flom', source: `kommuneplan ${kommuneplan[1]!.properties.hensynSonenavn}`, geometry: area },
    ]);
  });

  it('leaves out zones of kommuneplaner no longer in force and reguleringsplan zones off the ground', () => {
    const kommuneplan = [
      kommuneplanOutline(area, 'old', '1990-01-01', 5),
      hensynssone('KpFareSone', 'fare', 310, area, { plan: 'old' }),
    ];
    const reguleringsplan = [
      regPlan(area, { plan: 'p1', planstatus: 2 }),
      hensynssone('RpFareSone', 'fare', 310, area, { plan: 'p1', vertikalnivå: '3' }),
      hensynssone('RpFareSone', 'fare', 320, area, { plan: 'p1', vertikalnivå: '2' }),
      hensynssone('RpFareSone', 'fare', 350, area, { plan: 'p1', vertikalnivå: null }),
    ];
    const zones = constraintZonesOf({ kommuneplan, reguleringsplan }, [], defaultLotRules().constraints);
    expect(zones.map((z) => z.key)).toEqual(['flom', 'brannEksplosjon']);
    expect(zones[0]!.source).toBe(`reguleringsplan 3218-p1 ${reguleringsplan[2]!.properties.hensynSonenavn}`);
  });

  it('counts zones of plans without an outline or status, and names a zone without a name by its code', () => {
    const noName = (zone: ReturnType<typeof hensynssone>) => {
      delete zone.properties.hensynSonenavn;
      return zone;
    };
    const statusless = kommuneplanOutline(area, 'statusless', '2019-06-19');
    delete statusless.properties.planstatus;
    const kommuneplan = [
      statusless,
      noName(hensynssone('KpFareSone', 'fare', 320, area, { plan: 'statusless' })),
      // A kommuneplan zone counts whatever its vertikalnivå.
      noName(hensynssone('KpFareSone', 'fare', 310, area, { plan: 'no-outline', vertikalnivå: '1' })),
    ];
    const reguleringsplan = [
      noName(hensynssone('RpStøySone', 'støy', 210, area, { 'arealplanId.planidentifikasjon': null })),
    ];
    const zones = constraintZonesOf({ kommuneplan, reguleringsplan }, [], defaultLotRules().constraints);
    expect(zones.map((z) => [z.key, z.source])).toEqual([
      ['flom', 'kommuneplan H320'],
      ['skred', 'kommuneplan H310'],
      ['stoyRod', 'reguleringsplan H210'],
    ]);
  });

  it('leaves out repealed reguleringsplaner and zones without an area', () => {
    const reguleringsplan = [
      regPlan(area, { plan: 'repealed', planstatus: 5 }),
      hensynssone('RpFareSone', 'fare', 320, area, { plan: 'repealed' }),
      { ...hensynssone('RpFareSone', 'fare', 310, area), geometry: null },
      {
        ...hensynssone('KpFareSone', 'fare', 310, area),
        geometry: {
          type: 'LineString' as const,
          coordinates: [at(0, 0), at(100, 0)],
        },
      },
    ];
    expect(
      constraintZonesOf({ kommuneplan: [], reguleringsplan }, [], defaultLotRules().constraints),
    ).toEqual([]);
  });

  it('adds extra layers under their constraint key, including types a user defines', () => {
    const rules = lotRules({
      constraints: { types: { kvikkleire: { label: 'Kvikkleiresone', weight: 1, severe: true } } },
    });
    const zones = constraintZonesOf(
      { kommuneplan: [], reguleringsplan: [] },
      [
        {
          name: 'NVE kvikkleire',
          constraint: 'kvikkleire',
          features: [{ geometry: area }, { geometry: null }],
        },
        { name: 'unknown', constraint: 'not-configured', features: [{ geometry: area }] },
      ],
      rules.constraints,
    );
    expect(zones).toEqual([{ key: 'kvikkleire', source: 'NVE kvikkleire', geometry: area }]);
  });
});

describe('constraintLayerOf', () => {
  it('keeps the features the rule’s where-filter selects', () => {
    const rule = parseRules({
      lotScore: {
        constraints: {
          extraLayers: {
            '3218': [
              {
                name: 'NVE flomsone 200-år',
                constraint: 'flom',
                source: { file: 'flomsoner.gpkg', layer: 'Flomareal' },
                where: { property: 'gjentaksintervall', values: [200] },
              },
            ],
          },
        },
      },
    }).lotScore.constraints.extraLayers['3218']![0]!;
    const layer = constraintLayerOf(rule, [
      { geometry: area, properties: { gjentaksintervall: '200' } },
      { geometry: area, properties: { gjentaksintervall: 1000 } },
      { geometry: area },
    ]);
    expect(layer).toMatchObject({ name: 'NVE flomsone 200-år', constraint: 'flom' });
    expect(layer.features.map((f) => f.properties)).toEqual([{ gjentaksintervall: '200' }]);
  });

  it('keeps a feature with any of several values, written with spaces or as a number', () => {
    const rule = {
      name: 'NVE flomsone',
      constraint: 'flom',
      source: { file: 'flomsoner.gpkg' },
      where: { property: 'gjentaksintervall', values: [100, '200'] },
    };
    const layer = constraintLayerOf(rule, [
      { geometry: area, properties: { gjentaksintervall: ' 200 ' } },
      { geometry: area, properties: { gjentaksintervall: 100 } },
      { geometry: area, properties: { gjentaksintervall: 1000 } },
      { geometry: area, properties: { gjentaksintervall: null } },
      { geometry: area, properties: { sone: 'Flomsone 200 år' } },
    ]);
    expect(layer.features.map((f) => f.properties!.gjentaksintervall)).toEqual([' 200 ', 100]);
  });
});

describe('constraintLayersOf', () => {
  it('applies each configured rule to the layer of its name and ignores layers no rule names', () => {
    const rule = { name: 'NVE flomsone', constraint: 'flom', source: { file: 'flomsoner.gpkg' } };
    const layers = constraintLayersOf(
      [rule],
      [
        { name: 'Ukjent lag', features: [{ geometry: area, properties: { lag: 'ukjent' } }] },
        { name: 'NVE flomsone', features: [{ geometry: area, properties: { lag: 'flom' } }] },
      ],
    );
    expect(layers).toEqual([
      {
        name: 'NVE flomsone',
        constraint: 'flom',
        features: [{ geometry: area, properties: { lag: 'flom' } }],
      },
    ]);
  });

  it('rejects a layer whose constraint key no type defines, naming the path', () => {
    expect(() =>
      parseRules({
        lotScore: {
          constraints: {
            extraLayers: { '3218': [{ name: 'x', constraint: 'nope', source: { file: 'x.geojson' } }] },
          },
        },
      }),
    ).toThrow('lotScore.constraints.extraLayers.3218.0.constraint: unknown constraint "nope"');
  });
});
