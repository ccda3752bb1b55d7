import Flatbush from 'flatbush';
import type { BBox } from '../domain/geometry.js';

/** A static R-tree (flatbush) over items' bounding boxes: candidate pairs before exact geometry tests. */
export class BoxIndex<T> {
  private readonly index: Flatbush | null;

  constructor(
    private readonly items: readonly T[],
    boxOf: (item: T) => BBox,
  ) {
    if (items.length === 0) {
      this.index = null;
      return;
    }
    const index = new Flatbush(items.length);
    for (const item of items) {
      const [minX, minY, maxX, maxY] = boxOf(item);
      index.add(minX, minY, maxX, maxY);
    }
    index.finish();
    this.index = index;
  }

  /** Items whose box meets `box`, in the order they were given (so results never depend on tree layout). */
  search(box: BBox): T[] {
    if (!this.index) return [];
    return this.index
      .search(box[0], box[1], box[2], box[3])
      .sort((a, b) => a - b)
      .map((i) => this.items[i]!);
  }

  get size(): number {
    return this.items.length;
  }
}

export function boxesIntersect(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function expandBox(box: BBox, by: number): BBox {
  return [box[0] - by, box[1] - by, box[2] + by, box[3] + by];
}

export function unionBox(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}
