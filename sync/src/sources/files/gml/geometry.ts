import type { Position } from '../../../domain/geometry.js';
import { FeatureProblem } from '../format-error.js';
import { resolveSourceCrs } from '../source-crs.js';
import { densifyArc, densifyCircle } from './arcs.js';
import { childNamed, type XmlElement } from './xml-stream.js';

/** A GML geometry as GeoJSON-shaped arrays, still in its own CRS and axis order. */
export interface RawGmlGeometry {
  geometry: { type: string; coordinates: unknown };
  srsName: string | null;
}

interface Context {
  srsName: string | null;
  dimension: number | null;
}

/** Greatest distance a densified arc may stray from the true arc: 1 cm, or ~1 cm in degrees. */
const ARC_TOLERANCE_METRES = 0.01;
const ARC_TOLERANCE_DEGREES = 1e-7;

/**
 * Reads a GML 3.2 geometry element (Point, LineString, Curve with LineStringSegment/Arc/ArcString/
 * Circle, Polygon with LinearRing or Ring, Surface/PolygonPatch, MultiSurface, MultiCurve,
 * MultiPoint, Composite* and Orientable*, and the GML 2 MultiPolygon/outerBoundaryIs/coordinates).
 * `srsName` and `srsDimension` are inherited from enclosing elements and, failing that, from the
 * collection's envelope. Throws FeatureProblem for what it cannot read.
 */
export function readGmlGeometry(node: XmlElement, inheritedSrsName: string | null): RawGmlGeometry {
  const context = enter(node, { srsName: inheritedSrsName, dimension: null });
  const epsg = resolveSourceCrs(context.srsName)?.epsg;
  const tolerance = epsg === 4258 || epsg === 4326 ? ARC_TOLERANCE_DEGREES : ARC_TOLERANCE_METRES;
  const reader = new GeometryReader(tolerance);
  const geometry = reader.geometry(node, context);
  return { geometry, srsName: reader.srsName ?? context.srsName };
}

function enter(node: XmlElement, context: Context): Context {
  const srsName = node.attrs.srsName ?? null;
  const dimension = node.attrs.srsDimension ? Number(node.attrs.srsDimension) : null;
  if (!srsName && !dimension) return context;
  return { srsName: srsName ?? context.srsName, dimension: dimension ?? context.dimension };
}

function elements(node: XmlElement): XmlElement[] {
  return node.children;
}

function only(node: XmlElement, what: string): XmlElement {
  const child = node.children[0];
  if (!child) throw new FeatureProblem(`empty <${node.local}> (expected ${what})`);
  return child;
}

class GeometryReader {
  srsName: string | null = null;
  constructor(private readonly tolerance: number) {}

  private check(context: Context): void {
    if (!context.srsName) return;
    if (this.srsName && this.srsName !== context.srsName) {
      throw new FeatureProblem(`one geometry mixes srsName ${this.srsName} and ${context.srsName}`);
    }
    this.srsName = context.srsName;
  }

