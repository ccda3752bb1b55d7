import type { LotScoreRules } from '../../config/lot-score-rules.js';
import type { ConstraintCoverage, Lot } from '../../domain/lot.js';
import type { LotAnnotator, LotAnnotatorSpec } from '../../engine/lot-annotator.js';
import { getGeos } from '../../geo/geos.js';
import { lotFingerprint } from '../../lot-record/fingerprint.js';
import { lotRecordOf, type LotCentre, type LotSources } from '../../lot-record/lot-record.js';
import { ownershipInputs } from './factors/ownership.js';
import { LotScorer, type LotScoreInputs, type LotScorePart } from './score-lots.js';

/** What each engine thread scores its lots with: plain data, sent once per thread. */
export interface ThreadScoreInput {
  inputs: LotScoreInputs;
  ownerCounts: ReadonlyMap<string, number> | undefined;
  kommune: { navn: string; sources: LotSources };
}

/**
 * A lot scored on the engine thread that found it: its score and what its record adds. The
 * score's constraints travel as only those that touch the lot (`packConstraints`): the other
 * thirty-odd entries per lot are the rule file's words, and copying them between threads cost
 * more than scoring on the thread saved.
 */
export interface ThreadScoredLot {
  part: Omit<LotScorePart, 'score'> & {
    score: Omit<LotScorePart['score'], 'constraints'> & { constraints: PackedConstraint[] };
  };
  centre: LotCentre;
  fingerprint: string;
}

/** A constraint that touches the lot: its index in the rule file's types, its fraction and sources. */
type PackedConstraint = [index: number, fraction: number, sources: string[]];

export function packConstraints(part: LotScorePart): ThreadScoredLot['part'] {
  const touching: PackedConstraint[] = [];
  part.score.constraints.forEach((c, i) => {
    if (c.fraction !== 0 || c.sources.length > 0) touching.push([i, c.fraction, c.sources]);
  });
  return { ...part, score: { ...part.score, constraints: touching } };
}

/** The part as the thread's scorer made it: `constraintCoverageOf`'s entry for every configured type. */
export function unpackConstraints(
  packed: ThreadScoredLot['part'],
  types: LotScoreRules['constraints']['types'],
): LotScorePart {
  const touching = new Map(
    packed.score.constraints.map(([i, fraction, sources]) => [i, { fraction, sources }]),
  );
  const constraints = Object.entries(types).map(([key, type], i): ConstraintCoverage => {
    const found = touching.get(i);
    return {
      key,
      label: type.label,
      fraction: found?.fraction ?? 0,
      weight: type.weight,
      severe: type.severe,
      sources: found?.sources ?? [],
    };
  });
  return { ...packed, score: { ...packed.score, constraints } };
}

/**
 * The engine threads score the lots of each batch they finish, with the scorer `scoreLots`
 * uses, and make the record's label point and fingerprint: the main thread, where scoring had
 * been most of the nightly run's critical path, only puts the records together (issue 13).
 */
export function scoreOnThreads(input: ThreadScoreInput): LotAnnotatorSpec {
  // This very module: the .ts source in development and tests, the .js in dist.
  return { module: import.meta.url, input };
}

/** Called on each engine thread (`engine/lot-annotator.ts`); the thread's end frees its GEOS memory. */
export async function createLotAnnotator(input: unknown): Promise<LotAnnotator> {
  const { inputs, ownerCounts, kommune } = input as ThreadScoreInput;
  const scorer = new LotScorer(await getGeos(), inputs);
  return (lots: readonly Lot[]): ThreadScoredLot[] => {
    const owners = ownershipInputs(lots, ownerCounts);
    return lots.map((lot) => {
      const part = scorer.score(lot, owners);
      const record = lotRecordOf({ ...lot, ...part }, kommune);
      return { part: packConstraints(part), centre: record.centre, fingerprint: lotFingerprint(record) };
    });
  };
}
