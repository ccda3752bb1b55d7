import type { PlanFeature } from '../../domain/plan.js';
import { FeatureCollector } from './feature-collector.js';
import { FeatureProblem } from './format-error.js';
import { parseGeoJson } from './geojson.js';
import { readPlanGml } from './gml/plan-gml.js';
import { readGpkgRows } from './gpkg.js';
import { openInputs, type InputEntry } from './input-files.js';
import { toPlanFeature } from './plan-feature.js';
import { planFeaturesFromGeoJson } from './plan-geojson.js';
import type { ReadOptions } from './read-options.js';
import { asInputError, readAll } from './read-text.js';
import { canonicalTypeName } from './sosi-names.js';

/**
 * Reads plan features (kommuneplan or reguleringsplan) from a file, a folder, a `.zip` or a `.gz`:
 * NAP GeoJSON, SOSI-GML (NAP file production and SOSI 5.0) and GeoPackage. Geometry comes out in
 * EPSG:25833, properties under NAP's flat dotted names, `objekttypenavn` as the SOSI type name.
 * Unusable single features are skipped and reported through `options.onWarning`; a document that
 * cannot be read as a whole throws InputError naming the file (and the feature where one is to blame).
 */
export async function readPlanFeatures(path: string, options: ReadOptions = {}): Promise<PlanFeature[]> {
  const inputs = await openInputs(path);
  try {
    const features: PlanFeature[] = [];
    for (const entry of inputs.entries) {
      for (const feature of await readEntry(entry, options)) features.push(feature);
    }
    return features;
  } finally {
    await inputs.close();
  }
}

async function readEntry(entry: InputEntry, options: ReadOptions): Promise<PlanFeature[]> {
  try {
    switch (entry.format) {
      case 'gml':
        return (await readPlanGml(await entry.open(), entry.name, options)).features;
      case 'geojson': {
        const document = parseGeoJson((await readAll(await entry.open())).toString('utf8'));
        return planFeaturesFromGeoJson(document, entry.name, options, entry.stem);
      }
      case 'gpkg':
        return planFeaturesFromGpkg(await entry.localFile(), entry.name, options);
    }
  } catch (error) {
    throw asInputError(error, entry.name);
  }
}

function planFeaturesFromGpkg(file: string, name: string, options: ReadOptions): PlanFeature[] {
  const collector = new FeatureCollector<PlanFeature>(name, options);
  for (const row of readGpkgRows(file)) {
    collector.add(`${row.layer.table} fid ${row.fid ?? row.index + 1}`, (note) => {
      if (row.geometry instanceof FeatureProblem) throw row.geometry;
      return toPlanFeature(
        {
          properties: row.properties,
          geometry: row.geometry,
          crs: row.layer.crs,
          typeHint: canonicalTypeName(row.layer.table),
        },
        note,
      );
    });
  }
  return collector.finish();
}
