import type { EngineRules } from '../config/engine-rules.js';
import { isAreaGeometry, type AreaGeometry } from '../domain/geometry.js';
import type { Utnytting, ZoneUse } from '../domain/lot.js';
import { codeOf, lokalIdOf, planIdOf, PlanObjectType, textOf, type PlanFeature } from '../domain/plan.js';

/** A kommuneplan zone that allows housing and is not built out. */
export interface CandidateZone extends ZoneUse {
  /** ISO date the zone's kommuneplan came into force, when known. */
  planDate: string | null;
  geometry: AreaGeometry;
}

/** Land a plan already governs: subtracted from the candidate zones. */
export type SubtractedArea = RegulatedByPlan | StillRegulated;

/** An RpOmråde in force. */
export interface RegulatedByPlan {
  planId: string;
  kind: 'reguleringsplan';
  /** ISO date in force (ikrafttredelsesdato, else vedtakEndeligPlanDato), when known. */
  date?: string;
  geometry: AreaGeometry;
}

/** A kommuneplan's detaljeringssone saying an older reguleringsplan still applies: it has no date. */
export interface StillRegulated {
  planId: string;
  kind: 'detaljeringssone';
  geometry: AreaGeometry;
}

/** The outline of a plan (KpOmråde / RpOmråde). */
export interface PlanOutline {
  planId: string;
  planstatus: number | null;
  date: string | null;
  geometry: AreaGeometry;
}

export interface ClassifiedPlans {
  zones: CandidateZone[];
  regulated: SubtractedArea[];
  /** In-force kommuneplan outlines with their dates: newer ones clip older plans' zones. */
  kommuneplanOutlines: PlanOutline[];
  inProgress: PlanOutline[];
  /** Why features were left out, counted (e.g. "RpOmråde vertikalnivå 1"). */
  skipped: Record<string, number>;
}

type Skip = (reason: string) => void;

/**
 * Sorts plan features into what the engine needs, by the rules (engine-rules.ts):
 * candidate zones, regulated land, plans in progress and kommuneplan outlines.
 * Pure: no geometry operations, only attributes.
 */
export function classifyPlans(
  kommuneplan: readonly PlanFeature[],
  reguleringsplan: readonly PlanFeature[],
  rules: EngineRules,
): ClassifiedPlans {
  const skipped: Record<string, number> = {};
  const skip: Skip = (reason) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const outlines = kommuneplanOutlinesById(kommuneplan);
  const zones: CandidateZone[] = [];
  const stillRegulated: SubtractedArea[] = [];
  for (const feature of kommuneplan) {
    if (isZoneFeature(feature)) {
      const zone = candidateZoneOf(feature, outlines, rules, skip);
      if (zone) zones.push(zone);
    } else if (feature.objekttypenavn === PlanObjectType.KpDetaljeringSone) {
      const area = stillRegulatedAreaOf(feature, rules.regulated);
      if (area) stillRegulated.push(area);
    }
  }
  const reguleringsplaner = classifyReguleringsplan(reguleringsplan, rules, skip);
  return {
    zones,
    regulated: [...stillRegulated, ...reguleringsplaner.regulated],
    kommuneplanOutlines: [...outlines.values()].filter((o) => isInForce(o.planstatus, rules)),
    inProgress: reguleringsplaner.inProgress,
    skipped,
  };
}

/** Every kommuneplan's outline (KpOmråde), by plan id. */
function kommuneplanOutlinesById(kommuneplan: readonly PlanFeature[]): Map<string, PlanOutline> {
  const outlines = new Map<string, PlanOutline>();
  for (const feature of kommuneplan) {
    if (feature.objekttypenavn !== PlanObjectType.KpOmrade || !isAreaGeometry(feature.geometry)) continue;
    const planId = planIdOf(feature);
    if (!planId) continue;
    outlines.set(planId, {
      planId,
      planstatus: codeOf(feature, 'planstatus'),
      date: isoDate(textOf(feature, 'ikrafttredelsesdato') ?? textOf(feature, 'vedtakEndeligPlanDato')),
      geometry: feature.geometry,
    });
  }
  return outlines;
}

function isInForce(planstatus: number | null, rules: EngineRules): boolean {
  return planstatus === null || rules.candidates.kommuneplanPlanstatus.includes(planstatus);
}

/** "2023-05-31Z", "2023-05-31T00:00:00Z" → "2023-05-31". */
function isoDate(value: string | null): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}

type ZoneFeature = PlanFeature & { objekttypenavn: CandidateZone['objekttypenavn'] };

function isZoneFeature(feature: PlanFeature): feature is ZoneFeature {
  return (
    feature.objekttypenavn === PlanObjectType.KpArealformalOmrade ||
    feature.objekttypenavn === PlanObjectType.KpArealbrukOmrade
  );
}

