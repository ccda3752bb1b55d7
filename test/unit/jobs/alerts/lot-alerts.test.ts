import { describe, expect, it } from 'vitest';
import { alertRulesSchema } from '../../../../sync/src/config/alert-rules.js';
import { tierOf, type ScoredLot } from '../../../../sync/src/domain/lot.js';
import { kommuneplanAlerts } from '../../../../sync/src/jobs/alerts/kommune-alerts.js';
import {
  lotAlerts,
  needsWorkedLots,
  type KommuneAlertInput,
  type LotState,
} from '../../../../sync/src/jobs/alerts/lot-alerts.js';
import type { PlanFact } from '../../../../sync/src/jobs/alerts/plan-facts.js';
import { aasLots, aasRecords } from '../../../fixtures/crm/lots.js';

const rules = alertRulesSchema.parse({});

function rescored(lot: ScoredLot, total: number): ScoredLot {
  const k = total / lot.score.total;
  const factors = lot.score.factors.map((f) => ({ ...f, points: f.points * k }));
  return { ...lot, score: { ...lot.score, total, tier: tierOf(total), factors } };
}

const lots = aasLots({ count: 4 }).map((lot) => rescored(lot, 50));
const states = (list: ScoredLot[], state: LotState['state'] = 'active'): LotState[] =>
  aasRecords(list).map((record) => ({ tomtId: record.tomtId, state, record }));

function input(
  before: LotState[],
  after: LotState[],
  extra: Partial<KommuneAlertInput> = {},
): KommuneAlertInput {
  return {
    runId: 2,
    at: '2026-03-03T01:00:00.000Z',
    kommunenummer: '3218',
    kommuneNavn: 'Ås',
    before,
    after,
    plans: { inProgress: [], inForce: [], kommuneplans: [] },
    worked: new Set(),
    rules,
    ...extra,
  };
}

