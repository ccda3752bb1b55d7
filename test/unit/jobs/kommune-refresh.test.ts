import { afterEach, describe, expect, it } from 'vitest';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';

let h: SsbHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('kommune refresh on the SSB double', () => {
  it('ranks all 357 kommuner offline', async () => {
    h = await startSsbHarness();
    const report = await runKommuneRefresh({
      ssb: h.ssb,
      klass: h.klass,
      store: h.store,
      rules: h.rules,
      refreshDays: 7,
      clock: h.clock,
    });
    console.log(JSON.stringify(report, null, 1));
    const latest = h.store.latestRanking()!;
    console.log(
      latest.kommuner
        .slice(0, 10)
        .map((k) => `${k.rank} ${k.kommune.navn} ${k.score?.toFixed(1)} ${k.confidence} ${k.missing}`)
        .join('\n'),
    );
    console.log(
      latest.kommuner
        .slice(-5)
        .map((k) => `${k.rank} ${k.kommune.navn} ${k.score?.toFixed(1)} ${k.confidence} ${k.missing}`)
        .join('\n'),
    );
    console.log(JSON.stringify(latest.kommuner[0]!.factors, null, 1));
    expect(report.outcome).toBe('refreshed');
  });
});
