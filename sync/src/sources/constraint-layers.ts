import type { ExtraLayerRule } from '../config/lot-score-rules.js';
import type { ConstraintLayerFeature, ExtraLayerFeatures, KommuneData } from '../domain/kommune.js';
import { bboxOf } from '../geo/crs.js';
import { messageOf } from '../util/errors.js';
import { readPlanFeatures } from './files/index.js';
import type { SourceRegistry } from './source-registry.js';

export interface LoadedExtraLayers {
  layers: ExtraLayerFeatures[];
  /** Layers that could not be read: the kommune's lots are scored without them, and the run says so. */
  problems: string[];
}

/**
 * The extra constraint layers configured for a kommune (rule file `lotScore.constraints.extraLayers`):
 * a file (GeoJSON, GML or GeoPackage; `{kommunenummer}` in the path is replaced) or a WFS typeName
 * fetched within the kommune's bounding box. Reprojected to EPSG:25833 like every source.
 */
export async function loadExtraLayers(
  data: KommuneData,
  rules: readonly ExtraLayerRule[],
  registry: Pick<SourceRegistry, 'constraintLayer'>,
): Promise<LoadedExtraLayers> {
  const kommunenummer = data.kommune.kommunenummer;
  const layers: ExtraLayerFeatures[] = [];
  const problems: string[] = [];
  for (const rule of rules) {
    try {
      layers.push({ name: rule.name, features: await featuresOf(rule, data, registry) });
    } catch (error) {
      problems.push(`Kommune ${kommunenummer}: extra layer "${rule.name}" not used: ${messageOf(error)}`);
    }
  }
  return { layers, problems };
}

async function featuresOf(
  rule: ExtraLayerRule,
  data: KommuneData,
  registry: Pick<SourceRegistry, 'constraintLayer'>,
): Promise<ConstraintLayerFeature[]> {
  const kommunenummer = data.kommune.kommunenummer;
  if ('file' in rule.source) {
    const read = await readPlanFeatures(rule.source.file.replaceAll('{kommunenummer}', kommunenummer), {
      featureType: rule.name,
    });
    const wanted = rule.source.layer;
    return wanted ? read.filter((f) => f.objekttypenavn === wanted) : read;
  }
  const area = data.boundary ?? data.kommuneplan.find((f) => f.geometry)?.geometry;
  if (!area) throw new Error('the kommune has no boundary to fetch the layer within');
  const wfs = registry.constraintLayer(rule.name, {
    url: rule.source.wfs,
    typeName: rule.source.typeName,
    epsg: rule.source.epsg,
  });
  return (await wfs.fetchWithin(bboxOf(area), kommunenummer)).features;
}
