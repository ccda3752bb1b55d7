import type { AnyGeometry, BBox } from '../../domain/geometry.js';
import { bboxOf, isWithin } from '../../geo/crs.js';
import { FormatError } from './format-error.js';
import { boundsOf, warn, type ReadOptions } from './read-options.js';

/**
 * Keeps features outside Norway away from the engine. One stray feature is skipped and reported;
 * a document whose features all lie outside is refused as a whole, because then the CRS is wrong
 * or the axes are swapped and every coordinate is meaningless.
 */
export class BoundsGuard {
  private readonly bounds: BBox | null;
  private inside = 0;
  private readonly outside: Array<{ feature: string; box: BBox }> = [];

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
  ) {
    this.bounds = boundsOf(options);
  }

  /** True when the geometry may be used; outside ones are held back until `finish`. */
  accept(geometry: AnyGeometry | null, feature: string): boolean {
    if (!geometry || !this.bounds) return true;
    const box = bboxOf(geometry);
    if (isWithin(box, this.bounds)) {
      this.inside += 1;
      return true;
    }
    this.outside.push({ feature, box });
    return false;
  }

  finish(): void {
    if (this.outside.length === 0) return;
    const first = this.outside[0]!;
    const where = first.box.map((v) => Math.round(v)).join(', ');
    if (this.inside === 0) {
      throw new FormatError(
        'outside-norway',
        `all ${this.outside.length} feature(s) lie outside Norway once read as EPSG:25833 (first: ${first.feature} at ${where}); wrong CRS or swapped axes?`,
      );
    }
    for (const { feature, box } of this.outside) {
      warn(
        this.options,
        this.file,
        feature,
        `skipped: lies outside Norway (${box.map((v) => Math.round(v)).join(', ')})`,
      );
    }
  }
}
