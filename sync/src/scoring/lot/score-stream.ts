import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Lot, ScoredLot } from '../../domain/lot.js';
import { getGeos } from '../../geo/geos.js';
import { lotFingerprint } from '../../lot-record/fingerprint.js';
import { lotRecordOf, type LotRecord } from '../../lot-record/lot-record.js';
import { silentProgress } from '../../util/progress.js';
import type { LotAnnotatorSpec } from '../../engine/lot-annotator.js';
import { ownershipInputs } from './factors/ownership.js';
import { scoreOnThreads, unpackConstraints, type ThreadScoredLot } from './score-on-threads.js';
import {
  LotScorer,
  lotScoreInputs,
  scoredAgainst,
  type LotScoreInputs,
  type LotScorePart,
} from './score-lots.js';
import type { LotScoreContext } from './types.js';

/** A lot's record as the store keeps it, with its fingerprint. */
export interface RecordedLot {
  record: LotRecord;
  fingerprint: string;
}

/** Lots scored per turn of the event loop: the engine's threads' messages are answered in between. */
const LOTS_PER_TURN = 25;

/**
 * Scores a kommune's lots as the engine finds them (issue 13: its threads work on the other zones
 * meanwhile, where scoring after the engine kept one core idle for seconds). Each `add` gets whole
 * opportunities (an engine batch is whole zones), so an opportunity's owners are all known;
 * the scores are `scoreLots`'s, whatever order the lots come in. `finish` gives them in the order
 * asked, or null when one of them never came; a failure is kept and thrown there. `dispose`
 * frees the GEOS memory when the stream is not finished. Each lot's record and fingerprint are
 * made with its score (`records`): the store stage, which waits for every lot, need not. Given to
 * the engine (`onThreads`), its threads score the lots and `add` only takes their scores.
 */
export class LotScoreStream {
  private readonly parts = new Map<string, { part: LotScorePart; recorded: RecordedLot }>();
  /** The records of the lots `finish` last gave, in its order. */
  private finished: { scored: readonly ScoredLot[]; records: RecordedLot[] } | null = null;
  private readonly queue: Array<{
    lots: readonly Lot[];
    owners: ReturnType<typeof ownershipInputs>;
    next: number;
  }> = [];
  private draining: Promise<void> | null = null;
  private failure: unknown = null;
  private disposed = false;
  private readonly progress;
  private readonly kommune: { navn: string; sources: LotRecord['sources'] };

  private constructor(
    private readonly scorer: LotScorer,
    private readonly context: LotScoreContext,
    private readonly inputs: LotScoreInputs,
  ) {
    this.progress = (context.progress ?? silentProgress).stage(`${inputs.kommunenummer} score lots`);
    this.kommune = { navn: context.data.kommune.navn, sources: context.data.sources };
  }

  static async start(context: LotScoreContext): Promise<LotScoreStream> {
    const inputs = lotScoreInputs(context);
    return new LotScoreStream(new LotScorer(await getGeos(), inputs), context, inputs);
  }

  /** For the engine (`FindLotsOptions.lotAnnotator`): its threads score the lots as this stream would. */
  onThreads(): LotAnnotatorSpec {
    return scoreOnThreads({
      inputs: this.inputs,
      ownerCounts: this.context.ownerCounts,
      kommune: this.kommune,
    });
  }

  /**
   * Lots to score (whole opportunities); scored a few at a time, between other work. With the
   * scores an engine thread made of them (`onThreads`), one per lot, those are taken as they are.
   */
  add = (lots: readonly Lot[], scoredOnThread?: readonly unknown[]): void => {
    if (this.disposed || lots.length === 0) return;
    if (scoredOnThread?.length === lots.length) return this.take(lots, scoredOnThread as ThreadScoredLot[]);
    this.queue.push({ lots, owners: ownershipInputs(lots, this.context.ownerCounts), next: 0 });
    this.draining ??= this.drain().finally(() => (this.draining = null));
  };

  private take(lots: readonly Lot[], scored: readonly ThreadScoredLot[]): void {
    lots.forEach((lot, i) => {
      const { centre, fingerprint } = scored[i]!;
      const part = unpackConstraints(scored[i]!.part, this.inputs.rules.constraints.types);
      const record = lotRecordOf({ ...lot, ...part }, this.kommune, centre);
      this.parts.set(lot.tomtId, { part, recorded: { record, fingerprint } });
    });
    this.progress.tick(lots.length);
  }

  async finish(lots: readonly Lot[]): Promise<ScoredLot[] | null> {
    try {
      // Scores what is still queued, taking turns with a drain under way: a drain scores a turn's
      // lots before it waits, so the queue is empty only once every lot added has been scored.
      await this.drain();
      if (this.failure) throw this.failure;
      const scored: ScoredLot[] = [];
      const records: RecordedLot[] = [];
      for (const lot of lots) {
        const done = this.parts.get(lot.tomtId);
        if (!done) return null;
        scored.push({ ...lot, ...done.part });
        records.push(done.recorded);
      }
      this.finished = { scored, records };
      this.progress.done(scoredAgainst(lots.length, this.scorer.against()));
      return scored;
    } finally {
      this.dispose();
    }
  }

  /** The records of exactly the lots `finish` gave (the same array), else null. */
  records(scored: readonly ScoredLot[]): RecordedLot[] | null {
    return this.finished?.scored === scored ? this.finished.records : null;
  }

  /** Stops scoring and frees the GEOS memory; again is harmless (the scorer's dispose is too). */
  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.scorer.dispose();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.disposed && !this.failure) {
      const group = this.queue[0]!;
      const end = Math.min(group.next + LOTS_PER_TURN, group.lots.length);
      try {
        for (const lot of group.lots.slice(group.next, end)) {
          const part = this.scorer.score(lot, group.owners);
          const record = lotRecordOf({ ...lot, ...part }, this.kommune);
          this.parts.set(lot.tomtId, { part, recorded: { record, fingerprint: lotFingerprint(record) } });
        }
        this.progress.tick(end - group.next);
        group.next = end;
      } catch (error) {
        this.failure = error;
        return;
      }
      if (group.next >= group.lots.length) this.queue.shift();
      await nextTurn();
    }
  }
}
