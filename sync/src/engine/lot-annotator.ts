import type { Lot } from '../domain/lot.js';

/**
 * Work a higher floor wants done on each batch's lots where the batch was computed: on the
 * engine's worker thread, with that thread's GEOS, while the other threads compute their zones.
 * The engine knows only the module's address and passes `input` to it once per thread; the
 * module (scoring's `score-on-threads.ts`) exports `createLotAnnotator`. Why: the nightly run
 * scored the lots on the main thread, the critical path, while a core sat idle at its end.
 */
export interface LotAnnotatorSpec {
  /** The module's file URL (href). */
  module: string;
  /** Structured-cloneable: sent to each thread once. */
  input: unknown;
}

/** One annotation per lot, in the lots' order; whole batches, so a batch's opportunities are whole. */
export type LotAnnotator = (lots: readonly Lot[]) => unknown[];

export interface LotAnnotatorModule {
  createLotAnnotator(input: unknown): LotAnnotator | Promise<LotAnnotator>;
}

export async function loadLotAnnotator(spec: LotAnnotatorSpec): Promise<LotAnnotator> {
  const loaded = (await import(spec.module)) as Partial<LotAnnotatorModule>;
  if (typeof loaded.createLotAnnotator !== 'function')
    throw new Error(`${spec.module} exports no createLotAnnotator`);
  return loaded.createLotAnnotator(spec.input);
}
