import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { rankFromSnapshot } from '../../../../sync/src/jobs/kommune-snapshot.js';
import { openStore } from '../../../../sync/src/store/database.js';
import {
  createKommuneRankingStore,
  type StoredKommune,
  type StoredRanking,
} from '../../../../sync/src/store/kommune-ranking.js';

/**
 * The default ranking on the real SSB figures in the repository (the bundled snapshot: 07459,
 * 14288, 06035, 06944, 01180), as a newcomer gets it on a first start.
 */
let ranking: StoredRanking;
beforeAll(async () => {
  const db = openStore(':memory:');
  const store = createKommuneRankingStore(db);
  await rankFromSnapshot({ store, rules: defaultRules().kommuneRanking });
  ranking = store.latestRanking()!;
  db.close();
});

const PILOTS = ['3207', '3218', '3212']; // Nordre Follo, Ås, Nesodden
/** The large growth kommuner of the city regions of Oslo, Bergen, Trondheim and Stavanger. */
const CITY_REGIONS: Record<string, string[]> = {
  Oslo: ['0301', '3201', '3203', '3205', '3222', '3209'],
  Bergen: ['4601', '4624', '4626', '4631'],
  Trondheim: ['5001', '5028', '5031', '5035'],
  Stavanger: ['1103', '1108', '1124', '1127'],
};

const byNr = (nr: string): StoredKommune => ranking.kommuner.find((k) => k.kommune.kommunenummer === nr)!;

function line(k: StoredKommune): string {
  const factors = Object.values(k.factors).filter((f) => f.normalised !== null);
  const lift = factors
    .slice()
    .sort((a, b) => b.normalised! - a.normalised!)
    .slice(0, 2)
    .map((f) => `${f.label} ${f.normalised!.toFixed(2)}`);
  const pull = factors
    .slice()
    .sort((a, b) => a.normalised! - b.normalised!)
    .slice(0, 1)
    .map((f) => `${f.label} ${f.normalised!.toFixed(2)}`);
  return `${String(k.rank).padStart(3)} ${k.kommune.kommunenummer} ${k.kommune.navn.padEnd(22)} ${k.score!.toFixed(1).padStart(5)} ${k.top ? 'topp 50' : '       '} ${String(k.population).padStart(7)} innb.  løfter: ${lift.join(', ')}; trekker: ${pull.join(', ')}`;
}

describe('the default ranking on the real SSB figures (snapshot)', () => {
  it('flags 50 kommuner, none under the minimum population; the small ones are ranked and marked', () => {
    const min = defaultRules().kommuneRanking.minPopulation;
    const top = ranking.kommuner.filter((k) => k.top);
    expect(top).toHaveLength(50);
    expect(top.filter((k) => k.belowMinPopulation || (k.population ?? 0) < min)).toEqual([]);
    for (const nr of ['1151', '1144', '5052']) {
      // Utsira, Kvitsøy, Leka: ranked and shown, marked, never top 50
      expect(byNr(nr)).toMatchObject({ top: false, belowMinPopulation: true });
      expect(byNr(nr).rank).not.toBeNull();
    }
    expect(ranking.kommuner.filter((k) => k.belowMinPopulation)).toHaveLength(245);
  });

  it('puts the pilot kommuner and the big city-region growth kommuner where the figures put them', () => {
    const lines = ['Pilotkommuner:', ...PILOTS.map((nr) => line(byNr(nr)))];
    for (const [region, list] of Object.entries(CITY_REGIONS))
      lines.push(`${region}-regionen:`, ...list.map((nr) => line(byNr(nr))));
    console.log(lines.join('\n'));
    for (const nr of PILOTS) expect(byNr(nr).top, nr).toBe(true);
    for (const list of Object.values(CITY_REGIONS))
      for (const nr of list) expect(byNr(nr).rank!, nr).toBeLessThanOrEqual(120);
    for (const city of ['0301', '4601', '5001', '1103']) expect(byNr(city).top, city).toBe(true);
  });
});
