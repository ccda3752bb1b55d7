import type { ConstraintLayerFeature } from '../../domain/kommune.js';
import { isAreaGeometry } from '../../domain/geometry.js';
import { readPlanFeatures } from '../files/index.js';
import { propertyOf } from './catalogue.js';

/**
 * Farmland from a FKB-AR5 file the customer licenses (GeoJSON, GML or GeoPackage): the areas whose
 * arealtype (`arealtype`, `artype` or SOSI `ARTYPE`) is one of `arealtyper` (21 fulldyrka,
 * 22 overflatedyrka, 23 innmarksbeite).
 */
export async function loadAr5File(
  file: string,
  arealtyper: readonly number[],
): Promise<ConstraintLayerFeature[]> {
  const features = await readPlanFeatures(file, { featureType: 'AR5' });
  return features
    .filter((f) => isAreaGeometry(f.geometry))
    .filter((f) => arealtyper.includes(Number(propertyOf(f.properties, 'arealtype', 'artype'))))
    .map((f) => ({ geometry: f.geometry, properties: f.properties }));
}
