import type { Geos } from '../../../sync/src/geo/geos.js';

type Owning =
  | 'fromGeometry'
  | 'makeValid'
  | 'difference'
  | 'intersection'
  | 'unaryUnion'
  | 'buffer'
  | 'clone'
  | 'polygonParts'
  | 'collection'
  | 'prepare'
  | 'destroyPrepared'
  | 'destroy';

/**
 * A Geos that keeps account of the geometries it hands out (every method that returns a new
 * geometry) and of the ones freed. GEOS memory lives in the WebAssembly heap, which a nightly run
 * over every kommune must not let grow: after the engine is done, nothing may be left (`live()`),
 * and nothing may be freed that was not handed out or was freed before (`misuse`, not passed on
 * to GEOS).
 */
export function ownershipTracking(geos: Geos) {
  const live = new Map<number, string>();
  const prepared = new Set<number>();
  const misuse: string[] = [];
  const own = <T extends number>(ptr: T, operation: string): T => {
    live.set(ptr, operation);
    return ptr;
  };
  const overrides: Pick<Geos, Owning> = {
    fromGeometry: (geometry) => own(geos.fromGeometry(geometry), 'fromGeometry'),
    makeValid: (ptr) => own(geos.makeValid(ptr), 'makeValid'),
    difference: (a, b, grid) => own(geos.difference(a, b, grid), 'difference'),
    intersection: (a, b, grid) => own(geos.intersection(a, b, grid), 'intersection'),
    unaryUnion: (ptr, grid) => own(geos.unaryUnion(ptr, grid), 'unaryUnion'),
    buffer: (ptr, distance, options) => own(geos.buffer(ptr, distance, options), 'buffer'),
    clone: (ptr) => own(geos.clone(ptr), 'clone'),
    polygonParts: (ptr) => geos.polygonParts(ptr).map((part) => own(part, 'polygonParts')),
    collection: (parts, kind) => {
      for (const part of parts) if (!live.delete(part)) misuse.push(`collection of ${part}, not owned`);
      return own(geos.collection(parts, kind), 'collection');
    },
    prepare: (ptr) => {
      const result = geos.prepare(ptr);
      prepared.add(result);
      return result;
    },
    destroyPrepared: (ptr) => {
      if (!prepared.delete(ptr)) return void misuse.push(`destroyPrepared of ${ptr}, not handed out`);
      geos.destroyPrepared(ptr);
    },
    destroy: (...pointers) => {
      for (const ptr of pointers) {
        if (!ptr) continue;
        if (!live.delete(ptr)) {
          misuse.push(`destroy of ${ptr}, not owned (or freed before)`);
          continue;
        }
        geos.destroy(ptr);
      }
    },
  };
  const tracked = new Proxy(geos, {
    get(target, name) {
      if (Object.hasOwn(overrides, name)) return overrides[name as Owning];
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    geos: tracked,
    /** The operations whose geometries are still allocated, and how many prepared geometries. */
    live: () => ({ geometries: [...live.values()].sort(), prepared: prepared.size }),
    misuse,
    /** Frees whatever is left, so a failing test does not leak into the next. */
    release() {
      for (const ptr of live.keys()) geos.destroy(ptr as Parameters<Geos['destroy']>[0]);
      for (const ptr of prepared) geos.destroyPrepared(ptr as Parameters<Geos['destroyPrepared']>[0]);
      live.clear();
      prepared.clear();
    },
  };
}
