import type { AlertRules } from '../../config/alert-rules.js';
import type { Alert, AlertType } from '../../domain/alert.js';
import type { Tier } from '../../domain/lot.js';
import { distanceWithin, insideArea } from '../../geo/area-distance.js';
import { bboxOf } from '../../geo/crs.js';
import { boxDistance } from '../../geo/nearest.js';
import type { LotRecord } from '../../lot-record/lot-record.js';
import type { KommunePlanFacts, PlanFact } from './plan-facts.js';
import {
  lotLabel,
  metresText,
  movedFactors,
  movesText,
  planInProgressText,
  planName,
  proposerText,
  scoreText,
} from './wording.js';

/** A lot as the store had it before the run, or has it after. */
export interface LotState {
  tomtId: string;
  state: 'active' | 'vanished';
  record: LotRecord;
}

/** One kommune's run as the alerts see it: the store before and after, the plans, the team's lots. */
export interface KommuneAlertInput {
  runId: number;
  /** The run's time for this kommune (ISO): the alerts' createdAt. */
  at: string;
  kommunenummer: string;
  kommuneNavn: string;
  before: readonly LotState[];
  after: readonly LotState[];
  plans: KommunePlanFacts;
  /** Tomt-IDs of the lots the team works (Status other than Ny). */
  worked: ReadonlySet<string>;
  rules: AlertRules;
}

const RANK: Record<Tier, number> = { A: 0, B: 1, C: 2, D: 3 };
const atLeast = (tier: Tier, min: Tier) => RANK[tier] <= RANK[min];

/**
 * The lot alerts of one kommune's run (pure): new lots and tier rises into A/B, lots lost to an
 * adopted plan, plans in progress at a lot, and worked lots whose score fell. Keys are built from
 * what each is about, so the same finding always has the same key.
 */
export function lotAlerts(input: KommuneAlertInput): Alert[] {
  const before = new Map(input.before.map((lot) => [lot.tomtId, lot]));
  const alerts: Alert[] = [];
  for (const lot of input.after) {
    const was = before.get(lot.tomtId);
    if (lot.state === 'vanished') {
      if (was?.state === 'active') alerts.push(...lostAlerts(input, lot.record));
      continue;
    }
    alerts.push(...tierAlerts(input, was, lot.record), ...planAlerts(input, was, lot.record));
    if (was?.state === 'active') alerts.push(...scoreFallAlerts(input, was.record, lot.record));
  }
  return unique(alerts);
}

/**
 * Whether the alerts can depend on which lots the team works, so the list is read from Airtable
 * only then: a plan in progress near a lot (boxes within the rule's distance), a lot lost under a
 * plan in force, or a score fall as large as the rule's. A night without such changes costs no request.
 */
export function needsWorkedLots(input: Omit<KommuneAlertInput, 'worked'>): boolean {
  const before = new Map(input.before.map((lot) => [lot.tomtId, lot]));
  const changed = input.after.some((lot) => {
    const was = before.get(lot.tomtId);
    if (was?.state !== 'active') return false;
    if (lot.state === 'vanished') return input.plans.inForce.length > 0;
    return was.record.score.total - lot.record.score.total >= input.rules.scoreFallPoints;
  });
  return changed || planNearSomeLot(input);
}

function planNearSomeLot(input: Omit<KommuneAlertInput, 'worked'>): boolean {
  if (input.plans.inProgress.length === 0) return false;
  const metres = input.rules.planNearWorkedLotMetres;
  const plans = input.plans.inProgress.map((plan) => bboxOf(plan.geometry));
  return input.after.some((lot) => {
    if (lot.state !== 'active') return false;
    const box = bboxOf(lot.record.geometry);
    return plans.some((plan) => boxDistance(plan, box) <= metres);
  });
}

function alertOf(
  input: KommuneAlertInput,
  type: AlertType,
  key: string,
  record: LotRecord,
  words: { title: string; text: string; details: Record<string, unknown> },
): Alert {
  return {
    key: `${type}:${key}`,
    type,
    runId: input.runId,
    createdAt: input.at,
    kommunenummer: input.kommunenummer,
    lotId: record.tomtId,
    title: words.title,
    text: words.text,
    details: { matrikkelnummer: record.matrikkelnummertekst, ...words.details },
  };
}

function tierAlerts(input: KommuneAlertInput, was: LotState | undefined, now: LotRecord): Alert[] {
  const tier = now.score.tier;
  if (!atLeast(tier, input.rules.newLotMinTier)) return [];
  // A kommune's first scan finds every lot: that is the starting point, not news.
  if (!was && input.before.length === 0) return [];
  if (!was) {
    return [
      alertOf(input, 'ny_tomt', now.tomtId, now, {
        title: `Ny ${tier}-tomt i ${input.kommuneNavn}: ${lotLabel(now)}`,
        text: `Ny tomt med ${scoreText(now)}, anslått ${now.score.capacity.homes} boliger.`,
        details: { tier, score: now.score.total, homes: now.score.capacity.homes },
      }),
    ];
  }
  const from = was.record.score.tier;
  if (was.state !== 'active' || !(RANK[tier] < RANK[from])) return [];
  const moves = movedFactors(was.record.score.factors, now.score.factors);
  return [
    alertOf(input, 'klasse_opp', `${now.tomtId}:${from}-${tier}:${input.at.slice(0, 10)}`, now, {
      title: `Klasse ${from} → ${tier} i ${input.kommuneNavn}: ${lotLabel(now)}`,
      text: `Tomten gikk fra ${scoreText(was.record)} til ${scoreText(now)}. Størst endring: ${movesText(moves)}.`,
      details: {
        tierFrom: from,
        tierTo: tier,
        scoreFrom: was.record.score.total,
        scoreTo: now.score.total,
        factors: moves,
      },
    }),
  ];
}

