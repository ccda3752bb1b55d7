import { isAreaGeometry, type Position } from '../../../domain/geometry.js';
import type { Parcel } from '../../../domain/parcel.js';
import { FeatureCollector } from '../feature-collector.js';
import { FeatureProblem } from '../format-error.js';
import { normalizeGeometry } from '../normalize-geometry.js';
import { matrikkelnummerOf, PARCEL_FIELD_NAMES } from '../parcel-feature.js';
import type { ReadOptions } from '../read-options.js';
import { foldName } from '../sosi-names.js';
import { resolveSourceCrs, type SourceCrs } from '../source-crs.js';
import { Attributes, Declined, TagCursor, type Tag } from './tag-cursor.js';
import type { GmlStreamSummary } from './xml-stream.js';

const WFS_NS = 'http://www.opengis.net/wfs/2.0';
const GML_NS = 'http://www.opengis.net/gml/3.2';

/**
 * The folded names `toParcel` looks a teig's fields up by. A property read past here whose name
 * folds to one of them (or begins one) could be what the generic reader picks: Declined.
 */
const PICKED: readonly string[] = Object.values(PARCEL_FIELD_NAMES).flat();

/**
 * The fields of one `app:Teig` that make a Parcel: the first occurrence of each (undefined until
 * seen, null when empty), as the generic reader keeps it. Wrapped values by folded name.
 */
interface TeigFields {
  gmlId: string | null;
  teigId?: string | null;
  kommunenummer?: string | null;
  matrikkelnummertekst?: string | null;
  areal?: string | null;
  units: Array<Map<string, string | null>>;
  polygon?: { rings: Position[][]; srsName: string | null };
}

/**
 * One teig WFS page (GML 3.2.1 `wfs:FeatureCollection` of `app:Teig`) read by jumping from tag to
 * tag. Why: the generic reader (saxes, an element tree per feature, flattening, folding) spent
 * about 5 s of CPU on the 74,454 teiger of the bench kommune, most of a night's reading stage;
 * a teig has a few fields and one polygon, and the page is mostly coordinates.
 *
 * Only a page in the shape the teig WFS serves is read here, each teig with its teigId,
 * kommunenummer, matrikkelnummerTekst, stored area, the first Matrikkelenhet's id and a Polygon
 * of LinearRing posLists. For anything else (another feature type or geometry, xlink, nil,
 * boundedBy, several documents, a teig that the generic reader would skip or repair with a
 * warning, XML this cursor does not read) it returns null and the caller reads the page with
 * `readParcelGml`, so the parcels, warnings and errors are always the generic reader's (a test
 * compares both on the real and the bench pages).
 */
export function scanTeigPage(
  text: string,
  file: string,
  options: ReadOptions,
): { parcels: Parcel[]; summary: GmlStreamSummary } | null {
  try {
    return readPage(new TagCursor(text), file, options);
  } catch (error) {
    if (error instanceof Declined) return null;
    throw error;
  }
}

function readPage(cursor: TagCursor, file: string, options: ReadOptions) {
  skipProlog(cursor);
  const root = cursor.nextTag();
  const rootAttributes = Attributes.of(root);
  const wfsPrefix = prefixFor(rootAttributes, WFS_NS);
  const gmlPrefix = prefixFor(rootAttributes, GML_NS);
  if (root.local !== 'FeatureCollection' || root.prefix !== wfsPrefix || root.selfClosing)
    throw new Declined('not a WFS 2.0 FeatureCollection');
  cursor.bound = new Set(['xml', ...rootAttributes.declaredPrefixes()]);
  if (!rootAttributes.prefixes().every((p) => cursor.bound!.has(p))) throw new Declined('an unbound prefix');
  const collector = new FeatureCollector<Parcel>(file, options);
  let features = 0;
  for (let tag = cursor.nextTag(); !ends(root, tag); tag = cursor.nextTag()) {
    if (!isPlainOpen(tag, wfsPrefix, 'member')) throw new Declined(`<${tag.local}> in the collection`);
    const fields = readTeig(cursor, cursor.nextTag(), gmlPrefix, rootAttributes);
    cursor.close(tag);
    const label = fields.gmlId ? `gml:id ${fields.gmlId}` : `feature #${features + 1}`;
    features += 1;
    collector.add(label, () => parcelOf(fields, options));
  }
  cursor.skipSpace();
  if (cursor.at < cursor.text.length) throw new Declined('more than one document');
  const summary: GmlStreamSummary = {
    root: 'FeatureCollection',
    documents: 1,
    features,
    numberReturned: rootAttributes.get('numberReturned') ?? null,
    numberMatched: rootAttributes.get('numberMatched') ?? null,
  };
  return { parcels: collector.finish(), summary };
}

