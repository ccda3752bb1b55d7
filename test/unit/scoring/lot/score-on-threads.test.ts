import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import type { Lot } from '../../../../sync/src/domain/lot.js';
import { lotFingerprint } from '../../../../sync/src/lot-record/fingerprint.js';
import { lotCentreOf, lotRecordOf } from '../../../../sync/src/lot-record/lot-record.js';
import { lotScoreInputs, scoreLots } from '../../../../sync/src/scoring/lot/score-lots.js';
import {
  createLotAnnotator,
  packConstraints,
  scoreOnThreads,
  unpackConstraints,
  type ThreadScoreInput,
  type ThreadScoredLot,
} from '../../../../sync/src/scoring/lot/score-on-threads.js';
import { sampleFoundLots } from '../../../helpers/sample-found-lots.js';
import { sampleScoringData } from '../../../helpers/sample-kommune-data.js';

/** The sample's lots with known owners on some, and the input an engine thread gets for them. */
async function sample() {
  const rules = defaultRules().lotScore;
  const data = await sampleScoringData();
  const { lots } = await sampleFoundLots();
  const ownerCounts = new Map(lots.filter((_, i) => i % 4 === 0).map((l, i) => [l.tomtId, 1 + (i % 3)]));
  const context = { data, rules, ownerCounts, fallbackPrecisionM: 0.001 };
  const kommune = { navn: data.kommune.navn, sources: data.sources };
  const input: ThreadScoreInput = { inputs: lotScoreInputs(context), ownerCounts, kommune };
  return { lots, context, kommune, input, rules };
}

/** Two batches of whole opportunities, as two engine threads would hand them on. */
function twoBatches(lots: readonly Lot[]): [Lot[], Lot[]] {
  const opportunities = [...new Set(lots.map((l) => l.opportunityId))];
  const first = new Set(opportunities.filter((_, i) => i % 2 === 0));
  return [lots.filter((l) => first.has(l.opportunityId)), lots.filter((l) => !first.has(l.opportunityId))];
}

describe('scoring on the engine threads', () => {
  it('scores each batch as scoreLots scores all the lots, with the label point and fingerprint of each record', async () => {
    const { lots, context, kommune, input, rules } = await sample();
    const annotate = await createLotAnnotator(structuredClone(input));
    const byId = new Map<string, ThreadScoredLot>();
    for (const batch of twoBatches(lots)) {
      const scored = annotate(batch) as ThreadScoredLot[];
      expect(scored).toHaveLength(batch.length);
      batch.forEach((lot, i) => byId.set(lot.tomtId, structuredClone(scored[i]!)));
    }
    const whole = await scoreLots(lots, context);
    const ownersCounted = new Set(
      whole.map((l) => l.score.factors.find((f) => f.key === 'eierstruktur')!.value),
    );
    expect(ownersCounted.size).toBeGreaterThan(1);
    for (const lot of whole) {
      const { part, centre, fingerprint } = byId.get(lot.tomtId)!;
      const unpacked = unpackConstraints(part, rules.constraints.types);
      expect(unpacked).toEqual({ score: lot.score, value: lot.value });
      expect(JSON.stringify(unpacked)).toBe(JSON.stringify({ score: lot.score, value: lot.value }));
      expect(centre).toEqual(lotCentreOf(lot.geometry));
      expect(fingerprint).toBe(lotFingerprint(lotRecordOf(lot, kommune)));
    }
  });

  it('sends only the constraints that touch a lot, by their place in the rule file', async () => {
    const { lots, input, rules } = await sample();
    const scored = (await createLotAnnotator(input))(lots) as ThreadScoredLot[];
    const keys = Object.keys(rules.constraints.types);
    const packed = scored.map((s) => s.part.score.constraints);
    expect(packed.some((p) => p.length === 0)).toBe(true);
    const touching = scored.flatMap((s) => s.part.score.constraints);
    expect(touching.length).toBeGreaterThan(0);
    for (const [index, fraction, sources] of touching) {
      expect(keys[index]).toBeDefined();
      expect(fraction > 0 || sources.length > 0).toBe(true);
    }
    const full = unpackConstraints(scored[0]!.part, rules.constraints.types).score.constraints;
    expect(full.map((c) => c.key)).toEqual(keys);
  });

  it('keeps every entry that differs from an untouched one, a fraction without sources or sources without a fraction', async () => {
    const { lots, context, rules } = await sample();
    const [lot] = await scoreLots(lots.slice(0, 1), context);
    const constraints = lot!.score.constraints.map((c, i) =>
      i === 1
        ? { ...c, fraction: 0.25, sources: [] }
        : i === 3
          ? { ...c, fraction: 0, sources: ['NVE'] }
          : { ...c, fraction: 0, sources: [] },
    );
    const part = { score: { ...lot!.score, constraints }, value: lot!.value };
    const packed = packConstraints(part);
    expect(packed.score.constraints).toEqual([
      [1, 0.25, []],
      [3, 0, ['NVE']],
    ]);
    expect(unpackConstraints(packed, rules.constraints.types)).toEqual(part);
  });

  it('names the module the engine threads load, in the form this code runs in', () => {
    const spec = scoreOnThreads({
      inputs: null as never,
      ownerCounts: undefined,
      kommune: { navn: 'x', sources: {} as never },
    });
    expect(spec.module).toMatch(/^file:.*\/scoring\/lot\/score-on-threads\.ts$/);
    expect((spec.input as ThreadScoreInput).kommune.navn).toBe('x');
  });
});
