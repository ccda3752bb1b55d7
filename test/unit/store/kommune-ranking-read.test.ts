import { describe, expect, it } from 'vitest';
import { kommuneRulesSchema } from '../../../sync/src/config/kommune-rules.js';
import { rankKommuner } from '../../../sync/src/scoring/kommune/rank.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createKommuneRankingStore } from '../../../sync/src/store/kommune-ranking.js';

describe('the kommune ranking store', () => {
  it('reads back a ranking stored before a factor was renamed without the old factor', () => {
    const db = openStore(':memory:');
    const store = createKommuneRankingStore(db);
    const rules = kommuneRulesSchema.parse({});
    const kommune = { kommunenummer: '0301', navn: 'Oslo', fylkesnummer: '03', fylkesnavn: 'Oslo' };
    const ranking = rankKommuner(
      [kommune],
      { inntekt: new Map([['0301', { value: 635_200, year: '2024', components: { value: 635_200 } }]]) },
      rules,
    );
    const id = store.beginRefresh('2026-03-10T11:00:00Z', 'test');
    store.completeRefresh(id, ranking, {
      finishedAt: '2026-03-10T11:01:00Z',
      kommuneSource: 'bundled',
      requests: 0,
      tables: [],
      warnings: [],
      rules,
    });
    // As a store written before issue 12 has it: a Lokalpolitikk row, and politikk among the missing.
    db.prepare(
      `INSERT INTO kommune_factor (refresh_id, kommunenummer, factor, weight, raw, year, normalised, points, detail_json, missing)
       VALUES (?, '0301', 'politikk', 10, 5.6, '2023', 0.3, 3, '{}', NULL)`,
    ).run(id);
    db.prepare(`UPDATE kommune_score SET missing_json = '["politikk","boligpris"]' WHERE refresh_id = ?`).run(
      id,
    );
    const read = store.latestRanking()!.kommuner[0]!;
    expect(Object.keys(read.factors)).not.toContain('politikk');
    expect(read.missing).toEqual(['boligpris']);
    expect(read.population).toBeNull();
    expect(store.latestRanking()!.refresh).toMatchObject({ source: 'ssb', figuresDate: null });
    db.close();
  });
});
