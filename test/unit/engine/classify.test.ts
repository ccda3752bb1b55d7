import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { AnyGeometry } from '../../../sync/src/domain/geometry.js';
import type { PlanFeature, PropertyValue } from '../../../sync/src/domain/plan.js';
import { classifyPlans, governsOver } from '../../../sync/src/engine/classify.js';
import { at, kommuneplanOutline, polygon, rect, regPlan, zone } from '../../helpers/plan-data.js';

/**
 * The plan classification rules (config/engine-rules.ts) on features as NAP delivers them:
 * which kommuneplan zones are candidates, which plans are regulated land, which are in progress,
 * and what the run report says about the features left out.
 */
const rules = defaultRules().engine;
const square = (x: number) => polygon(rect(x, 0, x + 100, 100));

function feature(
  objekttypenavn: string,
  properties: Record<string, PropertyValue>,
  geometry: AnyGeometry | null = square(0),
): PlanFeature {
  return { objekttypenavn, properties, geometry };
}

const kp = { 'arealplanId.kommunenummer': '3218', 'arealplanId.planidentifikasjon': '2019001' };

describe('candidate zones', () => {
  it.each([
    ['KpArealformålOmråde', 'arealformål', 1001, true], // bebyggelse og anlegg
    ['KpArealformålOmråde', 'arealformål', 1110, true], // boligbebyggelse
    ['KpArealformålOmråde', 'arealformål', 1130, true], // sentrumsformål
    ['KpArealformålOmråde', 'arealformål', 1800, true], // kombinert bebyggelse og anlegg
    ['KpArealformålOmråde', 'arealformål', 1120, false], // fritidsbebyggelse
    ['KpArealformålOmråde', 'arealformål', 5100, false], // LNFR
    ['KpArealbrukOmråde', 'arealbruk', 100, true], // pre-2009: byggeområde
    ['KpArealbrukOmråde', 'arealbruk', 101, true],
    ['KpArealbrukOmråde', 'arealbruk', 102, true],
    ['KpArealbrukOmråde', 'arealbruk', 110, true], // boligområde
    ['KpArealbrukOmråde', 'arealbruk', 120, true], // sentrumsformål
    ['KpArealbrukOmråde', 'arealbruk', 130, false], // fritidsbebyggelse
    ['KpArealbrukOmråde', 'arealbruk', 200, false], // LNF
  ])('%s with %s %i is a candidate: %s', (objekttypenavn, key, code, candidate) => {
    const plans = classifyPlans(
      [
        feature(objekttypenavn, {
          ...kp,
          'identifikasjon.lokalId': 'z',
          [key]: String(code),
          arealbruksstatus: '2',
        }),
      ],
      [],
      rules,
    );
    expect(plans.zones.map((z) => z.lokalId)).toEqual(candidate ? ['z'] : []);
    expect(plans.skipped).toEqual({});
  });

  it('reads the use under the law of the zone type only (an arealbruk code on a new-law zone is not its use)', () => {
    const plans = classifyPlans(
      [feature('KpArealformålOmråde', { ...kp, arealbruk: '110', arealbruksstatus: '2' })],
      [],
      rules,
    );
    expect(plans.zones).toEqual([]);
  });

  it('counts housing zones left out for their status, a missing status or a missing area geometry', () => {
    const housing = (properties: Record<string, PropertyValue>, geometry?: AnyGeometry | null) =>
      feature('KpArealformålOmråde', { ...kp, arealformål: '1110', ...properties }, geometry);
    const plans = classifyPlans(
      [
        housing({ arealbruksstatus: '1' }),
        housing({ arealbruksstatus: '1' }),
        housing({}),
        housing({ arealbruksstatus: '2' }, { type: 'Point', coordinates: at(50, 50) }),
        housing({ arealbruksstatus: '3' }, null),
        feature('KpArealbrukOmråde', { ...kp, arealbruk: '110', arealbruksstatus: '' }),
        // Not housing: left out without a count, whatever the status.
        feature('KpArealformålOmråde', { ...kp, arealformål: '5100' }),
        feature('KpArealformålOmråde', { ...kp, arealformål: '', arealbruksstatus: '4' }),
      ],
      [],
      rules,
    );
    expect(plans.zones).toEqual([]);
    expect(plans.skipped).toEqual({
      'KpArealformålOmråde arealbruksstatus 1': 2,
      'KpArealformålOmråde arealbruksstatus missing': 1,
      'KpArealformålOmråde without area geometry': 2,
      'KpArealbrukOmråde arealbruksstatus missing': 1,
    });
  });

  it('carries the zone use: plan, law, codes, name and utnytting', () => {
    const plans = classifyPlans(
      [
        zone(square(0), {
          lokalId: 'solberg',
          arealbruksstatus: 3,
          områdenavn: 'B12 Solberg',
          'utnytting.utnyttingstype': '2',
          'utnytting.utnyttingstall': '0,35',
          'utnytting.utnyttingstall_minimum': 4,
        }),
        zone(square(200), { lokalId: 'old', arealbruk: 110 }),
      ],
      [],
      rules,
    );
    expect(plans.zones.map(({ geometry: _, ...use }) => use)).toEqual([
      {
        lokalId: 'solberg',
        planId: '3218-2019001',
        objekttypenavn: 'KpArealformålOmråde',
        arealformal: 1110,
        arealbruk: null,
        arealbruksstatus: 3,
        omradenavn: 'B12 Solberg',
        utnytting: { type: 2, tall: 0.35, tallMinimum: 4 },
        planDate: null,
      },
      {
        lokalId: 'old',
        planId: '3218-2019001',
        objekttypenavn: 'KpArealbrukOmråde',
        arealformal: null,
        arealbruk: 110,
        arealbruksstatus: 2,
        omradenavn: null,
        utnytting: null,
        planDate: null,
      },
    ]);
    expect(plans.zones[0]!.geometry).toEqual(square(0));
  });

  it('keeps an utnytting with any one of type, number and minimum; blank numbers are no number', () => {
    const utnytting = (properties: Record<string, PropertyValue>) =>
      classifyPlans([zone(square(0), properties)], [], rules).zones[0]!.utnytting;
    expect(utnytting({ 'utnytting.utnyttingstype': '16' })).toEqual({
      type: 16,
      tall: null,
      tallMinimum: null,
    });
    expect(utnytting({ 'utnytting.utnyttingstall': '30' })).toEqual({
      type: null,
      tall: 30,
      tallMinimum: null,
    });
    expect(utnytting({ 'utnytting.utnyttingstall_minimum': '1,5' })).toEqual({
      type: null,
      tall: null,
      tallMinimum: 1.5,
    });
    expect(
      utnytting({
        'utnytting.utnyttingstype': '16',
        'utnytting.utnyttingstall': '',
        'utnytting.utnyttingstall_minimum': '  ',
      }),
    ).toEqual({ type: 16, tall: null, tallMinimum: null });
    expect(utnytting({ 'utnytting.utnyttingstall': ' ', 'utnytting.utnyttingstall_minimum': '' })).toBeNull();
  });
});

