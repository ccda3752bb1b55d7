import Flatbush from 'flatbush';
import type { BBox } from '../domain/geometry.js';

/** A static R-tree (flatbush) over items' bounding boxes: candidate pairs before exact geometry tests. */
export class BoxIndex<T> {
  private readonly index: Flatbush | null;

  constructor(
    private readonly items: readonly T[],
    boxOf: (item: T, index: number) => BBox,
  ) {
    if (items.length === 0) {
      this.index = null;
      return;
    }
    const tree = new Flatbush(items.length);
    for (const [position, item] of items.entries()) {
      const [minX, minY, maxX, maxY] = boxOf(item, position);
      tree.add(minX, minY, maxX, maxY);
    }
    tree.finish();
    this.index = tree;
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

export function expandBox(box: BBox, by: number): BBox {
  return [box[0] - by, box[1] - by, box[2] + by, box[3] + by];
}
