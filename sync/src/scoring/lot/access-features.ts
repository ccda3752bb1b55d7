import type { LotScoreRules } from '../../config/lot-score-rules.js';
import { KP_AREALBRUK, KP_AREALFORMAL } from '../../domain/codes.js';
import type { AnyGeometry } from '../../domain/geometry.js';
import type { KommuneData } from '../../domain/kommune.js';
import { codeOf, planIdOf, PlanObjectType, textOf } from '../../domain/plan.js';
import { planStatuses } from './constraint-zones.js';

/** Something that tells a lot has access and services nearby: a road, or land already built. */
export interface AccessFeature {
  /** Norwegian, for the reason: "regulert veg o_SKV12", "eksisterende boligbebyggelse". */
  label: string;
  geometry: AnyGeometry;
}

/** Whether a feature's code is one of the listed ones; a missing code is none of them. */
const listed = (codes: readonly number[], code: number | null) => codes.some((c) => c === code);

/**
 * Roads regulated by plans in force (RpArealformålOmråde 2010–2019 on the ground), existing roads
 * in the kommuneplan, and existing built zones (arealbruksstatus 1), which bring water, sewer and
 * roads with them. A road whose plan status is unknown counts. Pure.
 */
export function accessFeaturesOf(
  data: Pick<KommuneData, 'kommuneplan' | 'reguleringsplan'>,
  rules: LotScoreRules['infrastruktur'],
): AccessFeature[] {
  const features: AccessFeature[] = [];
  const planStatus = planStatuses(data.reguleringsplan, PlanObjectType.RpOmrade);
  for (const feature of data.reguleringsplan) {
    if (feature.objekttypenavn !== PlanObjectType.RpArealformalOmrade || !feature.geometry) continue;
    if (!listed(rules.roadArealformal, codeOf(feature, 'arealformål'))) continue;
    const level = codeOf(feature, 'vertikalnivå');
    if (level !== null && level !== 2) continue;
    const planId = planIdOf(feature);
    const status = planId ? planStatus.get(planId) : undefined;
    if (status !== undefined && status !== null && !rules.roadPlanstatus.includes(status)) continue;
    const felt = textOf(feature, 'feltbetegnelse');
    features.push({ label: felt ? `regulert veg ${felt}` : 'regulert veg', geometry: feature.geometry });
  }
  for (const feature of data.kommuneplan) {
    if (!feature.geometry || codeOf(feature, 'arealbruksstatus') !== 1) continue;
    if (feature.objekttypenavn === PlanObjectType.KpArealformalOmrade) {
      const code = codeOf(feature, 'arealformål');
      if (listed(rules.kommuneplanRoadArealformal, code))
        features.push({ label: 'veg i kommuneplanen', geometry: feature.geometry });
      else if (listed(rules.builtArealformal, code))
        features.push({ label: `eksisterende ${nameOf(KP_AREALFORMAL, code)}`, geometry: feature.geometry });
    } else if (
      // Stryker disable next-line ConditionalExpression: other kommuneplan features with status 1 (none known) have no arealbruk either
      feature.objekttypenavn === PlanObjectType.KpArealbrukOmrade
    ) {
      const code = codeOf(feature, 'arealbruk');
      if (listed(rules.builtArealbruk, code))
        features.push({ label: `eksisterende ${nameOf(KP_AREALBRUK, code)}`, geometry: feature.geometry });
    }
  }
  return features;
}

/** "boligbebyggelse", or "bebyggelse" for a code the rules list that has no name (`code` is a listed one). */
const nameOf = (names: Record<number, string>, code: number | null) =>
  (names[code!] ?? 'bebyggelse').toLowerCase();