const XML_DECLARATION =
  /^<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/;

/** An opening tag `<prefix:local>` with content and without attributes. */
function isPlainOpen(tag: Tag, prefix: string, local: string): boolean {
  return (
    !tag.closing &&
    !tag.selfClosing &&
    tag.prefix === prefix &&
    tag.local === local &&
    Attributes.of(tag).size === 0
  );
}

/** Whether `tag` closes `open`; Declined when it closes another element (saxes: "unexpected close tag"). */
function ends(open: Tag, tag: Tag): boolean {
  if (!tag.closing) return false;
  if (tag.name !== open.name) throw new Declined(`</${tag.name}> inside <${open.name}>`);
  return true;
}

function skipProlog(cursor: TagCursor): void {
  const text = cursor.text;
  cursor.at = /^[\s\uFEFF]*/.exec(text)![0].length;
  if (text.startsWith('<?', cursor.at)) {
    const declaration = XML_DECLARATION.exec(text.slice(cursor.at, cursor.at + 200));
    if (!declaration) throw new Declined('an XML declaration it does not read');
    cursor.at += declaration[0].length;
  }
  if (text.includes('<![CDATA[') || text.includes('<!DOCTYPE') || text.includes(']]>'))
    throw new Declined('CDATA or a DTD');
  // eslint-disable-next-line no-control-regex -- characters XML does not allow, which saxes refuses
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(text))
    throw new Declined('a character XML does not allow');
}

function prefixFor(attributes: Attributes, uri: string): string {
  for (const prefix of uri === WFS_NS ? ['wfs', ''] : ['gml']) {
    if (attributes.namespace(prefix) === uri) return prefix;
  }
  throw new Declined(`no prefix for ${uri} on the root`);
}

function readTeig(cursor: TagCursor, open: Tag, gmlPrefix: string, root: Attributes): TeigFields {
  const attributes = Attributes.of(open);
  if (open.local !== 'Teig' || open.selfClosing || !attributes.only('id')) throw new Declined('not a Teig');
  const app = open.prefix;
  if (
    app === gmlPrefix ||
    attributes.namespace(gmlPrefix) !== undefined ||
    !(attributes.namespace(app) ?? root.namespace(app))
  )
    throw new Declined('the Teig namespace is not declared');
  const fields: TeigFields = { gmlId: attributes.get('id') ?? null, units: [] };
  const bound = cursor.bound!;
  const scoped = attributes.declaredPrefixes().filter((p) => !bound.has(p));
  scoped.forEach((p) => bound.add(p));
  for (let tag = cursor.nextTag(); !ends(open, tag); tag = cursor.nextTag()) {
    if (tag.prefix !== app || Attributes.of(tag).size > 0)
      throw new Declined(`<${tag.local}> with attributes or from another namespace`);
    readProperty(cursor, tag, fields, gmlPrefix);
  }
  scoped.forEach((p) => bound.delete(p));
  return fields;
}

function readProperty(cursor: TagCursor, tag: Tag, fields: TeigFields, gmlPrefix: string): void {
  switch (tag.local) {
    case 'identTeig':
      return wrapped(cursor, tag, 'IdentTeig', (values) => {
        if (fields.teigId === undefined) fields.teigId = values.get('teigid');
      });
    case 'teigareal':
      return wrapped(cursor, tag, 'Areal', (values) => {
        if (fields.areal === undefined) fields.areal = values.get('lagretberegnetareal');
      });
    case 'matrikkelenhet':
      return wrapped(cursor, tag, 'Matrikkelenhet', (values) => fields.units.push(values));
    case 'område':
      if (fields.polygon || tag.selfClosing) throw new Declined('two område or an empty one');
      fields.polygon = readPolygon(cursor, cursor.nextTag(), gmlPrefix);
      return cursor.close(tag);
    case 'kommunenummer':
    case 'matrikkelnummerTekst': {
      const value = cursor.leafText(tag);
      if (value === undefined) throw new Declined(`a structured <${tag.local}>`);
      if (tag.local === 'kommunenummer') {
        if (fields.kommunenummer === undefined) fields.kommunenummer = value;
      } else if (fields.matrikkelnummertekst === undefined) fields.matrikkelnummertekst = value;
      return;
    }
    default: {
      const folded = foldName(tag.local);
      if (PICKED.some((key) => key.startsWith(folded))) throw new Declined(`<${tag.local}> may be a field`);
      cursor.skipElement(tag);
    }
  }
}

