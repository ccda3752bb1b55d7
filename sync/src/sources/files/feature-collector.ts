import type { AnyGeometry } from '../../domain/geometry.js';
import { BoundsGuard } from './bounds-guard.js';
import { FeatureProblem } from './format-error.js';
import { warn, type ReadOptions } from './read-options.js';

/**
 * Collects converted features of one document: a feature whose conversion throws FeatureProblem
 * is skipped and reported, one outside Norway is held back by the BoundsGuard, notes made while
 * converting are reported against the feature.
 */
export class FeatureCollector<T extends { geometry: AnyGeometry | null }> {
  private readonly items: T[] = [];
  private readonly guard: BoundsGuard;

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
      warn(this.options, this.file, label, `skipped: ${error.message}`);
    }
  }

  /** The kept features; throws FormatError('outside-norway') when every feature lay outside. */
  finish(): T[] {
    this.guard.finish();
    return this.items;
  }
}
