import { Readable } from 'node:stream';
import type { AreaGeometry } from '../../domain/geometry.js';
import type { Tettsted } from '../../domain/tettsted.js';
import { mapPositions } from '../../geo/crs.js';
import { FeatureProblem, FormatError } from '../files/format-error.js';
import { flattenGmlFeature } from '../files/gml/flatten.js';
import { readGmlGeometry } from '../files/gml/geometry.js';
import { chooseGeometry } from '../files/gml/plan-gml.js';
import { streamGmlFeatures } from '../files/gml/xml-stream.js';
import { resolveSourceCrs, toInternalTransform } from '../files/source-crs.js';

/**
 * SSB's tettsteder as its MapServer WFS answers GetFeature (`ms:tettsted_<year>`, GML 3.2,
 * `wfs:member` each): `tett_nr`, `tettstedsnavn`, `befolkning_tettsted` and the area, in the
 * srsName it names (EPSG:4326 as urn: latitude first). Shape from two public clients of the
 * service (notes in docs/lot-score.md); the service gives no kommune number, as tettsteder cross
 * kommune borders. A member without a number, name, population or area fails the answer by name.
 */
export async function parseTettstedGml(
  body: Buffer | string,
): Promise<{ tettsteder: Tettsted[]; members: number }> {
  const tettsteder: Tettsted[] = [];
  const summary = await streamGmlFeatures(Readable.from([body]), (element, context) => {
    const flat = flattenGmlFeature(element);
    const label = flat.gmlId ? `gml:id ${flat.gmlId}` : `member #${context.index + 1}`;
    const { tett_nr: nr, tettstedsnavn: name, befolkning_tettsted: population } = flat.properties;
    if (nr === undefined || nr === null || typeof name !== 'string' || !name)
      throw new FormatError('malformed', `${label}: no tett_nr or tettstedsnavn`);
    const residents = Number(population);
    if (population === null || population === undefined || !Number.isFinite(residents))
      throw new FormatError('malformed', `${label}: befolkning_tettsted is not a number`);
    tettsteder.push({
      nr: String(nr),
      name,
      population: residents,
      area: areaOf(flat, label, context.collectionSrsName),
    });
  });
  return { tettsteder, members: summary.features };
}

function areaOf(
  flat: ReturnType<typeof flattenGmlFeature>,
  label: string,
  collectionSrsName: string | null,
): AreaGeometry {
  const chosen = chooseGeometry(flat.geometries);
  if (!chosen) throw new FormatError('malformed', `${label}: no geometry`);
  let raw;
  try {
    raw = readGmlGeometry(chosen, collectionSrsName);
  } catch (error) {
    if (error instanceof FeatureProblem) throw new FormatError('malformed', `${label}: ${error.message}`);
    throw error;
  }
  const crs = resolveSourceCrs(raw.srsName);
  if (!crs)
    throw new FormatError('unexpected-crs', `${label}: unknown CRS "${raw.srsName ?? '(none named)'}"`);
  const { geometry } = raw;
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')
    throw new FormatError('malformed', `${label}: a ${geometry.type}, not an area`);
  return mapPositions(geometry as AreaGeometry, toInternalTransform(crs));
}