/** The zone when its use and status make it a candidate and its kommuneplan is in force; null otherwise. */
function candidateZoneOf(
  feature: ZoneFeature,
  outlines: ReadonlyMap<string, PlanOutline>,
  rules: EngineRules,
  skip: Skip,
): CandidateZone | null {
  const type = feature.objekttypenavn;
  const isNewLaw = type === PlanObjectType.KpArealformalOmrade;
  const code = codeOf(feature, isNewLaw ? 'arealformål' : 'arealbruk');
  const status = codeOf(feature, 'arealbruksstatus');
  const allowed = isNewLaw ? rules.candidates.arealformal : rules.candidates.arealbruk;
  if (!isOneOf(code, allowed)) return null;
  const candidateStatus = rules.candidates.arealbruksstatus.find((s) => s === status);
  if (candidateStatus === undefined) {
    skip(`${type} arealbruksstatus ${status ?? 'missing'}`);
    return null;
  }
  if (!isAreaGeometry(feature.geometry)) {
    skip(`${type} without area geometry`);
    return null;
  }
  const planId = planIdOf(feature);
  const plan = planId ? outlines.get(planId) : undefined;
  if (plan && !isInForce(plan.planstatus, rules)) {
    skip(`${type} in a kommuneplan with planstatus ${plan.planstatus}`);
    return null;
  }
  return {
    lokalId: zoneIdOf(feature, feature.geometry),
    planId,
    objekttypenavn: type,
    arealformal: isNewLaw ? code : null,
    arealbruk: isNewLaw ? null : code,
    arealbruksstatus: candidateStatus,
    omradenavn: textOf(feature, 'områdenavn'),
    utnytting: utnyttingOf(feature),
    planDate: plan?.date ?? null,
    geometry: feature.geometry,
  };
}

function utnyttingOf(feature: PlanFeature): Utnytting | null {
  const type = codeOf(feature, 'utnytting.utnyttingstype');
  const tall = numberOf(feature, 'utnytting.utnyttingstall');
  const tallMinimum = numberOf(feature, 'utnytting.utnyttingstall_minimum');
  return type === null && tall === null && tallMinimum === null ? null : { type, tall, tallMinimum };
}

/**
 * A number attribute, which may arrive as text ("1,5"); null when absent or not a number. (A value
 * NAP lost as "[Ljava.lang.Double;@…" is already null from the readers, and would be NaN here.)
 */
function numberOf(feature: PlanFeature, key: string): number | null {
  const value = feature.properties[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/**
 * A stable id for a zone: its SOSI lokalId; when a source leaves it out, the plan id and objid,
 * and as a last resort a hash of the geometry (the same zone gets the same id every night).
 */
function zoneIdOf(feature: PlanFeature, geometry: AreaGeometry): string {
  const lokalId = lokalIdOf(feature);
  if (lokalId) return lokalId;
  const objid = textOf(feature, 'objid');
  const planId = planIdOf(feature);
  if (objid) return `${planId ?? 'plan'}-objid-${objid}`;
  return `geom-${hashCoordinates(geometry)}`;
}

function hashCoordinates(geometry: AreaGeometry): string {
  let hash = 2166136261;
  const text = JSON.stringify(geometry.coordinates);
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** A KpDetaljeringSone saying an older reguleringsplan still applies (detaljering 910): regulated land. */
function stillRegulatedAreaOf(feature: PlanFeature, rules: EngineRules['regulated']): SubtractedArea | null {
  const code = codeOf(feature, 'detaljering');
  if (!isOneOf(code, rules.detaljering) || !isAreaGeometry(feature.geometry)) return null;
  return {
    planId: textOf(feature, 'hensynSonenavn') ?? planIdOf(feature) ?? 'detaljeringssone',
    kind: 'detaljeringssone',
    geometry: feature.geometry,
  };
}

/** RpOmråde outlines on the ground: in force they are regulated land, in progress they flag lots. */
function classifyReguleringsplan(
  reguleringsplan: readonly PlanFeature[],
  rules: EngineRules,
  skip: Skip,
): { regulated: SubtractedArea[]; inProgress: PlanOutline[] } {
  const regulated: SubtractedArea[] = [];
  const inProgress: PlanOutline[] = [];
  for (const feature of reguleringsplan) {
    if (feature.objekttypenavn !== PlanObjectType.RpOmrade) continue;
    if (!isAreaGeometry(feature.geometry)) {
      skip('RpOmråde without area geometry');
      continue;
    }
    const status = codeOf(feature, 'planstatus');
    if (!onGround(feature, rules.regulated)) {
      skip(`RpOmråde vertikalnivå ${codeOf(feature, 'vertikalnivå')}`);
      continue;
    }
    const planId = planIdOf(feature) ?? lokalIdOf(feature) ?? 'reguleringsplan';
    if (isOneOf(status, rules.regulated.planstatus)) {
      const date = isoDate(
        textOf(feature, 'ikrafttredelsesdato') ?? textOf(feature, 'vedtakEndeligPlanDato'),
      );
      regulated.push({
        planId,
        kind: 'reguleringsplan',
        ...(date ? { date } : {}),
        geometry: feature.geometry,
      });
    } else if (isOneOf(status, rules.inProgress.planstatus)) {
      inProgress.push({
        planId,
        planstatus: status,
        date: isoDate(textOf(feature, 'ikrafttredelsesdato')),
        geometry: feature.geometry,
      });
    } else {
      skip(`RpOmråde planstatus ${status ?? 'missing'}`);
    }
  }
  return { regulated, inProgress };
}

function onGround(feature: PlanFeature, rules: EngineRules['regulated']): boolean {
  const level = codeOf(feature, 'vertikalnivå');
  return level === null ? rules.missingVertikalnivaIsGround : rules.vertikalniva.includes(level);
}

/**
 * Whether an in-force kommuneplan is newer than the zone's own plan: where they overlap, it governs.
 * The zone's plan date is its own plan's outline date, so its own plan never governs over it.
 */
export function governsOver(outline: PlanOutline, zone: CandidateZone): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: an ISO date compared with null is false anyway, so dropping a null check changes no answer (the checks narrow the types)
  if (outline.date === null || zone.planDate === null) return false;
  return outline.date > zone.planDate;
}

/** Whether a code is one of the rule's codes (a missing code is none of them). */
function isOneOf(code: number | null, codes: readonly number[]): boolean {
  return codes.some((c) => c === code);
}
