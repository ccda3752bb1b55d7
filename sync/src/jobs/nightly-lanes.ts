import type { KommuneResult, PipelineStage } from '../store/run-kommuner.js';
import {
  computeKommune,
  loadKommune,
  skippedKommune,
  syncKommune,
  type KommunePlan,
  type KommuneRun,
  type LoadedKommune,
} from './nightly-kommune.js';

export interface LaneHooks {
  /** True once the service is stopping: the kommune being computed finishes, the rest are skipped. */
  shouldStop(): boolean;
  /** Whether the next kommune may be read while the current one computes (the memory budget). */
  mayReadAhead(kommunenummer: string): boolean;
  onStage(kommunenummer: string, stage: PipelineStage): void;
  onLoaded(loaded: LoadedKommune): void;
  /** Each kommune's outcome, in the run's order. */
  onResult(result: KommuneResult, plan: KommunePlan | null): void;
  now(): string;
}

/**
 * The kommuner of a run through three lanes, in order: reading the sources of the next kommune
 * (one ahead, within the memory budget), computing one kommune (find on the engine's worker
 * threads, score, store), and bringing Airtable in step with the one before (rate-limited
 * network work). Computing never runs more than one kommune ahead of Airtable, so a killed run
 * has at most two kommuner to redo. Each kommune stores in its own transaction; a failure stays
 * with its kommune.
 */
export async function runKommuneLanes(
  kommuner: string[],
  runOf: (kommunenummer: string) => KommuneRun,
  hooks: LaneHooks,
): Promise<void> {
  const cancel = new AbortController();
  const read = (kommunenummer: string) =>
    loadKommune(runOf(kommunenummer), (stage) => hooks.onStage(kommunenummer, stage), cancel.signal);
  let ahead: Promise<LoadedKommune> | null = null;
  let airtable: Promise<void> = Promise.resolve();
  // Kept until the lane is awaited: a rejection must not go unhandled while the next kommune computes.
  let laneError: { error: unknown } | null = null;
  const settle = async () => {
    await airtable;
    if (laneError) throw laneError.error;
  };
  try {
    for (let i = 0; i < kommuner.length; i += 1) {
      if (hooks.shouldStop()) {
        cancel.abort(new Error('the service is stopping'));
        await settle();
        for (const k of kommuner.slice(i)) hooks.onResult(skippedKommune(k, hooks.now()), null);
        return;
      }
      const loaded = await (ahead ?? read(kommuner[i]!));
      hooks.onLoaded(loaded);
      const next = kommuner[i + 1];
      ahead = next !== undefined && hooks.mayReadAhead(next) ? read(next) : null;
      const computed = await computeKommune(loaded, (stage) =>
        hooks.onStage(loaded.run.kommunenummer, stage),
      );
      await settle();
      airtable = syncKommune(computed, (stage) => hooks.onStage(computed.run.kommunenummer, stage))
        .then(({ result, plan }) => hooks.onResult(result, plan))
        .catch((error: unknown) => void (laneError = { error }));
    }
    await settle();
  } finally {
    cancel.abort(new Error('the run has ended'));
  }
}
