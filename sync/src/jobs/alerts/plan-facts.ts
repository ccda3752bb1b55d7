import { isAreaGeometry, type AreaGeometry } from '../../domain/geometry.js';
import type { KommuneData } from '../../domain/kommune.js';
import { codeOf, planIdOf, PlanObjectType, textOf, type PlanFeature } from '../../domain/plan.js';
import type { SeenKommuneplan } from '../../store/kommuneplans-seen.js';

/** What an alert tells about a reguleringsplan (RpOmråde), as the plan data has it; nothing invented. */
export interface PlanFact {
  planId: string;
  /** `plannavn`. */
  name: string | null;
  planstatus: number | null;
  /** ISO date in force (ikrafttredelsesdato, else vedtakEndeligPlanDato), when given. */
  date: string | null;
  /** `forslagsstillerType` (SOSI code: 1 offentlig, 2 privat); the plan data names no consultant. */
  proposerType: number | null;
  /** The plan's own `link` (NAP points it to arealplaner.no), when it is a web address. */
  link: string | null;
  geometry: AreaGeometry;
}

/** The few plan facts an alert run keeps from a kommune's data (the data itself is let go). */
export interface KommunePlanFacts {
  /** Reguleringsplaner in progress (the rule's planstatus codes). */
  inProgress: PlanFact[];
  /** Reguleringsplaner in force (the engine's regulated planstatus codes). */
  inForce: PlanFact[];
  /** Kommuneplaner in the data, by KpOmråde, else by the zones' plan ids. */
  kommuneplans: SeenKommuneplan[];
}

export function planFactsOf(
  data: KommuneData,
  statuses: { inProgress: readonly number[]; inForce: readonly number[] },
): KommunePlanFacts {
  const outlines = data.reguleringsplan
    .filter((f) => f.objekttypenavn === PlanObjectType.RpOmrade)
    .map(planFactOf)
    .filter((fact): fact is PlanFact => fact !== null);
  const has = (codes: readonly number[]) => (fact: PlanFact) => codes.includes(fact.planstatus ?? -1);
  return {
    inProgress: outlines.filter(has(statuses.inProgress)),
    inForce: outlines.filter(has(statuses.inForce)),
    kommuneplans: kommuneplansOf(data.kommuneplan),
  };
}

function planFactOf(feature: PlanFeature): PlanFact | null {
  const planId = planIdOf(feature);
  if (!planId || !isAreaGeometry(feature.geometry)) return null;
  const link = textOf(feature, 'link');
  return {
    planId,
    name: textOf(feature, 'plannavn'),
    planstatus: codeOf(feature, 'planstatus'),
    date: dateIn(feature),
    proposerType: codeOf(feature, 'forslagsstillerType'),
    link: link && /^https?:\/\//i.test(link) ? link : null,
    geometry: feature.geometry,
  };
}

/** KpOmråde outlines give id, name and date; without them the zones' plan ids are all there is. */
function kommuneplansOf(features: readonly PlanFeature[]): SeenKommuneplan[] {
  const byId = new Map<string, SeenKommuneplan>();
  for (const f of features.filter((f) => f.objekttypenavn === PlanObjectType.KpOmrade)) {
    const planId = planIdOf(f);
    if (planId) byId.set(planId, { planId, name: textOf(f, 'plannavn'), date: dateIn(f) });
  }
  for (const f of features) {
    const planId = planIdOf(f);
    if (planId && !byId.has(planId)) byId.set(planId, { planId, name: null, date: null });
  }
  return [...byId.values()].sort((a, b) => a.planId.localeCompare(b.planId));
}

/** "2023-05-31Z", "2023-05-31T00:00:00Z" → "2023-05-31". */
function dateIn(feature: PlanFeature): string | null {
  const value = textOf(feature, 'ikrafttredelsesdato') ?? textOf(feature, 'vedtakEndeligPlanDato');
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}
