import { defaultRules } from '../../sync/src/config/rules.js';
import { runKommuneRefresh } from '../../sync/src/jobs/kommune-refresh.js';
import { startSsbHarness } from '../doubles/ssb/harness.js';

/**
 * The kommune ranking with the default weights on the SSB double (real 07459 population and
 * 01180 election figures, the other factors generated), one line per kommune in rank order.
 */
export async function kommuneRankingLines(rules = defaultRules().kommuneRanking): Promise<string[]> {
  const h = await startSsbHarness();
  try {
    const report = await runKommuneRefresh({
      ssb: h.ssb,
      klass: h.klass,
      store: h.store,
      rules,
      refreshDays: 7,
      clock: h.clock,
    });
    if (report.outcome !== 'refreshed') throw new Error(`the refresh did not run: ${report.outcome}`);
    const ranking = h.store.latestRanking()!;
    return [
      '# rank\tkommunenummer\tkommune\tscore\ttopp50',
      ...ranking.kommuner.map((k) =>
        [
          k.rank ?? '-',
          k.kommune.kommunenummer,
          k.kommune.navn,
          k.score?.toFixed(1) ?? '-',
          k.top ? 'ja' : '',
        ].join('\t'),
      ),
    ];
  } finally {
    await h.close();
  }
}