  geometry(node: XmlElement, parent: Context): { type: string; coordinates: unknown } {
    const context = enter(node, parent);
    this.check(context);
    switch (node.local) {
      case 'Point':
        return { type: 'Point', coordinates: this.point(node, context) };
      case 'MultiPoint':
        return {
          type: 'MultiPoint',
          coordinates: this.members(node, context, 'point').map((m) => this.point(m.node, m.context)),
        };
      case 'LineString':
      case 'Curve':
      case 'OrientableCurve':
      case 'CompositeCurve':
      case 'LineStringSegment':
        return { type: 'LineString', coordinates: this.curve(node, context) };
      case 'MultiCurve':
      case 'MultiLineString':
        return {
          type: 'MultiLineString',
          coordinates: this.members(node, context, 'curve', 'lineString').map((m) =>
            this.curve(m.node, m.context),
          ),
        };
      case 'Polygon':
      case 'PolygonPatch':
      case 'Surface':
      case 'OrientableSurface': {
        const polygons = this.surface(node, context);
        return polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0] }
          : { type: 'MultiPolygon', coordinates: polygons };
      }
      case 'MultiSurface':
      case 'MultiPolygon':
      case 'CompositeSurface':
        return { type: 'MultiPolygon', coordinates: this.surface(node, context) };
      default:
        throw new FeatureProblem(`unsupported geometry <${node.local}>`);
    }
  }

  /** Member elements of a multi-geometry: `<x>Member>` (one each) and `<x>Members>` (several). */
  private members(
    node: XmlElement,
    context: Context,
    ...kinds: string[]
  ): Array<{ node: XmlElement; context: Context }> {
    const result: Array<{ node: XmlElement; context: Context }> = [];
    for (const child of elements(node)) {
      const kind = kinds.find((k) => child.local === `${k}Member` || child.local === `${k}Members`);
      if (!kind) continue;
      const inner = enter(child, context);
      for (const member of elements(child)) {
        const memberContext = enter(member, inner);
        this.check(memberContext);
        result.push({ node: member, context: memberContext });
      }
    }
    return result;
  }

  private numbers(text: string, where: string): number[] {
    const parts = text.trim().split(/\s+/).filter(Boolean);
    const values = parts.map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new FeatureProblem(`<${where}> holds "${parts[bad]}", not a number`);
    return values;
  }

  private point(node: XmlElement, context: Context): Position {
    const pos = childNamed(node, 'pos');
    if (pos) return this.single(pos);
    const coordinates = childNamed(node, 'coordinates');
    if (coordinates) {
      const [first] = this.legacyCoordinates(coordinates);
      if (first) return first;
    }
    if (node.local !== 'Point') return this.point(only(node, 'a Point'), enter(node, context));
    throw new FeatureProblem('a Point without <pos>');
  }

  private single(pos: XmlElement): Position {
    const values = this.numbers(pos.text, 'pos');
    if (values.length < 2) throw new FeatureProblem('a <pos> with fewer than 2 numbers');
    return [values[0]!, values[1]!];
  }

  /** Positions of a LineString, LinearRing or segment: posList, pos…, pointProperty or GML 2 coordinates. */
  private positions(node: XmlElement, context: Context): Position[] {
    const posList = childNamed(node, 'posList');
    if (posList) {
      const values = this.numbers(posList.text, 'posList');
      const dimension = Number(
        posList.attrs.srsDimension ?? posList.attrs.dimension ?? context.dimension ?? 2,
      );
      if (!(dimension >= 2) || values.length % dimension !== 0) {
        throw new FeatureProblem(
          `<posList> of ${values.length} numbers does not divide into ${dimension}D positions`,
        );
      }
      const positions: Position[] = [];
      for (let i = 0; i < values.length; i += dimension) positions.push([values[i]!, values[i + 1]!]);
      return positions;
    }
    const coordinates = childNamed(node, 'coordinates');
    if (coordinates) return this.legacyCoordinates(coordinates);
    const positions: Position[] = [];
    for (const child of elements(node)) {
      if (child.local === 'pos') positions.push(this.single(child));
      else if (child.local === 'pointProperty' || child.local === 'pointRep') {
        positions.push(this.point(only(child, 'a Point'), context));
      }
    }
    return positions;
  }

  /** GML 2 `<coordinates decimal="." cs="," ts=" ">x,y x,y</coordinates>`. */
  private legacyCoordinates(node: XmlElement): Position[] {
    const decimal = node.attrs.decimal ?? '.';
    const cs = node.attrs.cs ?? ',';
    const ts = node.attrs.ts ?? ' ';
    const tuples = node.text
      .trim()
      .split(ts === ' ' ? /\s+/ : ts)
      .filter(Boolean);
    return tuples.map((tuple) => {
      const values = tuple.split(cs).map((v) => Number(decimal === '.' ? v : v.split(decimal).join('.')));
      if (values.length < 2 || !Number.isFinite(values[0]) || !Number.isFinite(values[1])) {
        throw new FeatureProblem(`<coordinates> holds "${tuple}", not x${cs}y`);
      }
      return [values[0]!, values[1]!] as Position;
    });
  }

  private curve(node: XmlElement, parent: Context): Position[] {
    const context = enter(node, parent);
    this.check(context);
    switch (node.local) {
      case 'LineString':
      case 'LinearRing':
      case 'LineStringSegment':
        return this.positions(node, context);
      case 'Curve': {
        const segments = childNamed(node, 'segments');
        if (!segments) throw new FeatureProblem('a <Curve> without <segments>');
        return join(elements(segments).map((segment) => this.segment(segment, context)));
      }
      case 'OrientableCurve': {
        const base = childNamed(node, 'baseCurve');
        const positions = this.curve(only(base ?? node, 'a base curve'), enter(base ?? node, context));
        return node.attrs.orientation === '-' ? positions.reverse() : positions;
      }
      case 'CompositeCurve':
        return join(this.members(node, context, 'curve').map((m) => this.curve(m.node, m.context)));
      default:
        throw new FeatureProblem(`unsupported curve <${node.local}>`);
    }
  }

  private segment(node: XmlElement, context: Context): Position[] {
    const positions = this.positions(node, enter(node, context));
    switch (node.local) {
      case 'LineStringSegment':
        return positions;
      case 'Arc':
      case 'ArcString': {
        if (positions.length < 3 || positions.length % 2 === 0) {
          throw new FeatureProblem(`<${node.local}> needs 3, 5, 7 … positions, has ${positions.length}`);
        }
        const parts: Position[][] = [];
        for (let i = 0; i + 2 < positions.length; i += 2) {
          parts.push(densifyArc(positions[i]!, positions[i + 1]!, positions[i + 2]!, this.tolerance));
        }
        return join(parts);
      }
      case 'Circle':
        if (positions.length !== 3) throw new FeatureProblem('<Circle> needs 3 positions');
        return densifyCircle(positions[0]!, positions[1]!, positions[2]!, this.tolerance);
      default:
        throw new FeatureProblem(`unsupported curve segment <${node.local}>`);
    }
  }

  /** A ring from `exterior`/`interior` (or GML 2 `outerBoundaryIs`/`innerBoundaryIs`). */
  private ring(boundary: XmlElement, parent: Context): Position[] {
    const context = enter(boundary, parent);
    const ring = only(boundary, 'a LinearRing or Ring');
    if (ring.local === 'LinearRing') return this.curve(ring, context);
    if (ring.local === 'Ring') {
      const ringContext = enter(ring, context);
      return join(this.members(ring, ringContext, 'curve').map((m) => this.curve(m.node, m.context)));
    }
    throw new FeatureProblem(`unsupported ring <${ring.local}>`);
  }

  private polygon(node: XmlElement, context: Context): Position[][] {
    const rings: Position[][] = [];
    const exterior = childNamed(node, 'exterior') ?? childNamed(node, 'outerBoundaryIs');
    if (!exterior) throw new FeatureProblem(`a <${node.local}> without <exterior>`);
    rings.push(this.ring(exterior, context));
    for (const child of elements(node)) {
      if (child.local === 'interior' || child.local === 'innerBoundaryIs')
        rings.push(this.ring(child, context));
    }
    return rings;
  }

  private surface(node: XmlElement, parent: Context): Position[][][] {
    const context = enter(node, parent);
    this.check(context);
    switch (node.local) {
      case 'Polygon':
      case 'PolygonPatch':
        return [this.polygon(node, context)];
      case 'Surface': {
        const patches = childNamed(node, 'patches');
        if (!patches) throw new FeatureProblem('a <Surface> without <patches>');
        return elements(patches).flatMap((patch) => this.surface(patch, context));
      }
      case 'OrientableSurface': {
        const base = childNamed(node, 'baseSurface');
        return this.surface(only(base ?? node, 'a base surface'), enter(base ?? node, context));
      }
      case 'MultiSurface':
      case 'CompositeSurface':
      case 'MultiPolygon':
        return this.members(node, context, 'surface', 'polygon').flatMap((m) =>
          this.surface(m.node, m.context),
        );
      default:
        throw new FeatureProblem(`unsupported surface <${node.local}>`);
    }
  }
}

/** Joins consecutive pieces of one curve, dropping the repeated point where they meet. */
function join(parts: Position[][]): Position[] {
  const result: Position[] = [];
  for (const part of parts) {
    for (const position of part) {
      const last = result[result.length - 1];
      if (last && last[0] === position[0] && last[1] === position[1]) continue;
      result.push(position);
    }
  }
  return result;
}
