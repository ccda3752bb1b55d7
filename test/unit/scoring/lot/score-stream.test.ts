import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import type { Lot } from '../../../../sync/src/domain/lot.js';
import { findLots } from '../../../../sync/src/engine/find-lots.js';
import { lotFingerprint } from '../../../../sync/src/lot-record/fingerprint.js';
import { lotRecordOf } from '../../../../sync/src/lot-record/lot-record.js';
import { scoreLots } from '../../../../sync/src/scoring/lot/score-lots.js';
import { LotScoreStream } from '../../../../sync/src/scoring/lot/score-stream.js';
import { sampleFoundLots } from '../../../helpers/sample-found-lots.js';
import { sampleScoringData } from '../../../helpers/sample-kommune-data.js';
import { cases } from '../../../helpers/test-effort.js';

/**
 * The sample kommune found on this thread (no worker threads to start for every test), its lots
 * cut into four batches of whole opportunities, as the engine's threads hand them on. The last
 * test takes the engine's own batches from two threads.
 */
async function findSample() {
  const rules = defaultRules();
  const data = await sampleScoringData();
  const found = await sampleFoundLots();
  // Known owners on some lots: Eierstruktur counts an opportunity's owners over all its lots.
  const ownerCounts = new Map(
    found.lots.filter((_, i) => i % 3 === 0).map((l, i) => [l.tomtId, 1 + (i % 4)]),
  );
  const kommune = {
    byggevilje: { value: 0.6, raw: 12, year: '2024' },
    pricePerM2: { value: 52_000, year: '2024' },
    centralityClass: 3,
  };
  const context = { data, rules: rules.lotScore, ownerCounts, kommune, fallbackPrecisionM: 0.001 };
  const lots = wholeOpportunitiesUpTo(found.lots, cases(found.lots.length, 100));
  return { found, lots, batches: wholeOpportunityBatches(lots, 4), context };
}

/** The lots grouped by opportunity, in the order the opportunities first appear. */
function opportunityGroups(lots: readonly Lot[]): Lot[][] {
  const opportunities = new Map<string, Lot[]>();
  for (const lot of lots) {
    const group = opportunities.get(lot.opportunityId) ?? [];
    group.push(lot);
    opportunities.set(lot.opportunityId, group);
  }
  return [...opportunities.values()];
}

/**
 * The first opportunities' lots, whole, until there are `max` or more. Against each mutant the
 * stream's batches, order and failures show on a hundred lots as on all 694; scoring them all
 * twice per test was most of these tests' time there.
 */
function wholeOpportunitiesUpTo(lots: readonly Lot[], max: number): Lot[] {
  const taken: Lot[] = [];
  for (const group of opportunityGroups(lots)) {
    if (taken.length >= max) break;
    taken.push(...group);
  }
  return taken;
}

function wholeOpportunityBatches(lots: readonly Lot[], count: number): Lot[][] {
  const batches: Lot[][] = Array.from({ length: count }, () => []);
  opportunityGroups(lots).forEach((group, i) => batches[i % count]!.push(...group));
  return batches;
}

/** Lets the event loop turn until `done()` holds, for up to `ms`; whether it did. */
async function turnsUntil(done: () => boolean, ms = 10_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await setImmediate();
  return done();
}

/** Found once for the file's tests (the engine's part is most of their time); none of them changes it. */
let sample: ReturnType<typeof findSample> | undefined;
const sampleFound = () => (sample ??= findSample());

