import type { Parcel } from '../../../domain/parcel.js';
import { FeatureCollector } from '../feature-collector.js';
import { FeatureProblem, FormatError } from '../format-error.js';
import { toParcel } from '../parcel-feature.js';
import type { ReadOptions } from '../read-options.js';
import { resolveSourceCrs } from '../source-crs.js';
import { flattenGmlFeature } from './flatten.js';
import { readGmlGeometry } from './geometry.js';
import { chooseGeometry } from './plan-gml.js';
import { scanTeigPage } from './teig-page-scan.js';
import { encodingOf, streamGmlFeatures, type GmlStreamSummary } from './xml-stream.js';

/** A document up to this size is read whole, so a teig page can be scanned; a larger one streams. */
const WHOLE_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * Parcels from teig GML as `readParcelGml` reads them; a document that fits in memory is scanned by
 * `scanTeigPage` first (several times faster on the teig WFS's pages), a larger one streams.
 */
export async function readParcelGmlInput(
  chunks: AsyncIterable<Uint8Array | string>,
  file: string,
  options: ReadOptions,
): Promise<{ parcels: Parcel[]; summary: GmlStreamSummary }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done)
      return readParcelGmlDocument(head.length === 1 ? head[0]! : Buffer.concat(head), file, options);
    const value = next.value;
    const chunk = Buffer.isBuffer(value)
      ? value
      : typeof value === 'string'
        ? Buffer.from(value)
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    head.push(chunk);
    size += chunk.length;
    if (size > WHOLE_DOCUMENT_BYTES) return readParcelGml(joined(head, iterator), file, options);
  }
}

async function* joined(head: Buffer[], rest: AsyncIterator<Uint8Array | string>) {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** One whole document (a WFS response, a page file). */
export async function readParcelGmlDocument(
  bytes: Uint8Array,
  file: string,
  options: ReadOptions,
): Promise<{ parcels: Parcel[]; summary: GmlStreamSummary }> {
  const text = new TextDecoder(encodingOf(bytes)).decode(bytes);
  return scanTeigPage(text, file, options) ?? readParcelGml([text], file, options);
}

/**
 * Parcels from the teig WFS's GML 3.2.1 (`app:Teig`, one or many pages, also concatenated in one
 * file): `identTeig/IdentTeig/teigId`, `matrikkelnummerTekst`, every `matrikkelenhet/Matrikkelenhet`,
 * `teigareal/Areal/lagretBeregnetAreal`, the `område` polygon (not the representasjonspunkt).
 * `file` names the document in warnings (a path or a URL).
 */
export async function readParcelGml(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<string>,
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
