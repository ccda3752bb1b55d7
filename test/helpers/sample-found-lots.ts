import { defaultRules } from '../../sync/src/config/rules.js';
import { findLots, type EngineResult } from '../../sync/src/engine/find-lots.js';
import { keptAcrossMutants } from './kept-across-mutants.js';
import { deepFreeze, sampleScoringData } from './sample-kommune-data.js';

let found: Promise<EngineResult> | undefined;

/**
 * The engine's lots of the sample kommune with the default rules (one thread), found once per test
 * run for the golden lots, the reviewed explanations and the score-stream tests; under mutation
 * testing kept across the mutants the engine does not see (kept-across-mutants.ts). Frozen: every
 * test shares them, and code that changed its input would fail the test that caught it.
 */
export function sampleFoundLots(): Promise<EngineResult> {
  found ??= keptAcrossMutants('sample found lots', async () => {
    const data = await sampleScoringData();
    return deepFreeze(await findLots(data, defaultRules().engine, { workers: 1 }));
  });
  return found;
}
