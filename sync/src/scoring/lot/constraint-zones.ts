import type { ExtraLayerRule, LotScoreRules } from '../../config/lot-score-rules.js';
import { isAreaGeometry, type AreaGeometry } from '../../domain/geometry.js';
import type { ConstraintLayerFeature, ExtraLayerFeatures, KommuneData } from '../../domain/kommune.js';
import { codeOf, planIdOf, PlanObjectType, textOf, type PlanFeature } from '../../domain/plan.js';
import type { ConstraintLayer } from './types.js';

/** One area that constrains land: a hensynssone or a feature of an extra layer. */
export interface ConstraintZone {
  /** Constraint type (a key of `lotScore.constraints.types`). */
  key: string;
  /** Where it comes from, as the sales team reads it: "kommuneplan H320_1", "NVE flomsone". */
  source: string;
  geometry: AreaGeometry;
}

/** The attribute that holds the hensynssone code, per feature type (SOSI Plan 5.0, NAP names). */
const CODE_ATTRIBUTE: Record<string, string> = {
  FareSone: 'fare',
  StøySone: 'støy',
  AngittHensynSone: 'angittHensyn',
  BåndleggingSone: 'båndlegging',
  InfrastrukturSone: 'infrastruktur',
  GjennomføringSone: 'gjennomføring',
  SikringSone: 'sikring',
};

/** The hensynssone code of a Kp/Rp …Sone feature, from its typed attribute or its name "H<code>_<n>". */
export function hensynCodeOf(feature: PlanFeature): number | null {
  // Stryker disable next-line Regex: SOSI objekttypenavn have nothing before Kp/Rp or after Sone, so the anchors never decide
  const match = /^(Kp|Rp)(.+Sone)$/.exec(feature.objekttypenavn);
  const attribute = match ? CODE_ATTRIBUTE[match[2]!] : undefined;
  if (!attribute) return null;
  const code = codeOf(feature, attribute);
  if (code !== null) return code;
  // Stryker disable next-line StringLiteral: without a name there is no code, whatever text stands in for it
  const name = /^H(\d{3})(?:_|$)/i.exec(textOf(feature, 'hensynSonenavn') ?? '');
  return name ? Number(name[1]) : null;
}

/** The status of each plan by plan id, read from the plans' outlines (RpOmråde / KpOmråde). */
export function planStatuses(
  features: readonly PlanFeature[],
  outlineType: string,
): Map<string, number | null> {
  const statuses = new Map<string, number | null>();
  for (const feature of features) {
    if (feature.objekttypenavn !== outlineType) continue;
    const planId = planIdOf(feature);
    // Stryker disable next-line ConditionalExpression: a status stored under a null id is never looked up (callers skip features without a plan id)
    if (planId) statuses.set(planId, codeOf(feature, 'planstatus'));
  }
  return statuses;
}

/**
 * The constraint zones of a kommune: hensynssoner of kommuneplan and reguleringsplan whose code
 * a constraint type lists (reguleringsplan ones on the ground only), and the areas of extra layers.
 * Zones of plans in a status the rules leave out (repealed, replaced) do not count. Pure.
 */
export function constraintZonesOf(
  data: Pick<KommuneData, 'kommuneplan' | 'reguleringsplan'>,
  layers: readonly ConstraintLayer[],
  rules: LotScoreRules['constraints'],
): ConstraintZone[] {
  // Keyed by number | null so that a zone without a code simply finds no type.
  const keyByCode = new Map<number | null, string>();
  for (const [key, type] of Object.entries(rules.types))
    for (const code of type.hensyn) keyByCode.set(code, key);
  const zones: ConstraintZone[] = [];
  const fromPlans = (features: readonly PlanFeature[], kind: 'kommuneplan' | 'reguleringsplan') => {
    const statuses = planStatuses(
      features,
      kind === 'kommuneplan' ? PlanObjectType.KpOmrade : PlanObjectType.RpOmrade,
    );
    for (const feature of features) {
      if (!isAreaGeometry(feature.geometry)) continue;
      const code = hensynCodeOf(feature);
      const key = keyByCode.get(code);
      if (!key) continue;
      if (kind === 'reguleringsplan') {
        const level = codeOf(feature, 'vertikalnivå');
        if (level !== null && !rules.vertikalniva.includes(level)) continue;
      }
      const planId = planIdOf(feature);
      const status = planId ? statuses.get(planId) : undefined;
      if (status !== undefined && status !== null && !rules.planstatus.includes(status)) continue;
      const name = textOf(feature, 'hensynSonenavn') ?? `H${code}`;
      zones.push({
        key,
        source:
          kind === 'kommuneplan'
            ? `kommuneplan ${name}`
            : `reguleringsplan ${planId ?? ''} ${name}`.replace('  ', ' '),
        geometry: feature.geometry,
      });
    }
  };
  fromPlans(data.kommuneplan, 'kommuneplan');
  fromPlans(data.reguleringsplan, 'reguleringsplan');
  for (const layer of layers) {
    if (!(layer.constraint in rules.types)) continue;
    for (const feature of layer.features) {
      if (isAreaGeometry(feature.geometry))
        zones.push({ key: layer.constraint, source: layer.name, geometry: feature.geometry });
    }
  }
  return zones;
}

/** An extra layer as configured, with the features the source layer read for it (`where` applied). */
export function constraintLayerOf(
  rule: ExtraLayerRule,
  features: readonly ConstraintLayerFeature[],
): ConstraintLayer {
  const where = rule.where;
  const kept = where
    ? features.filter((f) => {
        const value = f.properties?.[where.property];
        return (
          // Stryker disable next-line ConditionalExpression,LogicalOperator: the text of a missing value ("undefined") or a null one ("null") matches no configured value, so `||` (always true here) keeps the same features; the null case is in the test
          value !== undefined &&
          // Stryker disable next-line ConditionalExpression: the text of a null value ("null") matches no configured value
          value !== null &&
          where.values.some((v) => String(v) === String(value).trim())
        );
      })
    : features;
  return { name: rule.name, constraint: rule.constraint, features: kept };
}

/** The layers a kommune's sources read, each with its configured rule applied (unknown names are ignored). */
export function constraintLayersOf(
  rules: readonly ExtraLayerRule[],
  loaded: readonly ExtraLayerFeatures[],
): ConstraintLayer[] {
  return loaded.flatMap((layer) => {
    const rule = rules.find((r) => r.name === layer.name);
    return rule ? [constraintLayerOf(rule, layer.features)] : [];
  });
}
