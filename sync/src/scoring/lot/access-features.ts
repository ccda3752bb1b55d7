import type { LotScoreRules } from '../../config/lot-score-rules.js';
import { KP_AREALBRUK, KP_AREALFORMAL } from '../../domain/codes.js';
import type { AnyGeometry } from '../../domain/geometry.js';
import type { KommuneData } from '../../domain/kommune.js';
import { codeOf, planIdOf, PlanObjectType, textOf } from '../../domain/plan.js';

/** Something that tells a lot has access and services nearby: a road, or land already built. */
export interface AccessFeature {
  kind: 'road' | 'built';
  /** Norwegian, for the reason: "regulert veg o_SKV12", "eksisterende boligbebyggelse". */
  label: string;
  geometry: AnyGeometry;
}

/**
 * Roads regulated by plans in force (RpArealformålOmråde 2010–2019 on the ground), existing roads
 * in the kommuneplan, and existing built zones (arealbruksstatus 1), which bring water, sewer and
 * roads with them. Pure.
 */
export function accessFeaturesOf(
  data: Pick<KommuneData, 'kommuneplan' | 'reguleringsplan'>,
  rules: LotScoreRules['infrastruktur'],
): AccessFeature[] {
  const features: AccessFeature[] = [];
  const planStatus = new Map<string, number | null>();
  for (const feature of data.reguleringsplan) {
    if (feature.objekttypenavn !== PlanObjectType.RpOmrade) continue;
    const planId = planIdOf(feature);
    if (planId) planStatus.set(planId, codeOf(feature, 'planstatus'));
  }
  for (const feature of data.reguleringsplan) {
    if (feature.objekttypenavn !== PlanObjectType.RpArealformalOmrade || !feature.geometry) continue;
    const code = codeOf(feature, 'arealformål');
    if (code === null || !rules.roadArealformal.includes(code)) continue;
    const level = codeOf(feature, 'vertikalnivå');
    if (level !== null && level !== 2) continue;
    const planId = planIdOf(feature);
    const status = planId ? planStatus.get(planId) : undefined;
    if (status !== undefined && status !== null && !rules.roadPlanstatus.includes(status)) continue;
    const felt = textOf(feature, 'feltbetegnelse');
    features.push({
      kind: 'road',
      label: felt ? `regulert veg ${felt}` : 'regulert veg',
      geometry: feature.geometry,
    });
  }
  for (const feature of data.kommuneplan) {
    const type = feature.objekttypenavn;
    if (type !== PlanObjectType.KpArealformalOmrade && type !== PlanObjectType.KpArealbrukOmrade) continue;
    if (!feature.geometry || codeOf(feature, 'arealbruksstatus') !== 1) continue;
    if (type === PlanObjectType.KpArealformalOmrade) {
      const code = codeOf(feature, 'arealformål');
      if (code === null) continue;
      if (rules.kommuneplanRoadArealformal.includes(code))
        features.push({ kind: 'road', label: 'veg i kommuneplanen', geometry: feature.geometry });
      else if (rules.builtArealformal.includes(code))
        features.push({
          kind: 'built',
          label: `eksisterende ${(KP_AREALFORMAL[code] ?? 'bebyggelse').toLowerCase()}`,
          geometry: feature.geometry,
        });
    } else {
      const code = codeOf(feature, 'arealbruk');
      if (code !== null && rules.builtArealbruk.includes(code))
        features.push({
          kind: 'built',
          label: `eksisterende ${(KP_AREALBRUK[code] ?? 'bebyggelse').toLowerCase()}`,
          geometry: feature.geometry,
        });
    }
  }
  return features;
}