describe('zone ids', () => {
  const idOf = (properties: Record<string, PropertyValue>, geometry = square(0)) =>
    classifyPlans(
      [
        feature(
          'KpArealformålOmråde',
          { arealformål: '1110', arealbruksstatus: '2', ...properties },
          geometry,
        ),
      ],
      [],
      rules,
    ).zones[0]!.lokalId;

  it('is the SOSI lokalId; without one, the plan id and objid', () => {
    expect(
      idOf({ ...kp, 'identifikasjon.lokalId': 'b7a1c2d4-0c3e-4d55-9f1a-2a8c4e6f1b90', objid: '17' }),
    ).toBe('b7a1c2d4-0c3e-4d55-9f1a-2a8c4e6f1b90');
    expect(idOf({ ...kp, objid: '17' })).toBe('3218-2019001-objid-17');
    expect(idOf({ objid: '17' })).toBe('plan-objid-17');
  });

  it('falls back to a hash of the geometry that stays the same from one night (and release) to the next', () => {
    // Lots in Airtable are keyed by this id: pinned values, not only "some hash".
    expect(idOf({ ...kp }, square(0))).toBe('geom-9eaa81a2');
    expect(idOf({}, square(0))).toBe('geom-9eaa81a2');
    expect(idOf({ ...kp }, square(200))).toBe('geom-2fc74828');
    // Eight hex digits, zero-padded.
    expect(idOf({ ...kp }, square(2800))).toBe('geom-03de8f80');
  });
});

