import type { ClassifiedLayer, ConstraintLayerFeature } from '../../domain/kommune.js';
import type { PropertyValue } from '../../domain/plan.js';

/** A layer's features grouped by the constraint type each counts as (features that count as none are left out). */
export function classify(
  source: string,
  features: readonly ConstraintLayerFeature[],
  constraintOf: (properties: Record<string, PropertyValue>) => string | null,
): ClassifiedLayer[] {
  const groups = new Map<string, ConstraintLayerFeature[]>();
  for (const feature of features) {
    const key = constraintOf(feature.properties ?? {});
    if (key === null) continue;
    groups.set(key, [...(groups.get(key) ?? []), feature]);
  }
  return [...groups.entries()].map(([constraint, group]) => ({ name: source, constraint, features: group }));
}