describe('LotScoreStream', () => {
  it('scores lots handed on batch by batch exactly as scoreLots scores them all, in the order asked', async () => {
    const { lots, batches, context } = await sampleFound();
    const stream = await LotScoreStream.start(context);
    for (const batch of [...batches].reverse()) stream.add(batch);
    const streamed = await stream.finish(lots);
    const whole = await scoreLots(lots, context);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
    // The records and fingerprints the store would make of the scored lots, made with the scores.
    const kommune = { navn: context.data.kommune.navn, sources: context.data.sources };
    const records = stream.records(streamed!)!;
    expect(records.map((r) => r.record.tomtId)).toEqual(whole.map((l) => l.tomtId));
    expect(JSON.stringify(records.map((r) => r.record))).toBe(
      JSON.stringify(whole.map((l) => lotRecordOf(l, kommune))),
    );
    expect(records.map((r) => r.fingerprint)).toEqual(records.map((r) => lotFingerprint(r.record)));
    expect(stream.records(whole)).toBeNull();
    expect(
      new Set(whole.map((l) => l.score.factors.find((f) => f.key === 'eierstruktur')!.value)).size,
    ).toBeGreaterThan(1);
  });

  it('gives null for lots it was never handed, so the caller scores them all', async () => {
    const { lots, batches, context } = await sampleFound();
    const stream = await LotScoreStream.start(context);
    for (const batch of batches.slice(1)) stream.add(batch);
    expect(await stream.finish(lots)).toBeNull();
  });

  it('keeps the error of a lot that could not be scored and throws it at the end, as scoreLots throws it', async () => {
    const { lots, context } = await sampleFound();
    const [first, ...rest] = lots;
    const broken = [{ ...first!, geometry: { type: 'Point', coordinates: [0, 0] } as never }, ...rest];
    const thrown = await scoreLots(broken, context).catch((e: Error) => e.message);
    expect(thrown).toMatch(/must be finite/);
    const stream = await LotScoreStream.start(context);
    stream.add(broken);
    await expect(stream.finish(lots)).rejects.toThrow(thrown);
  });
  it('reports its stage by kommune and counts every lot once, a few at a time, and gives no records before it finishes', async () => {
    // Every lot: a stream that scored a whole opportunity again each turn would take minutes here.
    const { found, context } = await sampleFound();
    const lots = found.lots;
    const stages: Array<{ label: string; ticks: number[]; done: string | undefined }> = [];
    const progress = {
      stage(label: string) {
        const stage = { label, ticks: [] as number[], done: undefined as string | undefined };
        stages.push(stage);
        return {
          tick: (n = 1) => void stage.ticks.push(n),
          done: (summary?: string) => void (stage.done = summary),
        };
      },
    };
    const stream = await LotScoreStream.start({ ...context, progress });
    expect(stream.records([])).toBeNull();
    expect(lots.length).toBeGreaterThan(60);
    const [stage] = stages;
    const counted = () => stage!.ticks.reduce((a, b) => a + b, 0);
    const small = lots.slice(0, 7);
    stream.add(small);
    stream.add([]);
    // Scored between other work, before anyone waits for it: each add starts scoring if none runs.
    expect(await turnsUntil(() => counted() === small.length)).toBe(true);
    // That scoring ends a turn after its queue is empty; the next add starts another.
    for (let turn = 0; turn < 3; turn++) await setImmediate();
    stream.add(lots.slice(7));
    expect(await turnsUntil(() => counted() === lots.length)).toBe(true);
    expect(stage!.done).toBeUndefined();
    expect(await stream.finish(lots)).not.toBeNull();
    expect(stages.map((st) => st.label)).toEqual([expect.stringMatching(/^\d{4} score lots$/)]);
    expect(counted()).toBe(lots.length);
    expect(Math.min(...stage!.ticks)).toBeGreaterThan(0);
    expect(Math.max(...stage!.ticks)).toBeLessThanOrEqual(25);
    expect(stage!.ticks[0]).toBe(small.length);
    expect(stage!.done).toBeDefined();
    // Finished is finished: a late add scores nothing, and a second dispose frees nothing twice.
    stream.add(lots.slice(0, 3));
    expect(await turnsUntil(() => counted() > lots.length, 200)).toBe(false);
    stream.dispose();
  });
  it("takes the engine's own batches as its two threads finish them: every lot once, whole opportunities", async () => {
    const { found, context } = await sampleFound();
    const stream = await LotScoreStream.start(context);
    const batches: Array<readonly Lot[]> = [];
    const threaded = await findLots(context.data, defaultRules().engine, {
      workers: 2,
      onLots: (lots) => {
        batches.push(lots);
        stream.add(lots);
      },
    });
    expect(threaded.lots).toEqual(found.lots);
    expect(batches.length).toBeGreaterThan(2);
    const batchOf = new Map(batches.flatMap((batch, i) => batch.map((l) => [l.opportunityId, i] as const)));
    for (const [i, batch] of batches.entries()) {
      for (const lot of batch) expect(batchOf.get(lot.opportunityId)).toBe(i);
    }
    expect(
      batches
        .flat()
        .map((l) => l.tomtId)
        .sort(),
    ).toEqual(found.lots.map((l) => l.tomtId).sort());
    const streamed = await stream.finish(found.lots);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(await scoreLots(found.lots, context)));
  });

  it("takes the scores the engine's threads made (onThreads) and gives what scoring here gives: scores, records, fingerprints", async () => {
    const { found, context } = await sampleFound();
    const ticks: number[] = [];
    const progress = { stage: () => ({ tick: (n = 1) => void ticks.push(n), done: () => undefined }) };
    const stream = await LotScoreStream.start({ ...context, progress });
    const annotated: boolean[] = [];
    const batchSizes: number[] = [];
    await findLots(context.data, defaultRules().engine, {
      workers: 2,
      lotAnnotator: stream.onThreads(),
      onLots: (lots, scored) => {
        annotated.push(scored?.length === lots.length);
        batchSizes.push(lots.length);
        stream.add(lots, scored);
      },
    });
    expect(annotated.length).toBeGreaterThan(2);
    expect(annotated.every(Boolean)).toBe(true);
    // Taken whole as each batch came, not scored again here a few lots a turn.
    expect(ticks).toEqual(batchSizes.filter((n) => n > 0));
    expect(Math.max(...ticks)).toBeGreaterThan(25);
    const streamed = await stream.finish(found.lots);
    const whole = await scoreLots(found.lots, context);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
    // Deep equality too: JSON would not show an undefined member or a NaN lost on the way.
    expect(streamed).toEqual(whole);
    const kommune = { navn: context.data.kommune.navn, sources: context.data.sources };
    const records = stream.records(streamed!)!;
    expect(records.map((r) => r.record)).toEqual(whole.map((l) => lotRecordOf(l, kommune)));
    expect(JSON.stringify(records.map((r) => r.record))).toBe(
      JSON.stringify(whole.map((l) => lotRecordOf(l, kommune))),
    );
    expect(records.map((r) => r.fingerprint)).toEqual(records.map((r) => lotFingerprint(r.record)));
    // Some lots are under constraints, so the constraints that travel packed are checked above.
    expect(whole.some((l) => l.score.constraints.some((c) => c.fraction > 0))).toBe(true);
  });

  it("fails the engine's run with the scoring error when a thread cannot score a batch's lots", async () => {
    const { context } = await sampleFound();
    const stream = await LotScoreStream.start(context);
    const spec = stream.onThreads();
    const broken = { ...spec, input: { ...(spec.input as object), inputs: { rules: null } } };
    await expect(
      findLots(context.data, defaultRules().engine, { workers: 2, lotAnnotator: broken, onLots: stream.add }),
    ).rejects.toThrow(/zone batch \d+: annotating its lots: TypeError/);
    stream.dispose();
  });
});
