import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { findLots } from '../../../../sync/src/engine/find-lots.js';
import { scoreLots } from '../../../../sync/src/scoring/lot/score-lots.js';
import { scoreLotsOnThreads } from '../../../../sync/src/scoring/lot/score-lots-threads.js';
import type { Progress } from '../../../../sync/src/util/progress.js';
import { sampleScoringData } from '../../../helpers/sample-kommune-data.js';

/** What a progress line was told: the ticks' sum and the closing words. */
function recordingProgress() {
  const seen = { ticked: 0, done: [] as string[] };
  const progress: Progress = {
    stage: () => ({
      tick: (n = 1) => void (seen.ticked += n),
      done: (text) => void seen.done.push(text ?? ''),
    }),
  };
  return { seen, progress };
}

describe('scoreLotsOnThreads', () => {
  it('scores the sample kommune exactly as scoreLots does, to the byte and in the same order', async () => {
    const rules = defaultRules();
    const data = await sampleScoringData();
    const found = await findLots(data, rules.engine, { workers: 1 });
    // Known owners on some lots: Eierstruktur needs every lot of an opportunity, not a thread's share.
    const ownerCounts = new Map(
      found.lots.filter((_, i) => i % 3 === 0).map((l, i) => [l.tomtId, 1 + (i % 4)]),
    );
    const figures = {
      byggevilje: { value: 0.6, raw: 12, year: '2024' },
      pricePerM2: { value: 52_000, year: '2024' },
      centralityClass: 3,
    };
    const context = { data, rules: rules.lotScore, ownerCounts, kommune: figures, fallbackPrecisionM: 0.001 };
    const inline = recordingProgress();
    const threaded = recordingProgress();
    const one = await scoreLots(found.lots, { ...context, progress: inline.progress });
    const two = await scoreLotsOnThreads(found.lots, { ...context, progress: threaded.progress }, 2);
    expect(found.lots.length).toBeGreaterThan(50);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(new Set(one.map((l) => l.score.tier)).size).toBeGreaterThan(1);
    expect(threaded.seen.done).toEqual(inline.seen.done);
    expect(threaded.seen.ticked).toBe(found.lots.length);
  });
});
