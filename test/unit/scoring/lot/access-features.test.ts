import { describe, expect, it } from 'vitest';
import type { PlanFeature } from '../../../../sync/src/domain/plan.js';
import { accessFeaturesOf } from '../../../../sync/src/scoring/lot/access-features.js';
import { polygon, rect, regPlan, zone } from '../../../helpers/plan-data.js';
import { defaultLotRules, lotRules, regulatedRoad } from './lot-fixtures.js';

const rules = defaultLotRules().infrastruktur;
const area = polygon(rect(0, 0, 100, 10));
const labels = (
  data: { kommuneplan?: PlanFeature[]; reguleringsplan?: PlanFeature[] },
  r = rules,
): string[] =>
  accessFeaturesOf(
    { kommuneplan: data.kommuneplan ?? [], reguleringsplan: data.reguleringsplan ?? [] },
    r,
  ).map((f) => f.label);
/** A regulated road with other properties (a tunnel, another arealformål, no feltbetegnelse …). */
const road = (props: Record<string, string | null>, plan = 'road-plan'): PlanFeature => {
  const base = regulatedRoad(area, plan);
  return { ...base, properties: { ...base.properties, ...props } };
};

describe('accessFeaturesOf: regulated roads', () => {
  it('counts roads on the ground in plans in force or of unknown status, named by feltbetegnelse', () => {
    expect(
      labels({
        reguleringsplan: [
          regPlan(area, { plan: 'in-force', planstatus: 3 }),
          road({ feltbetegnelse: 'o_SKV1' }, 'in-force'),
          // No outline for the plan: its status is unknown, so the road counts.
          road({ feltbetegnelse: 'o_SKV2' }, 'no-outline'),
          // No vertikalnivå: on the ground.
          road({ feltbetegnelse: null, vertikalnivå: null }, 'in-force'),
        ],
      }),
    ).toEqual(['regulert veg o_SKV1', 'regulert veg o_SKV2', 'regulert veg']);
  });

  it('counts a road of a plan whose outline gives no status', () => {
    const outline = regPlan(area, { plan: 'no-status' });
    delete outline.properties.planstatus;
    expect(labels({ reguleringsplan: [outline, road({}, 'no-status')] })).toEqual(['regulert veg o_SKV1']);
  });

  it('leaves out tunnels and bridges, proposals, other arealformål and features without geometry', () => {
    expect(
      labels({
        reguleringsplan: [
          regPlan(area, { plan: 'in-force', planstatus: 3 }),
          regPlan(area, { plan: 'proposal', planstatus: 2 }),
          road({ vertikalnivå: '1' }, 'in-force'),
          road({ vertikalnivå: '3' }, 'in-force'),
          road({}, 'proposal'),
          road({ arealformål: '1110' }, 'in-force'),
          road({ arealformål: null }, 'in-force'),
          { ...road({}, 'in-force'), geometry: null },
          // A kommuneplan feature with a road code among the reguleringsplan features: not a regulated road.
          {
            ...zone(area, { arealformål: 2011, arealbruksstatus: 1 }),
            properties: { ...road({}).properties },
          },
        ] as PlanFeature[],
      }),
    ).toEqual([]);
  });
});

describe('accessFeaturesOf: the kommuneplan', () => {
  it('counts existing roads and existing built zones, new-law and old-law, by their names', () => {
    expect(
      labels({
        kommuneplan: [
          zone(area, { arealformål: 2010, arealbruksstatus: 1 }),
          zone(area, { arealformål: 1110, arealbruksstatus: 1 }),
          zone(area, { arealbruk: 110, arealbruksstatus: 1 }),
        ],
      }),
    ).toEqual(['veg i kommuneplanen', 'eksisterende boligbebyggelse', 'eksisterende boligområde']);
  });

  it('leaves out future zones, unbuilt arealformål and arealbruk, zones without a code and without geometry', () => {
    expect(
      labels({
        kommuneplan: [
          zone(area, { arealformål: 1110, arealbruksstatus: 2 }),
          zone(area, { arealbruk: 110, arealbruksstatus: 2 }),
          zone(area, { arealformål: 5100, arealbruksstatus: 1 }), // LNFR
          zone(area, { arealbruk: 500, arealbruksstatus: 1 }), // old-law LNF
          { ...zone(area, { arealbruksstatus: 1 }), properties: { arealbruksstatus: '1' } },
          { ...zone(area, { arealbruk: 110, arealbruksstatus: 1 }), properties: { arealbruksstatus: '1' } },
          { ...zone(area, { arealformål: 1110, arealbruksstatus: 1 }), geometry: null },
        ] as PlanFeature[],
      }),
    ).toEqual([]);
  });

  it('calls a configured built code without a name "eksisterende bebyggelse"', () => {
    const custom = lotRules({
      infrastruktur: { builtArealformal: [1999], builtArealbruk: [199] },
    }).infrastruktur;
    expect(
      labels(
        {
          kommuneplan: [
            zone(area, { arealformål: 1999, arealbruksstatus: 1 }),
            zone(area, { arealbruk: 199, arealbruksstatus: 1 }),
          ],
        },
        custom,
      ),
    ).toEqual(['eksisterende bebyggelse', 'eksisterende bebyggelse']);
  });
});
