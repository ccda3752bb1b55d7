import type { PlanFeature } from '../../domain/plan.js';
import { FeatureCollector } from './feature-collector.js';
import { FeatureProblem } from './format-error.js';
import type { GeoJsonDocument } from './geojson.js';
import { toPlanFeature } from './plan-feature.js';
import type { ReadOptions } from './read-options.js';
import { canonicalTypeName, isKnownTypeName } from './sosi-names.js';

/**
 * Plan features of a parsed GeoJSON document (a file, a NAP OGC API page, a GetFeatureInfo
 * answer). The type comes from `objekttypenavn`, else from a GeoServer feature id
 * (`rparealformalomrade_vn1.fid-…`), else from `typeHint` (file or collection name) when that is a
 * SOSI type name, else from `options.featureType` (layers that are not plans, e.g. NVE flood zones).
 */
export function planFeaturesFromGeoJson(
  document: GeoJsonDocument,
  file: string,
  options: ReadOptions,
  typeHint: string | null = null,
): PlanFeature[] {
  const fallbackType = typeHint && isKnownTypeName(typeHint) ? canonicalTypeName(typeHint) : null;
  const collector = new FeatureCollector<PlanFeature>(file, options);
  for (const entry of document.features) {
    collector.add(`feature #${entry.index + 1}`, (note) => {
      if (entry.invalid) throw new FeatureProblem(entry.invalid);
      const fromId = typeof entry.id === 'string' ? canonicalTypeName(entry.id) : null;
      const idType = fromId && isKnownTypeName(fromId) ? fromId : null;
      return toPlanFeature(
        {
          properties: entry.properties,
          geometry: entry.geometry,
          crs: document.crs,
          typeHint: idType ?? fallbackType ?? options.featureType ?? null,
        },
        note,
      );
    });
  }
  return collector.finish();
}