describe('kommuneplaner in force and their dates', () => {
  const outline = (plan: string, properties: Record<string, PropertyValue>) =>
    feature('KpOmråde', {
      'arealplanId.kommunenummer': '3218',
      'arealplanId.planidentifikasjon': plan,
      planstatus: '3',
      ...properties,
    });

  it('dates a plan by ikrafttredelsesdato, else vedtakEndeligPlanDato, as a day; other text is no date', () => {
    const plans = classifyPlans(
      [
        outline('kpa', { ikrafttredelsesdato: '2019-06-19T00:00:00Z', vedtakEndeligPlanDato: '2019-05-02' }),
        outline('kdp', { vedtakEndeligPlanDato: '2023-09-27Z' }),
        outline('old', { ikrafttredelsesdato: '19.06.2001' }),
        outline('text', { ikrafttredelsesdato: 'vedtatt 2012-03-01' }),
        outline('none', {}),
        zone(square(0), { plan: 'kdp', lokalId: 'z' }),
      ],
      [],
      rules,
    );
    expect(plans.kommuneplanOutlines.map((o) => [o.planId, o.date])).toEqual([
      ['3218-kpa', '2019-06-19'],
      ['3218-kdp', '2023-09-27'],
      ['3218-old', null],
      ['3218-text', null],
      ['3218-none', null],
    ]);
    expect(plans.zones[0]!.planDate).toBe('2023-09-27');
  });

  it('keeps plans in force (3, 6) or without a planstatus; skips the zones of other plans', () => {
    const plans = classifyPlans(
      [
        outline('in-force', { planstatus: '3' }),
        outline('delayed', { planstatus: '6' }),
        outline('unknown', { planstatus: null }),
        outline('proposal', { planstatus: '2' }),
        outline('repealed', { planstatus: '5' }),
        ...['in-force', 'delayed', 'unknown', 'proposal', 'repealed', 'no-outline'].map((plan) =>
          zone(square(0), { plan, lokalId: plan }),
        ),
      ],
      [],
      rules,
    );
    expect(plans.kommuneplanOutlines.map((o) => [o.planId, o.planstatus])).toEqual([
      ['3218-in-force', 3],
      ['3218-delayed', 6],
      ['3218-unknown', null],
    ]);
    expect(plans.zones.map((z) => z.lokalId)).toEqual(['in-force', 'delayed', 'unknown', 'no-outline']);
    expect(plans.skipped).toEqual({
      'KpArealformålOmråde in a kommuneplan with planstatus 2': 1,
      'KpArealformålOmråde in a kommuneplan with planstatus 5': 1,
    });
  });

  it('ignores an outline without a plan id or without an area', () => {
    const plans = classifyPlans(
      [
        feature('KpOmråde', {
          'arealplanId.kommunenummer': '3218',
          planstatus: '3',
          ikrafttredelsesdato: '2024-01-01',
        }),
        feature('KpOmråde', { ...kp, planstatus: '3' }, { type: 'Point', coordinates: at(0, 0) }),
      ],
      [],
      rules,
    );
    expect(plans.kommuneplanOutlines).toEqual([]);
  });

  it('lets an outline govern a zone only when both are dated and the outline is newer', () => {
    const plans = classifyPlans(
      [
        kommuneplanOutline(square(0), 'kpa', '2019-06-19'),
        kommuneplanOutline(square(0), 'kdp-2023', '2023-09-27'),
        kommuneplanOutline(square(0), 'kdp-same-day', '2019-06-19'),
        kommuneplanOutline(square(0), 'kdp-2011', '2011-02-14'),
        feature('KpOmråde', {
          'arealplanId.kommunenummer': '3218',
          'arealplanId.planidentifikasjon': 'undated',
          planstatus: '3',
        }),
        zone(square(0), { plan: 'kpa', lokalId: 'kpa-zone' }),
        zone(square(0), { plan: 'no-outline', lokalId: 'undated-zone' }),
      ],
      [],
      rules,
    );
    const [kpaZone, undatedZone] = plans.zones;
    const governing = (z: typeof kpaZone) =>
      plans.kommuneplanOutlines.filter((o) => governsOver(o, z!)).map((o) => o.planId);
    expect(governing(kpaZone)).toEqual(['3218-kdp-2023']);
    expect(governing(undatedZone)).toEqual([]);
  });
});