function scoreFallAlerts(input: KommuneAlertInput, was: LotRecord, now: LotRecord): Alert[] {
  const fall = Math.round((was.score.total - now.score.total) * 10) / 10;
  if (!input.worked.has(now.tomtId) || fall < input.rules.scoreFallPoints) return [];
  const moves = movedFactors(was.score.factors, now.score.factors);
  return [
    alertOf(input, 'score_fall', `${now.tomtId}:${input.at.slice(0, 10)}`, now, {
      title: `Score falt ${fall.toLocaleString('nb-NO')} poeng i ${input.kommuneNavn}: ${lotLabel(now)}`,
      text: `Tomten teamet jobber med gikk fra ${scoreText(was)} til ${scoreText(now)}. Størst endring: ${movesText(moves)}.`,
      details: { scoreFrom: was.score.total, scoreTo: now.score.total, fall, factors: moves },
    }),
  ];
}

/** A lot that vanished this run under a reguleringsplan in force: someone got there first. */
function lostAlerts(input: KommuneAlertInput, was: LotRecord): Alert[] {
  if (!worthTelling(input, was)) return [];
  const centre: [number, number] = [was.centre.east, was.centre.north];
  const plan = input.plans.inForce.find((p) => insideArea(centre, p.geometry));
  if (!plan) return [];
  return [
    alertOf(input, 'tomt_tapt', `${was.tomtId}:${plan.planId}`, was, {
      title: `Tapt til regulering i ${input.kommuneNavn}: ${lotLabel(was)}`,
      text:
        `Reguleringsplan ${planName(plan)} er vedtatt over tomten` +
        (plan.date ? ` (i kraft ${plan.date})` : '') +
        `. Tomten hadde ${scoreText(was)}.${linkText(plan)}`,
      details: { ...planDetails(plan), tier: was.score.tier, score: was.score.total },
    }),
  ];
}

/** Plans in progress newly touching the lot, or (a lot the team works) within the rule's distance. */
function planAlerts(input: KommuneAlertInput, was: LotState | undefined, now: LotRecord): Alert[] {
  const worked = input.worked.has(now.tomtId);
  const earlier = new Set(was?.state === 'active' ? was.record.planarbeidPagar : null);
  const touching = new Set(
    was?.state === 'active' && worthTelling(input, now)
      ? now.planarbeidPagar.filter((id) => !earlier.has(id))
      : [],
  );
  const alerts: Alert[] = [];
  for (const plan of input.plans.inProgress) {
    const metres = touching.has(plan.planId)
      ? 0
      : worked
        ? distanceWithin(plan.geometry, now.geometry, input.rules.planNearWorkedLotMetres)
        : null;
    if (metres !== null) alerts.push(planAlert(input, now, plan, metres));
  }
  return alerts;
}

function planAlert(input: KommuneAlertInput, lot: LotRecord, plan: PlanFact, metres: number): Alert {
  const proposer = proposerText(plan.proposerType);
  const worked = input.worked.has(lot.tomtId) ? 'tomt teamet jobber med' : 'tomt';
  return alertOf(input, 'planarbeid', `${lot.tomtId}:${plan.planId}`, lot, {
    title: `Planarbeid ved ${worked} i ${input.kommuneNavn}: ${lotLabel(lot)}`,
    text:
      `${planInProgressText(plan)} ${metresText(metres)}.` +
      (proposer ? ` Forslagsstiller: ${proposer}.` : '') +
      linkText(plan),
    details: { ...planDetails(plan), distanceM: Math.round(metres), worked: input.worked.has(lot.tomtId) },
  });
}

function worthTelling(input: KommuneAlertInput, record: LotRecord): boolean {
  return input.worked.has(record.tomtId) || atLeast(record.score.tier, input.rules.planTouchingMinTier);
}

function planDetails(plan: PlanFact): Record<string, unknown> {
  return {
    planId: plan.planId,
    planName: plan.name,
    planstatus: plan.planstatus,
    planDate: plan.date,
    proposerType: plan.proposerType,
    link: plan.link,
  };
}

function linkText(plan: PlanFact): string {
  return plan.link ? ` Se planen: ${plan.link}` : '';
}

function unique(alerts: Alert[]): Alert[] {
  return [...new Map(alerts.map((a) => [a.key, a])).values()];
}
