import initGeosJs from 'geos-wasm';
import type {
  AnyGeometry,
  AreaGeometry,
  BBox,
  PolygonCoordinates,
  Position,
  Ring,
} from '../domain/geometry.js';

/** A GEOS geometry living in WebAssembly memory. Whoever creates one frees it (`destroy`). */
export type GeomPtr = number & { readonly __geos: 'geometry' };
export type PreparedPtr = number & { readonly __geos: 'prepared' };

export class GeosError extends Error {
  constructor(operation: string, detail: string | null) {
    super(`GEOS ${operation} failed${detail ? `: ${detail}` : ''}`);
    this.name = 'GeosError';
  }
}

const TYPE = {
  point: 0,
  lineString: 1,
  linearRing: 2,
  polygon: 3,
  multiPoint: 4,
  multiLineString: 5,
  multiPolygon: 6,
  collection: 7,
} as const;

export interface BufferOptions {
  join?: 'round' | 'mitre' | 'bevel';
  quadrantSegments?: number;
  mitreLimit?: number;
}

/** The raw C functions this wrapper calls (geos-wasm exposes them as cwrap'd functions). */
type Fn = (...args: number[]) => number;
interface RawGeos {
  Module: {
    _malloc(size: number): number;
    _free(ptr: number): void;
    HEAPF64: Float64Array;
    HEAPU32: Uint32Array;
    getValue(ptr: number, type: string): number;
    UTF8ToString(ptr: number): string;
  };
  [name: string]: unknown;
}

/**
 * A thin, allocation-aware wrapper over GEOS 3.13 compiled to WebAssembly (geos-wasm): the same
 * engine PostGIS runs, with OverlayNG (robust overlay with a precision-grid fallback), MakeValid
 * that keeps both lobes of a self-crossing ring, prepared geometries and buffers with join styles.
 *
 * Coordinates cross the JS/WASM boundary through one reusable scratch buffer (copyFromBuffer /
 * copyToBuffer), never one value at a time. Every method that returns a GeomPtr returns a new
 * geometry the caller owns; `borrow*` results belong to their parent and must not be freed.
 */
export class Geos {
  /** How many overlays needed the precision-grid fallback (reported per run). */
  fallbacks = 0;
  private scratch = 0;
  private scratchDoubles = 0;
  private readonly out: number;
  private lastError: string | null = null;
  private readonly f: Record<string, Fn>;

  private constructor(private readonly raw: RawGeos) {
    this.f = new Proxy({} as Record<string, Fn>, {
      get: (cache, name: string) => {
        const fn = raw[name];
        if (typeof fn !== 'function') throw new Error(`geos-wasm has no function ${name}`);
        return (cache[name] ??= fn as Fn);
      },
    });
    this.out = raw.Module._malloc(16);
  }

  static async create(): Promise<Geos> {
    const holder: { instance?: Geos } = {};
    const raw = (await initGeosJs({
      // Record the message; the call then returns NULL and the wrapper raises GeosError with it.
      errorHandler: (message: string) => {
        if (holder.instance) holder.instance.lastError = message;
      },
      noticeHandler: () => undefined,
    } as Parameters<typeof initGeosJs>[0])) as unknown as RawGeos;
    holder.instance = new Geos(raw);
    return holder.instance;
  }

  // ---------------------------------------------------------------- conversion

  /** Builds a GEOS geometry; open rings are closed, rings with fewer than 3 distinct points dropped. */
  fromGeometry(geometry: AnyGeometry): GeomPtr {
    switch (geometry.type) {
      case 'Polygon':
        return this.polygon(geometry.coordinates) ?? this.emptyPolygon();
      case 'MultiPolygon': {
        const parts = geometry.coordinates
          .map((p) => this.polygon(p))
          .filter((p): p is GeomPtr => p !== null);
        return this.collectionOf(TYPE.multiPolygon, parts);
      }
      case 'Point':
        return this.check(this.f.GEOSGeom_createPointFromXY!(...geometry.coordinates), 'createPoint');
      case 'MultiPoint':
        return this.collectionOf(
          TYPE.multiPoint,
          geometry.coordinates.map((c) =>
            this.check(this.f.GEOSGeom_createPointFromXY!(c[0], c[1]), 'createPoint'),
          ),
        );
      case 'LineString':
        return this.check(
          this.f.GEOSGeom_createLineString!(this.coordSeq(geometry.coordinates)),
          'createLineString',
        );
      case 'MultiLineString':
        return this.collectionOf(
          TYPE.multiLineString,
          geometry.coordinates.map((line) =>
            this.check(this.f.GEOSGeom_createLineString!(this.coordSeq(line)), 'createLineString'),
          ),
        );
    }
  }

