import type { AnyGeometry } from '../../domain/geometry.js';
import { BoundsGuard } from './bounds-guard.js';
import { FeatureProblem, FormatError } from './format-error.js';
import { warn, type ReadOptions } from './read-options.js';

/**
 * Collects converted features of one document: a feature whose conversion throws FeatureProblem
 * is skipped and reported, one outside Norway is held back by the BoundsGuard, notes made while
 * converting are reported against the feature. A document with features of which none can be
 * used is refused as a whole: read as empty it would subtract nothing (a reguleringsplan whose
 * objects the reader does not understand turns every regulated area into a false lot).
 */
export class FeatureCollector<T extends { geometry: AnyGeometry | null }> {
  private readonly items: T[] = [];
  private readonly guard: BoundsGuard;
  private readonly skipped = new Map<string, { count: number; first: string }>();

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
  ) {
    this.guard = new BoundsGuard(file, options);
  }

  add(label: string, build: (note: (problem: string) => void) => T): void {
    try {
      const item = build((problem) => warn(this.options, this.file, label, problem));
      if (this.guard.accept(item.geometry, label)) this.items.push(item);
    } catch (error) {
      if (!(error instanceof FeatureProblem)) throw error;
      this.countSkipped(error.message, label);
      warn(this.options, this.file, label, `skipped: ${error.message}`);
    }
  }

  /**
   * The kept features. Throws FormatError `outside-norway` when every feature lay outside, and
   * `no-usable-features` when there were features but every one was skipped.
   */
  finish(): T[] {
    this.guard.finish();
    if (this.items.length === 0 && this.skipped.size > 0) throw this.nothingUsable();
    return this.items;
  }

  private countSkipped(problem: string, label: string): void {
    const seen = this.skipped.get(problem);
    if (seen) seen.count += 1;
    else this.skipped.set(problem, { count: 1, first: label });
  }

  private nothingUsable(): FormatError {
    const reasons = [...this.skipped].sort((a, b) => b[1].count - a[1].count);
    const total = reasons.reduce((sum, [, r]) => sum + r.count, 0);
    const listed = reasons
      .slice(0, 3)
      .map(([problem, r]) => `${r.count} × ${problem} (first: ${r.first})`)
      .join('; ');
    return new FormatError(
      'no-usable-features',
      `none of its ${total} feature(s) could be used: ${listed}${reasons.length > 3 ? '; …' : ''}`,
    );
  }
}
