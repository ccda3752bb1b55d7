import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../sync/src/config/rules.js';
import {
  constraintLayerOf,
  constraintZonesOf,
  hensynCodeOf,
} from '../../../../sync/src/scoring/lot/constraint-zones.js';
import { kommuneplanOutline, polygon, rect, regPlan } from '../../../helpers/plan-data.js';
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
    expect(hensynCodeOf(hensynssone('KpArealformålOmråde', 'arealformål', 1110, area))).toBeNull();
    expect(hensynCodeOf(hensynssone('KpDetaljeringSone', 'detaljering', 910, area))).toBeNull();
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
    expect(layer.features).toHaveLength(1);
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
