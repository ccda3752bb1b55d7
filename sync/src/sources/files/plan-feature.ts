import type { PlanFeature } from '../../domain/plan.js';
import { FeatureProblem } from './format-error.js';
import { normalizeGeometry } from './normalize-geometry.js';
import { canonicalProperties, canonicalTypeName } from './sosi-names.js';
import type { SourceCrs } from './source-crs.js';

export interface PlanFeatureIn {
  properties: Record<string, unknown>;
  /** GeoJSON-shaped geometry in `crs`, or null. */
  geometry: unknown;
  crs: SourceCrs;
  /** The type when the properties do not say (`objekttypenavn`): element, table, layer or file name. */
  typeHint?: string | null;
}

/**
 * A plan feature from any source, normalised: NAP property names, `objekttypenavn` with
 * Norwegian letters, four-digit kommunenummer, geometry in EPSG:25833. Throws FeatureProblem
 * when the feature is unusable; `note` hears about values changed on the way.
 */
export function toPlanFeature(input: PlanFeatureIn, note: (problem: string) => void): PlanFeature {
  const properties = canonicalProperties(input.properties, (key) =>
    note(`${key} was lost by the server ("[Ljava.lang.Double;@…"), kept as null`),
  );
  const declared = typeof properties.objekttypenavn === 'string' ? properties.objekttypenavn : null;
  const type = canonicalTypeName(declared ?? input.typeHint ?? '');
  if (!type) throw new FeatureProblem('no objekttypenavn and nothing else tells the feature type');
  properties.objekttypenavn = type;
  const kommune = properties['arealplanId.kommunenummer'];
  if (kommune !== null && kommune !== undefined && /^\d{1,3}$/.test(String(kommune).trim())) {
    properties['arealplanId.kommunenummer'] = String(kommune).trim().padStart(4, '0');
  }
  let geometry: PlanFeature['geometry'] = null;
  if (input.geometry !== null && input.geometry !== undefined) {
    const normalized = normalizeGeometry(input.geometry, input.crs);
    normalized.notes.forEach(note);
    geometry = normalized.geometry;
  }
  return { objekttypenavn: type, properties, geometry };
}
