import { availableParallelism } from 'node:os';
import type { Lot, ScoredLot } from '../../domain/lot.js';
import { silentProgress } from '../../util/progress.js';
import { runTasksOnThreads, scriptBeside } from '../../util/task-threads.js';
import {
  lotScoreInputs,
  scoreLots,
  scoredAgainst,
  type LotScorePart,
  type ScoredAgainst,
} from './score-lots.js';
import type { LotScoreContext } from './types.js';

/** One share of the lots, scored on a thread. */
export interface ScoredShare extends ScoredAgainst {
  parts: LotScorePart[];
}

/** Below this many lots a thread's start (GEOS, its zones prepared again) costs more than it saves. */
export const THREADS_FROM_LOTS = 1000;

/**
 * A kommune's lots scored on one thread per core when there are enough of them (`scoreLotsOnThreads`),
 * else here (`scoreLots`): the same scores either way.
 */
export function scoreLotsOnCores(
  lots: readonly Lot[],
  context: LotScoreContext,
  cores = availableParallelism(),
): Promise<ScoredLot[]> {
  return cores > 1 && lots.length >= THREADS_FROM_LOTS
    ? scoreLotsOnThreads(lots, context, cores)
    : scoreLots(lots, context);
}

/** Shares per thread: enough that a thread that finishes early takes more, few enough to copy cheaply. */
const SHARES_PER_THREAD = 8;

/**
 * `scoreLots` on `threads` worker threads (issue 13: scoring a large kommune's 8,941 lots on the
 * main thread was a sixth of its run, with the engine's threads idle): the inputs are worked out
 * here once (they need all the lots) and handed to each thread as it starts, the lots in
 * consecutive shares (neighbours together, so each thread prepares the zones near its shares).
 * The same scores in the same order as `scoreLots`: a lot's score depends on it and the inputs alone.
 */
export async function scoreLotsOnThreads(
  lots: readonly Lot[],
  context: LotScoreContext,
  threads: number,
): Promise<ScoredLot[]> {
  const inputs = lotScoreInputs(lots, context);
  const progress = (context.progress ?? silentProgress).stage(
    `${inputs.kommunenummer} score lots`,
    lots.length,
  );
  const size = Math.max(1, Math.ceil(lots.length / (threads * SHARES_PER_THREAD)));
  const shares: Lot[][] = [];
  for (let i = 0; i < lots.length; i += size) shares.push(lots.slice(i, i + size));
  const scored = await runTasksOnThreads<typeof inputs, Lot[], ScoredShare>(
    scriptBeside(import.meta.url, 'score-lots-worker'),
    inputs,
    shares,
    { threads, name: 'lot scoring', onResult: (index) => progress.tick(shares[index]!.length) },
  );
  const against = scored[0] ?? { constraintZoneCount: inputs.zones.constraints.length, transitStopCount: 0 };
  progress.done(scoredAgainst(lots.length, against));
  const parts = scored.flatMap((share) => share.parts);
  return lots.map((lot, i) => ({ ...lot, ...parts[i]! }));
}
