import { afterEach, describe, expect, it } from 'vitest';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { ensureKommuneRanking } from '../../../sync/src/jobs/kommune-snapshot.js';
import { createManualClock } from '../../../sync/src/sources/ssb/clock.js';
import { startSsbHarness, type SsbHarness } from '../../doubles/ssb/harness.js';

let h: SsbHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the embedded default: a ranking from the bundled SSB snapshot', () => {
  it('ranks all 357 kommuner on a first start, marked as the snapshot with its date, without a request', async () => {
    h = await startSsbHarness();
    const report = await ensureKommuneRanking({ store: h.store, rules: h.rules, clock: h.clock });
    expect(report).toMatchObject({ outcome: 'refreshed', source: 'snapshot', kommuner: 357, requests: 0 });
    expect(h.double.requests).toHaveLength(0);
    // Tables without real figures in the snapshot: those factors are missing for every kommune.
    expect(report!.missingByFactor).toMatchObject({ boligbygging: 357, sysselsetting: 357 });
    expect(report!.warnings).toEqual([
      'table-missing: boligbygging: no usable table: 05940 is not in the snapshot; the factor is left out',
      'table-missing: sysselsetting: no usable table: 07984 is not in the snapshot; 13470 is not in the snapshot; the factor is left out',
      'table-missing: byggevilje: no usable table: 05940 is not in the snapshot; the factor is left out',
    ]);
    const ranking = h.store.latestRanking()!;
    expect(ranking.refresh).toMatchObject({
      source: 'snapshot',
      trigger: 'snapshot',
      figuresDate: '2026-12-06',
    });
    expect(ranking.kommuner.filter((k) => k.top)).toHaveLength(50);
    // … and confidence says so: no kommune has every factor.
    expect(ranking.kommuner.some((k) => k.confidence === 'high')).toBe(false);
    expect(ranking.kommuner.every((k) => k.missing.includes('boligbygging'))).toBe(true);
    // A ranking there already: nothing to do.
    expect(await ensureKommuneRanking({ store: h.store, rules: h.rules, clock: h.clock })).toBeNull();
  });

  it('does not block the SSB refresh: due at once, it replaces the snapshot; then SSB_REFRESH_DAYS apply', async () => {
    h = await startSsbHarness();
    await ensureKommuneRanking({ store: h.store, rules: h.rules, clock: h.clock });
    const deps = {
      ssb: h.ssb,
      klass: h.klass,
      store: h.store,
      rules: h.rules,
      refreshDays: 7,
      clock: h.clock,
    };
    const first = await runKommuneRefresh(deps);
    expect(first).toMatchObject({ outcome: 'refreshed', source: 'ssb' });
    expect(h.store.latestRanking()!.refresh.source).toBe('ssb');
    expect(h.store.latestRanking()!.kommuner.every((k) => k.previousRank !== null)).toBe(true);
    expect((await runKommuneRefresh(deps)).outcome).toBe('fresh');
  });

  it('is made in SSB’s 05:00–08:15 update too: it sends nothing', async () => {
    h = await startSsbHarness();
    const clock = createManualClock('2026-03-10T06:00:00Z'); // 07:00 in Oslo
    const report = await ensureKommuneRanking({ store: h.store, rules: h.rules, clock });
    expect(report).toMatchObject({ outcome: 'refreshed', source: 'snapshot' });
  });
});
