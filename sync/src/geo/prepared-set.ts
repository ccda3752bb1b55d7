import { isAreaGeometry, type AnyGeometry, type BBox } from '../domain/geometry.js';
import { bboxOf } from './crs.js';
import type { Geos, GeomPtr, PreparedPtr } from './geos.js';
import { toValidArea } from './repair.js';
import { BoxIndex } from './spatial-index.js';

interface Entry {
  ptr: GeomPtr | null;
  prepared: PreparedPtr | null;
  /** Whether the area geometry was invalid (repaired with MakeValid, or dropped when `ptr` is null). */
  repaired: boolean;
  area: number | null;
}

export interface Repairs {
  /** Indexes of items that were invalid and repaired. */
  repaired: number[];
  /** Indexes of items that were invalid and had no area left (`ptr` is null). */
  dropped: number[];
}

/**
 * A fixed set of geometries tested against many others (constraint zones against every lot,
 * parcels against every zone): a box index over all of them, and GEOS geometries built, repaired
 * and prepared only when a candidate is first used, then reused. The set owns its GEOS memory:
 * call `dispose()`.
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
    return this.index.search(box);
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

  /** Area of the item's GEOS geometry (after repair); 0 when nothing usable is left of it. */
  area(i: number): number {
    const entry = this.entry(i);
    entry.area ??= entry.ptr ? this.geos.area(entry.ptr) : 0;
    return entry.area;
  }

  /** Whether the item's geometry had to be repaired, so its GEOS geometry differs from the input. */
  wasRepaired(i: number): boolean {
    return this.entry(i).repaired;
  }

  /** The items used so far whose geometry was invalid, in index order. */
  repairs(): Repairs {
    const repairs: Repairs = { repaired: [], dropped: [] };
    this.entries.forEach((entry, i) => {
      if (entry?.repaired) (entry.ptr ? repairs.repaired : repairs.dropped).push(i);
    });
    return repairs;
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
        entry = { ptr: valid.ptr, prepared: null, repaired: valid.repaired, area: null };
      } else {
        entry = { ptr: this.geos.fromGeometry(geometry), prepared: null, repaired: false, area: null };
      }
      this.entries[i] = entry;
    }
    return entry;
  }
}
