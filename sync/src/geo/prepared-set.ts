import { isAreaGeometry, type AnyGeometry, type BBox } from '../domain/geometry.js';
import { bboxOf } from './crs.js';
import type { Geos, GeomPtr, PreparedPtr } from './geos.js';
import { toValidArea } from './repair.js';
import { BoxIndex } from './spatial-index.js';

interface Entry {
  ptr: GeomPtr | null;
  prepared: PreparedPtr | null;
}

/**
 * A fixed set of geometries tested against many others (constraint zones against every lot):
 * a box index over all of them, and GEOS geometries built, repaired and prepared only when a
 * candidate is first tested, then reused. The set owns its GEOS memory: call `dispose()`.
 */
export class PreparedSet<T> {
  readonly boxes: BBox[];
  private readonly index: BoxIndex<number>;
  private readonly entries: Array<Entry | undefined>;
  /** Items whose area geometry was invalid and repaired (MakeValid) on first use. */
  repaired = 0;

  constructor(
    private readonly geos: Geos,
    readonly items: readonly T[],
    private readonly geometryOf: (item: T) => AnyGeometry,
  ) {
    this.boxes = items.map((item) => bboxOf(geometryOf(item)));
    this.index = new BoxIndex(
      items.map((_, i) => i),
      (i) => this.boxes[i]!,
    );
    this.entries = new Array<Entry | undefined>(items.length);
  }

  /** Indexes of the items whose box meets `box`, in ascending order (deterministic). */
  candidates(box: BBox): number[] {
    return this.index.search(box).sort((a, b) => a - b);
  }

  /** The item's GEOS geometry (owned by the set), or null when nothing usable is left of it. */
  ptr(i: number): GeomPtr | null {
    return this.entry(i).ptr;
  }

  prepared(i: number): PreparedPtr | null {
    const entry = this.entry(i);
    if (entry.ptr && !entry.prepared) entry.prepared = this.geos.prepare(entry.ptr);
    return entry.prepared;
  }

  dispose(): void {
    for (const entry of this.entries) {
      if (!entry) continue;
      if (entry.prepared) this.geos.destroyPrepared(entry.prepared);
      this.geos.destroy(entry.ptr);
    }
    this.entries.fill(undefined);
  }

  private entry(i: number): Entry {
    let entry = this.entries[i];
    if (!entry) {
      const geometry = this.geometryOf(this.items[i]!);
      if (isAreaGeometry(geometry)) {
        const valid = toValidArea(this.geos, geometry);
        if (valid.repaired) this.repaired += 1;
        entry = { ptr: valid.ptr, prepared: null };
      } else {
        entry = { ptr: this.geos.fromGeometry(geometry), prepared: null };
      }
      this.entries[i] = entry;
    }
    return entry;
  }
}