describe('regulated land and plans in progress', () => {
  it('takes a KpDetaljeringSone 910 as regulated land, named by its hensynssone, else its plan', () => {
    const detail = (properties: Record<string, PropertyValue>, geometry: AnyGeometry | null = square(0)) =>
      feature('KpDetaljeringSone', { detaljering: '910', ...properties }, geometry);
    const plans = classifyPlans(
      [
        detail({ ...kp, hensynSonenavn: 'H910_1' }),
        detail({ ...kp }),
        detail({}),
        detail({ ...kp, detaljering: '920', hensynSonenavn: 'H920_1' }),
        detail({ ...kp, detaljering: '' }),
        detail({ ...kp, hensynSonenavn: 'H910_2' }, { type: 'Point', coordinates: at(0, 0) }),
        // The same code on another kind of hensynssone is not a reguleringsplan that still applies.
        feature('KpAngittHensynSone', { ...kp, detaljering: '910', hensynSonenavn: 'H910_3' }),
        feature('KpOmråde', { ...kp, detaljering: '910', planstatus: '3' }),
      ],
      [],
      rules,
    );
    expect(plans.regulated).toEqual([
      { planId: 'H910_1', kind: 'detaljeringssone', geometry: square(0) },
      { planId: '3218-2019001', kind: 'detaljeringssone', geometry: square(0) },
      { planId: 'detaljeringssone', kind: 'detaljeringssone', geometry: square(0) },
    ]);
    expect(plans.skipped).toEqual({});
  });

  it('sorts RpOmråde by planstatus: adopted is regulated, planning or proposal is in progress, others are counted', () => {
    const plans = classifyPlans(
      [],
      [
        regPlan(square(0), { planstatus: 3, plan: 'vedtatt' }),
        regPlan(square(100), { planstatus: 6, plan: 'utsatt' }),
        regPlan(square(200), { planstatus: 1, plan: 'igangsatt' }),
        {
          ...regPlan(square(300), { planstatus: 2, plan: 'forslag' }),
          properties: {
            'arealplanId.kommunenummer': '3218',
            'arealplanId.planidentifikasjon': 'forslag',
            planstatus: '2',
            ikrafttredelsesdato: '2025-03-01T00:00:00Z',
          },
        },
        regPlan(square(400), { planstatus: 4, plan: 'ikke-vedtatt' }),
        regPlan(square(500), { planstatus: 5, plan: 'opphevet' }),
        regPlan(square(600), { planstatus: 8, plan: 'opphevet-2' }),
        feature('RpOmråde', { ...kp, vertikalnivå: '2' }, square(700)),
      ],
      rules,
    );
    expect(plans.regulated).toEqual([
      { planId: '3218-vedtatt', kind: 'reguleringsplan', geometry: square(0) },
      { planId: '3218-utsatt', kind: 'reguleringsplan', geometry: square(100) },
    ]);
    expect(plans.inProgress).toEqual([
      { planId: '3218-igangsatt', planstatus: 1, date: null, geometry: square(200) },
      { planId: '3218-forslag', planstatus: 2, date: '2025-03-01', geometry: square(300) },
    ]);
    expect(plans.skipped).toEqual({
      'RpOmråde planstatus 4': 1,
      'RpOmråde planstatus 5': 1,
      'RpOmråde planstatus 8': 1,
      'RpOmråde planstatus missing': 1,
    });
  });

  it('takes a RpOmråde without vertikalnivå as on the ground, leaves out tunnels and bridges', () => {
    const plans = classifyPlans(
      [],
      [
        regPlan(square(0), { vertikalnivå: null, plan: 'grunnen' }),
        regPlan(square(100), { vertikalnivå: 1, plan: 'tunnel' }),
        regPlan(square(200), { vertikalnivå: 3, plan: 'bru' }),
        regPlan(square(300), { vertikalnivå: 3, plan: 'bru-2', planstatus: 2 }),
      ],
      rules,
    );
    expect(plans.regulated.map((r) => r.planId)).toEqual(['3218-grunnen']);
    expect(plans.inProgress).toEqual([]);
    expect(plans.skipped).toEqual({ 'RpOmråde vertikalnivå 1': 1, 'RpOmråde vertikalnivå 3': 2 });
  });

  it('names a plan without a plan id by its lokalId, and counts outlines without an area', () => {
    const plans = classifyPlans(
      [],
      [
        feature('RpOmråde', { 'identifikasjon.lokalId': 'rp-lokal-1', planstatus: '3' }),
        feature('RpOmråde', { planstatus: '3' }, square(100)),
        feature('RpOmråde', { ...kp, planstatus: '3' }, null),
        feature('RpOmråde', { ...kp, planstatus: '3' }, { type: 'Point', coordinates: at(0, 0) }),
      ],
      rules,
    );
    expect(plans.regulated).toEqual([
      { planId: 'rp-lokal-1', kind: 'reguleringsplan', geometry: square(0) },
      { planId: 'reguleringsplan', kind: 'reguleringsplan', geometry: square(100) },
    ]);
    expect(plans.skipped).toEqual({ 'RpOmråde without area geometry': 2 });
  });

  it('reads only RpOmråde outlines from a reguleringsplan, not its arealformål or hensyn features', () => {
    const plans = classifyPlans(
      [],
      [
        regPlan(square(0), { plan: 'detaljplan' }),
        feature('RpArealformålOmråde', { ...kp, arealformål: '1110', planstatus: '3' }, square(0)),
        feature('RpArealformålOmråde', { ...kp, arealformål: '1110' }, square(0)),
        feature('RpAngittHensynSone', { ...kp, hensynskategori: '570' }, null),
      ],
      rules,
    );
    expect(plans.regulated.map((r) => r.planId)).toEqual(['3218-detaljplan']);
    expect(plans.skipped).toEqual({});
  });
});