/** `<identTeig><IdentTeig><teigId>…</teigId>…</IdentTeig></identTeig>`: the wrapper's text children. */
function wrapped(
  cursor: TagCursor,
  property: Tag,
  type: string,
  use: (values: Map<string, string | null>) => void,
): void {
  const wrapper = property.selfClosing ? null : cursor.nextTag();
  if (!wrapper || !isPlainOpen(wrapper, property.prefix, type))
    throw new Declined(`<${property.local}> without <${type}>`);
  const values = new Map<string, string | null>();
  for (let tag = cursor.nextTag(); !ends(wrapper, tag); tag = cursor.nextTag()) {
    if (tag.prefix !== property.prefix || Attributes.of(tag).size > 0)
      throw new Declined(`<${tag.local}> in <${type}>`);
    const value = cursor.leafText(tag);
    if (value === undefined) throw new Declined(`a structured <${tag.local}> in <${type}>`);
    const key = foldName(tag.local);
    if (!values.has(key)) values.set(key, value);
  }
  cursor.close(property);
  use(values);
}

function readPolygon(
  cursor: TagCursor,
  open: Tag,
  gml: string,
): { rings: Position[][]; srsName: string | null } {
  const attributes = Attributes.of(open);
  if (
    open.local !== 'Polygon' ||
    open.prefix !== gml ||
    open.selfClosing ||
    !attributes.only('id', 'srsName')
  )
    throw new Declined('a geometry other than a gml:Polygon');
  const rings: Position[][] = [];
  for (let tag = cursor.nextTag(); !ends(open, tag); tag = cursor.nextTag()) {
    if (!isPlainOpen(tag, gml, rings.length === 0 ? 'exterior' : 'interior'))
      throw new Declined(`<${tag.local}> in a Polygon`);
    const ring = cursor.nextTag();
    if (!isPlainOpen(ring, gml, 'LinearRing')) throw new Declined('a ring other than a LinearRing');
    const posList = cursor.nextTag();
    if (!isPlainOpen(posList, gml, 'posList')) throw new Declined('a LinearRing without a posList');
    rings.push(positionsOf(cursor.leafText(posList)));
    cursor.close(ring);
    cursor.close(tag);
  }
  if (rings.length === 0) throw new Declined('a Polygon without exterior');
  return { rings, srsName: attributes.get('srsName') ?? null };
}

function positionsOf(text: string | null | undefined): Position[] {
  if (typeof text !== 'string') throw new Declined('an empty posList');
  const parts = text.split(/\s+/);
  if (parts.length % 2 !== 0) throw new Declined('an odd posList');
  const positions: Position[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const x = Number(parts[i]);
    const y = Number(parts[i + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Declined('a posList that is not numbers');
    positions.push([x, y]);
  }
  return positions;
}

/**
 * The Parcel `toParcel` makes of these fields when all of them are there; when one is missing,
 * empty or not a number, or the geometry needs a repair, the generic reader decides (Declined).
 */
function parcelOf(fields: TeigFields, options: ReadOptions): Parcel {
  const { teigId, kommunenummer: rawKommune, matrikkelnummertekst, areal, polygon } = fields;
  const first = fields.units[0];
  const matrikkelenhetId = first?.get('matrikkelenhetid');
  const lagretArealM2 = areal ? Number(areal) : NaN;
  if (
    !teigId ||
    !rawKommune ||
    !matrikkelnummertekst ||
    !matrikkelenhetId ||
    !Number.isFinite(lagretArealM2) ||
    !polygon
  )
    throw new Declined('a teig field the generic reader looks for elsewhere');
  const kommunenummer = rawKommune.padStart(4, '0');
  const matrikkelenheter = fields.units.flatMap((unit) => matrikkelnummerOf(unit, kommunenummer) ?? []);
  if (matrikkelenheter.length === 0) throw new Declined('no matrikkelenhet with gnr and bnr');
  const crs = resolveSourceCrs(polygon.srsName ?? options.defaultCrs ?? null);
  if (!crs) throw new Declined('a CRS the generic reader reports');
  const normalized = normalize(polygon.rings, crs);
  return {
    teigId,
    kommunenummer,
    matrikkelnummertekst,
    matrikkelenheter,
    matrikkelenhetId,
    lagretArealM2,
    geometry: normalized,
  };
}

function normalize(rings: Position[][], crs: SourceCrs) {
  try {
    const { geometry, notes } = normalizeGeometry({ type: 'Polygon', coordinates: rings }, crs);
    if (notes.length > 0 || !isAreaGeometry(geometry))
      throw new Declined('a geometry the generic reader repairs');
    return geometry;
  } catch (error) {
    if (error instanceof FeatureProblem) throw new Declined(error.message);
    throw error;
  }
}