/** A plan square of `half` metres around a point. */
function plan(planId: string, planstatus: number, [e, n]: [number, number], half: number): PlanFact {
  const ring: [number, number][] = [
    [e - half, n - half],
    [e + half, n - half],
    [e + half, n + half],
    [e - half, n + half],
    [e - half, n - half],
  ];
  return {
    planId,
    name: null,
    planstatus,
    date: null,
    proposerType: null,
    link: null,
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
}

describe('lot alerts', () => {
  it('says nothing on a kommune’s first scan, however good its lots', () => {
    expect(lotAlerts(input([], states([rescored(lots[0]!, 90)])))).toEqual([]);
  });

  it('alerts a tier rise into B or A, not one into C, with the factors that moved', () => {
    const after = [rescored(lots[0]!, 62), rescored(lots[1]!, 45), lots[2]!];
    const found = lotAlerts(input(states(lots), states(after)));
    expect(found.map((a) => [a.type, a.lotId])).toEqual([['klasse_opp', lots[0]!.tomtId]]);
    expect(found[0]!.key).toBe(`klasse_opp:${lots[0]!.tomtId}:C-B:2026-03-03`);
    expect(found[0]!.text).toMatch(
      /fra 50,0 poeng, klasse C til 62,0 poeng, klasse B\. Størst endring: \w+ \+/,
    );
  });

  it('alerts a score fall of the rule’s size on a worked lot only', () => {
    const before = states([rescored(lots[0]!, 75), rescored(lots[1]!, 75)]);
    const after = states([rescored(lots[0]!, 60), rescored(lots[1]!, 61)]);
    const worked = new Set([lots[0]!.tomtId, lots[1]!.tomtId]);
    const found = lotAlerts(input(before, after, { worked }));
    expect(found.map((a) => [a.type, a.lotId, a.details.fall])).toEqual([
      ['score_fall', lots[0]!.tomtId, 15],
    ]);
    expect(lotAlerts(input(before, after))).toEqual([]);
  });

  it('alerts a plan in progress newly touching a B lot, not one that touched it already', () => {
    const good = rescored(lots[0]!, 70);
    const before = states([{ ...good, planarbeidPagar: ['3218-2024007'] }]);
    const after = states([{ ...good, planarbeidPagar: ['3218-2024007', '3218-2026004'] }]);
    const [e, n] = [aasRecords([good])[0]!.centre.east, aasRecords([good])[0]!.centre.north];
    const plans = {
      inProgress: [plan('3218-2024007', 1, [e, n], 20), plan('3218-2026004', 2, [e, n], 20)],
      inForce: [],
      kommuneplans: [],
    };
    const found = lotAlerts(input(before, after, { plans }));
    expect(found.map((a) => a.key)).toEqual([`planarbeid:${good.tomtId}:3218-2026004`]);
    expect(found[0]!.text).toMatch(/^Planforslag plan 3218-2026004 berører tomten\.$/);
  });

  it('alerts a plan in progress within 200 m of a worked lot, whatever its tier, and not at 250 m', () => {
    const record = aasRecords([lots[0]!])[0]!;
    const [e, n] = [record.centre.east, record.centre.north + 150];
    const plans = { inProgress: [plan('3218-2026004', 1, [e, n], 10)], inForce: [], kommuneplans: [] };
    const worked = new Set([record.tomtId]);
    const near = lotAlerts(input(states([lots[0]!]), states([lots[0]!]), { plans, worked }));
    expect(near.map((a) => a.type)).toEqual(['planarbeid']);
    expect(near[0]!.details.distanceM).toBeGreaterThan(90);
    expect(near[0]!.details.distanceM).toBeLessThan(150);
    const far = { ...plans, inProgress: [plan('3218-2026004', 1, [e, n + 200], 10)] };
    expect(lotAlerts(input(states([lots[0]!]), states([lots[0]!]), { plans: far, worked }))).toEqual([]);
  });

  it('alerts a lot gone under a plan in force, not one gone for another reason', () => {
    const good = rescored(lots[0]!, 85);
    const record = aasRecords([good])[0]!;
    const plans = {
      inProgress: [],
      inForce: [
        { ...plan('3218-2025011', 3, [record.centre.east, record.centre.north], 80), name: 'Nordby' },
      ],
      kommuneplans: [],
    };
    const before = states([good, rescored(lots[1]!, 85)]);
    const after = states([good, rescored(lots[1]!, 85)], 'vanished');
    const found = lotAlerts(input(before, after, { plans }));
    expect(found.map((a) => a.key)).toEqual([`tomt_tapt:${good.tomtId}:3218-2025011`]);
    expect(found[0]!.text).toMatch(
      /^Reguleringsplan «Nordby» \(3218-2025011\) er vedtatt over tomten\. Tomten hadde 85,0 poeng, klasse A\.$/,
    );
  });

  it('reads the team’s lots only when an alert can depend on them', () => {
    const same = input(states(lots), states(lots));
    expect(needsWorkedLots(same)).toBe(false);
    expect(needsWorkedLots({ ...same, after: states([rescored(lots[0]!, 35), ...lots.slice(1)]) })).toBe(
      true,
    );
    const [e, n] = [aasRecords(lots)[0]!.centre.east, aasRecords(lots)[0]!.centre.north];
    const nearby = (north: number) => ({ ...same.plans, inProgress: [plan('x', 1, [e, north], 10)] });
    expect(needsWorkedLots({ ...same, plans: nearby(n + 150) })).toBe(true);
    expect(needsWorkedLots({ ...same, plans: nearby(n + 1_000) })).toBe(false);
  });
});

describe('kommuneplan alerts', () => {
  const run = { runId: 2, at: '2026-03-03T01:00:00Z', kommunenummer: '3218', kommuneNavn: 'Ås' };
  const kpa2019 = { planId: '3218-2019001', name: 'KPA 2019', date: '2019-06-19' };

  it('alerts a new plan id or a later date in force, once per plan and date; nothing before a first comparison', () => {
    expect(kommuneplanAlerts(run, null, [kpa2019])).toEqual([]);
    expect(kommuneplanAlerts(run, [kpa2019], [kpa2019])).toEqual([]);
    const revised = { ...kpa2019, date: '2026-02-11' };
    const added = { planId: '3218-2026001', name: null, date: null };
    expect(kommuneplanAlerts(run, [kpa2019], [revised, added]).map((a) => [a.key, a.text])).toEqual([
      [
        'kommuneplan_endret:3218:3218-2019001:2026-02-11',
        '«KPA 2019» (3218-2019001) er i kraft fra 2026-02-11. Nattens tomter er funnet ut fra den.',
      ],
      [
        'kommuneplan_endret:3218:3218-2026001:udatert',
        'Kommuneplan (3218-2026001) er ny i plandataene. Nattens tomter er funnet ut fra den.',
      ],
    ]);
  });
});
