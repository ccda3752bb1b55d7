import { defaultRules } from '../../sync/src/config/rules.js';
import { findLots, type EngineResult } from '../../sync/src/engine/find-lots.js';
import { sampleScoringData } from '../helpers/sample-kommune-data.js';

let found: Promise<EngineResult> | undefined;

/**
 * The engine's lots of the sample kommune with the default rules, found once per test run for the
 * golden lots and the reviewed explanations (not kept across runs like the sample itself: against
 * each mutant the engine's result is that mutant's own).
 */
export function sampleFoundLots(): Promise<EngineResult> {
  found ??= sampleScoringData().then((data) => findLots(data, defaultRules().engine, { workers: 1 }));
  return found;
}
