import { beforeEach, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import { rankFromSnapshot } from '../../../../sync/src/jobs/kommune-snapshot.js';
import {
  explainKommune,
  explanationContext,
  type KommuneExplanationContext,
} from '../../../../sync/src/scoring/kommune/explanation.js';
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
let ctx: KommuneExplanationContext;
// Per test (about 0.3 s each), not once: StrykerJS counts code run in beforeAll as covered by no
// test in particular and would not run these tests against the ranking's mutants.
beforeEach(async () => {
  const db = openStore(':memory:');
  const store = createKommuneRankingStore(db);
  await rankFromSnapshot({ store, rules: defaultRules().kommuneRanking });
  ranking = store.latestRanking()!;
  ctx = explanationContext(ranking.kommuner, defaultRules().kommuneRanking, {
    kind: 'snapshot',
    date: ranking.refresh.figuresDate,
  });
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

/** The kommune's explanation without the lines every snapshot kommune shares (missing tables, source). */
function reasons(k: StoredKommune): string {
  return explainKommune(k, ctx)
    .filter((l) => !/^(Mangler|Konfidens|Tallene er fra)/.test(l))
    .map((l, i) => (i === 0 ? l : `    ${l}`))
    .join('\n');
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
    const lines = ['Pilotkommuner:', ...PILOTS.map((nr) => reasons(byNr(nr)))];
    for (const [region, list] of Object.entries(CITY_REGIONS))
      lines.push(`${region}-regionen:`, ...list.map((nr) => reasons(byNr(nr))));
    console.log(lines.join('\n'));
    for (const nr of PILOTS) expect(byNr(nr).top, nr).toBe(true);
    for (const list of Object.values(CITY_REGIONS))
      for (const nr of list) expect(byNr(nr).rank!, nr).toBeLessThanOrEqual(120);
    for (const city of ['0301', '4601', '5001', '1103']) expect(byNr(city).top, city).toBe(true);
  });
});

describe('explanations on the real figures', () => {
  it('explains Ålesund on its own boundary, Etnedal’s flagged jump and Utsira under the minimum', () => {
    const alesund = explainKommune(byNr('1508'), ctx);
    expect(alesund[0]).toMatch(/^Ålesund \(1508\) er nr\. \d+ av 357/);
    expect(alesund).toContain(
      'Befolkningsvekst: egne tall for dagens grenser 2021–2023 (kommunen ble delt 2024).',
    );
    expect(byNr('1508').factors.befolkningsvekst.raw).toBeCloseTo(4.11, 1);
    expect(explainKommune(byNr('3450'), ctx).join('\n')).toMatch(
      /Befolkningsvekst \(flagget: \+27,0 % fra 2025 til 2026 \(1 254 → 1 593\) uten grenseendring/,
    );
    expect(explainKommune(byNr('1151'), ctx)[0]).toMatch(
      /– ikke topp 50: under minstegrensen på 10 000 innbyggere \(219\)\.$/,
    );
    // Snapshot: the tables it lacks are named, and confidence says so.
    expect(alesund.join('\n')).toMatch(
      /Konfidens: Lav – 30 % av vekten mangler \(Boligbygging, Sysselsettingsvekst og Byggevilje\)/,
    );
  });
});
