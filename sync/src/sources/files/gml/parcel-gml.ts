import type { Parcel } from '../../../domain/parcel.js';
import { FeatureCollector } from '../feature-collector.js';
import { FeatureProblem, FormatError } from '../format-error.js';
import { toParcel } from '../parcel-feature.js';
import type { ReadOptions } from '../read-options.js';
import { resolveSourceCrs } from '../source-crs.js';
import { flattenGmlFeature } from './flatten.js';
import { readGmlGeometry } from './geometry.js';
import { chooseGeometry } from './plan-gml.js';
import { streamGmlFeatures, type GmlStreamSummary } from './xml-stream.js';

/**
 * Parcels from the teig WFS's GML 3.2.1 (`app:Teig`, one or many pages, also concatenated in one
 * file): `identTeig/IdentTeig/teigId`, `matrikkelnummerTekst`, every `matrikkelenhet/Matrikkelenhet`,
 * `teigareal/Areal/lagretBeregnetAreal`, the `område` polygon (not the representasjonspunkt).
 * `file` names the document in warnings (a path or a URL).
 */
export async function readParcelGml(
  chunks: AsyncIterable<Uint8Array | string>,
  file: string,
  options: ReadOptions,
): Promise<{ parcels: Parcel[]; summary: GmlStreamSummary }> {
  const collector = new FeatureCollector<Parcel>(file, options);
  const summary = await streamGmlFeatures(chunks, (element, context) => {
    const flat = flattenGmlFeature(element);
    const label = flat.gmlId ? `gml:id ${flat.gmlId}` : `feature #${context.index + 1}`;
    collector.add(label, (note) => {
      const chosen = chooseGeometry(flat.geometries);
      if (!chosen) throw new FeatureProblem('no geometry');
      const raw = readGmlGeometry(chosen, context.collectionSrsName ?? options.defaultCrs ?? null);
      const crs = resolveSourceCrs(raw.srsName);
      if (!crs) {
        throw new FormatError(
          'unexpected-crs',
          `${label}: ${raw.srsName ? `unknown or unsupported CRS "${raw.srsName}"` : 'the geometry names no srsName (unknown CRS)'}`,
        );
      }
      const properties = flat.properties;
      return toParcel(
        {
          properties,
          matrikkelenheter: flat.groups.matrikkelenhet,
          geometry: raw.geometry,
          crs,
          fallbackId: flat.gmlId,
        },
        note,
      );
    });
  });
  return { parcels: collector.finish(), summary };
}