  /** The polygonal part of a geometry (from a polygon, multipolygon or mixed collection), or null when none. */
  toAreaGeometry(ptr: GeomPtr): AreaGeometry | null {
    const polygons = this.polygonsOf(ptr);
    if (polygons.length === 0) return null;
    return polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0]! }
      : { type: 'MultiPolygon', coordinates: polygons };
  }

  polygonsOf(ptr: GeomPtr): PolygonCoordinates[] {
    const result: PolygonCoordinates[] = [];
    this.eachPolygon(ptr, (polygon) => result.push(this.polygonCoordinates(polygon)));
    return result;
  }

  /** Calls `fn` with every polygon (borrowed) inside a geometry, depth first. */
  eachPolygon(ptr: GeomPtr, fn: (polygon: GeomPtr) => void): void {
    const type = this.f.GEOSGeomTypeId!(ptr);
    if (type === TYPE.polygon) {
      if (!this.f.GEOSisEmpty!(ptr)) fn(ptr);
    } else if (type === TYPE.multiPolygon || type === TYPE.collection) {
      const n = this.f.GEOSGetNumGeometries!(ptr);
      for (let i = 0; i < n; i++) this.eachPolygon(this.f.GEOSGetGeometryN!(ptr, i) as GeomPtr, fn);
    }
  }

  // ---------------------------------------------------------------- measures and predicates

  area(ptr: GeomPtr): number {
    this.check(this.f.GEOSArea!(ptr, this.out), 'area', true);
    return this.raw.Module.HEAPF64[this.out / 8]!;
  }

  distance(a: GeomPtr, b: GeomPtr): number {
    this.check(this.f.GEOSDistance!(a, b, this.out), 'distance', true);
    return this.raw.Module.HEAPF64[this.out / 8]!;
  }

  isValid(ptr: GeomPtr): boolean {
    const result = this.f.GEOSisValid!(ptr);
    if (result === 2) throw new GeosError('isValid', this.takeError());
    return result === 1;
  }

  isEmpty(ptr: GeomPtr): boolean {
    return this.f.GEOSisEmpty!(ptr) === 1;
  }

  bounds(ptr: GeomPtr): BBox {
    const heap = () => this.raw.Module.HEAPF64[this.out / 8]!;
    this.f.GEOSGeom_getXMin!(ptr, this.out);
    const minX = heap();
    this.f.GEOSGeom_getYMin!(ptr, this.out);
    const minY = heap();
    this.f.GEOSGeom_getXMax!(ptr, this.out);
    const maxX = heap();
    this.f.GEOSGeom_getYMax!(ptr, this.out);
    return [minX, minY, maxX, heap()];
  }

  intersects(a: GeomPtr, b: GeomPtr): boolean {
    return this.predicate(this.f.GEOSIntersects!(a, b), 'intersects');
  }

  // ---------------------------------------------------------------- operations (new geometries)

  /**
   * GEOS MakeValid (the "linework" method PostGIS uses by default): a self-crossing ring keeps both
   * lobes, unlike buffer(0), which drops one.
   */
  makeValid(ptr: GeomPtr): GeomPtr {
    return this.check(this.f.GEOSMakeValid!(ptr), 'makeValid');
  }

  /**
   * OverlayNG difference. Near-coincident edges (plans digitised from the zone's own lines, a few
   * millimetres off) can still make floating-point overlay fail; then the same operation is rerun
   * snapped to a precision grid, as GEOS/JTS recommend.
   */
  difference(a: GeomPtr, b: GeomPtr, fallbackGrid: number): GeomPtr {
    return this.withFallback(
      'difference',
      () => this.f.GEOSDifference!(a, b),
      () => this.f.GEOSDifferencePrec!(a, b, fallbackGrid),
    );
  }

  intersection(a: GeomPtr, b: GeomPtr, fallbackGrid: number): GeomPtr {
    return this.withFallback(
      'intersection',
      () => this.f.GEOSIntersection!(a, b),
      () => this.f.GEOSIntersectionPrec!(a, b, fallbackGrid),
    );
  }

  unaryUnion(ptr: GeomPtr, fallbackGrid: number): GeomPtr {
    return this.withFallback(
      'union',
      () => this.f.GEOSUnaryUnion!(ptr),
      () => this.f.GEOSUnaryUnionPrec!(ptr, fallbackGrid),
    );
  }

  buffer(ptr: GeomPtr, distance: number, options: BufferOptions = {}): GeomPtr {
    const join = { round: 1, mitre: 2, bevel: 3 }[options.join ?? 'round'];
    return this.check(
      this.f.GEOSBufferWithStyle!(
        ptr,
        distance,
        options.quadrantSegments ?? 8,
        1,
        join,
        options.mitreLimit ?? 5,
      ),
      'buffer',
    );
  }

  clone(ptr: GeomPtr): GeomPtr {
    return this.check(this.f.GEOSGeom_clone!(ptr), 'clone');
  }

  /** Takes ownership of `parts` and returns one collection geometry holding them. */
  collection(parts: GeomPtr[], kind: 'multiPolygon' | 'collection' = 'collection'): GeomPtr {
    return this.collectionOf(kind === 'multiPolygon' ? TYPE.multiPolygon : TYPE.collection, parts);
  }

  /**
   * Runs `fn` on a collection of geometries the caller keeps owning (no copies): the collection
   * shell is released afterwards without freeing its members.
   */
  withCollection<T>(parts: GeomPtr[], fn: (collection: GeomPtr) => T): T {
    const collection = this.collectionOf(TYPE.collection, parts);
    try {
      return fn(collection);
    } finally {
      const members = this.f.GEOSGeom_releaseCollection!(collection, this.out);
      if (members) this.f.GEOSFree!(members);
    }
  }

  /** Copies of the polygons of a geometry, each a new geometry the caller owns. */
  polygonParts(ptr: GeomPtr): GeomPtr[] {
    const parts: GeomPtr[] = [];
    this.eachPolygon(ptr, (polygon) => parts.push(this.clone(polygon)));
    return parts;
  }

  // ---------------------------------------------------------------- prepared geometries

  prepare(ptr: GeomPtr): PreparedPtr {
    return this.check(this.f.GEOSPrepare!(ptr), 'prepare') as unknown as PreparedPtr;
  }

  preparedCovers(prepared: PreparedPtr, ptr: GeomPtr): boolean {
    return this.predicate(this.f.GEOSPreparedCovers!(prepared, ptr), 'preparedCovers');
  }

  preparedIntersects(prepared: PreparedPtr, ptr: GeomPtr): boolean {
    return this.predicate(this.f.GEOSPreparedIntersects!(prepared, ptr), 'preparedIntersects');
  }

  /** True when the two share boundary points only, no interior. */
  preparedTouches(prepared: PreparedPtr, ptr: GeomPtr): boolean {
    return this.predicate(this.f.GEOSPreparedTouches!(prepared, ptr), 'preparedTouches');
  }

  /** Distance from a prepared geometry to another (0 when they touch or overlap). */
  preparedDistance(prepared: PreparedPtr, ptr: GeomPtr): number {
    this.check(this.f.GEOSPreparedDistance!(prepared, ptr, this.out), 'preparedDistance', true);
    return this.raw.Module.HEAPF64[this.out / 8]!;
  }

  destroyPrepared(prepared: PreparedPtr): void {
    this.f.GEOSPreparedGeom_destroy!(prepared);
  }

  destroy(...pointers: Array<GeomPtr | null | undefined>): void {
    for (const ptr of pointers) if (ptr) this.f.GEOSGeom_destroy!(ptr);
  }

  // ---------------------------------------------------------------- internals

  private withFallback(operation: string, exact: () => number, snapped: () => number): GeomPtr {
    const result = exact();
    if (result) return result as GeomPtr;
    const firstError = this.takeError();
    this.fallbacks += 1;
    const retry = snapped();
    if (retry) return retry as GeomPtr;
    throw new GeosError(
      operation,
      `${firstError ?? 'unknown'}; with precision grid: ${this.takeError() ?? 'unknown'}`,
    );
  }

  private predicate(result: number, operation: string): boolean {
    if (result === 2) throw new GeosError(operation, this.takeError());
    return result === 1;
  }

  private check(result: number, operation: string, isStatus = false): GeomPtr {
    if (isStatus ? result === 0 : !result) throw new GeosError(operation, this.takeError());
    return result as GeomPtr;
  }

  private takeError(): string | null {
    const error = this.lastError;
    this.lastError = null;
    return error;
  }

  private ensureScratch(doubles: number): number {
    if (doubles > this.scratchDoubles) {
      if (this.scratch) this.raw.Module._free(this.scratch);
      this.scratchDoubles = Math.max(doubles, this.scratchDoubles * 2, 1024);
      this.scratch = this.raw.Module._malloc(this.scratchDoubles * 8);
    }
    return this.scratch;
  }

  private coordSeq(points: Position[]): number {
    const buffer = this.ensureScratch(points.length * 2);
    const heap = this.raw.Module.HEAPF64; // read after malloc: memory growth replaces the view
    let offset = buffer / 8;
    for (const p of points) {
      heap[offset++] = p[0];
      heap[offset++] = p[1];
    }
    return this.check(this.f.GEOSCoordSeq_copyFromBuffer!(buffer, points.length, 0, 0), 'coordSeq');
  }

  private ring(points: Ring): number | null {
    const closed =
      points.length > 0 && (points[0]![0] !== points.at(-1)![0] || points[0]![1] !== points.at(-1)![1])
        ? [...points, points[0]!]
        : points;
    if (closed.length < 4) return null;
    return this.check(this.f.GEOSGeom_createLinearRing!(this.coordSeq(closed)), 'createLinearRing');
  }

  private polygon(rings: PolygonCoordinates): GeomPtr | null {
    const shell = rings[0] ? this.ring(rings[0]) : null;
    if (shell === null) return null;
    const holes = rings
      .slice(1)
      .map((r) => this.ring(r))
      .filter((r): r is number => r !== null);
    const array = holes.length ? this.pointerArray(holes) : 0;
    try {
      return this.check(this.f.GEOSGeom_createPolygon!(shell, array, holes.length), 'createPolygon');
    } finally {
      if (array) this.raw.Module._free(array);
    }
  }

  private emptyPolygon(): GeomPtr {
    return this.check(this.f.GEOSGeom_createEmptyPolygon!(), 'createEmptyPolygon');
  }

  private collectionOf(type: number, parts: number[]): GeomPtr {
    if (parts.length === 0)
      return this.check(this.f.GEOSGeom_createEmptyCollection!(type), 'createEmptyCollection');
    const array = this.pointerArray(parts);
    try {
      return this.check(this.f.GEOSGeom_createCollection!(type, array, parts.length), 'createCollection');
    } finally {
      this.raw.Module._free(array);
    }
  }

  private pointerArray(pointers: number[]): number {
    const array = this.raw.Module._malloc(pointers.length * 4);
    this.raw.Module.HEAPU32.set(pointers, array / 4);
    return array;
  }

  private ringCoordinates(ring: number): Ring {
    const seq = this.f.GEOSGeom_getCoordSeq!(ring);
    this.f.GEOSCoordSeq_getSize!(seq, this.out);
    const size = this.raw.Module.HEAPU32[this.out / 4]!;
    const buffer = this.ensureScratch(size * 2);
    this.f.GEOSCoordSeq_copyToBuffer!(seq, buffer, 0, 0);
    const heap = this.raw.Module.HEAPF64;
    const coordinates: Ring = new Array(size);
    for (let i = 0, offset = buffer / 8; i < size; i++, offset += 2) {
      coordinates[i] = [heap[offset]!, heap[offset + 1]!];
    }
    return coordinates;
  }

  private polygonCoordinates(polygon: GeomPtr): PolygonCoordinates {
    const rings: PolygonCoordinates = [this.ringCoordinates(this.f.GEOSGetExteriorRing!(polygon))];
    const holes = this.f.GEOSGetNumInteriorRings!(polygon);
    for (let i = 0; i < holes; i++)
      rings.push(this.ringCoordinates(this.f.GEOSGetInteriorRingN!(polygon, i)));
    return rings;
  }
}

let shared: Promise<Geos> | undefined;

/** The process's (or worker's) GEOS instance; created on first use. */
export function getGeos(): Promise<Geos> {
  return (shared ??= Geos.create());
}
