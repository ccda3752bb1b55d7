import { Readable } from 'node:stream';
import type { BBox } from '../../domain/geometry.js';
import type { ConstraintLayerFeature } from '../../domain/kommune.js';
import { FeatureProblem, FormatError } from '../files/format-error.js';
import { flattenGmlFeature } from '../files/gml/flatten.js';
import { readGmlGeometry } from '../files/gml/geometry.js';
import { chooseGeometry } from '../files/gml/plan-gml.js';
import { streamGmlFeatures } from '../files/gml/xml-stream.js';
import { resolveSourceCrs, type SourceCrs } from '../files/source-crs.js';
import { numberOrNull } from '../wfs/wfs-paging.js';
import { areaWithin } from './layer-answer.js';

export interface LayerGmlPage {
  features: ConstraintLayerFeature[];
  /** `wfs:member`s in the answer, usable or not (paging counts them). */
  members: number;
  skipped: number;
  numberMatched: number | null;
}

/**
 * One WFS 2.0 GetFeature answer in GML 3.2 (deegree's default, Geonorge's `wfs.*` services): each
 * member's area (`område` when it has one) in EPSG:25833 with its simple properties under their
 * local names (`støysonekategori`). Fails, as the GeoJSON reader does, on an HTML page, an OWS
 * exception, a truncated document, a geometry in a CRS other than `expected`, or features outside
 * the box asked for.
 */
export async function readLayerGml(text: string, expected: SourceCrs, box25833: BBox): Promise<LayerGmlPage> {
  const features: ConstraintLayerFeature[] = [];
  let skipped = 0;
  const summary = await streamGmlFeatures(Readable.from([text]), (element, context) => {
    const flat = flattenGmlFeature(element);
    const chosen = chooseGeometry(flat.geometries);
    let raw: ReturnType<typeof readGmlGeometry> | null = null;
    try {
      raw = chosen ? readGmlGeometry(chosen, context.collectionSrsName) : null;
    } catch (error) {
      if (!(error instanceof FeatureProblem)) throw error;
    }
    if (!raw) {
      skipped += 1;
      return;
    }
    const crs = raw.srsName ? resolveSourceCrs(raw.srsName) : expected;
    if (crs?.epsg !== expected.epsg)
      throw new FormatError(
        'unexpected-crs',
        `member #${context.index + 1} is in ${raw.srsName}, asked for EPSG:${expected.epsg}`,
      );
    const geometry = areaWithin(raw.geometry, crs, box25833, context.index);
    if (!geometry) skipped += 1;
    else features.push({ geometry, properties: flat.properties });
  });
  return { features, members: summary.features, skipped, numberMatched: numberOrNull(summary.numberMatched) };
}
