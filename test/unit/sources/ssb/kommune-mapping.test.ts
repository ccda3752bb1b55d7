import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledKommuneChanges, bundledKommuner } from '../../../../sync/src/sources/ssb/bundled.js';
import { boundaryChanges, successorsOf } from '../../../../sync/src/sources/ssb/harmonise.js';
import { loadSsbSnapshot } from '../../../../sync/src/sources/ssb/snapshot.js';

/**
 * The bundled kommune-change mapping (sync/assets/ssb/kommunereform-mapping.csv, the fallback when
 * KLASS is down) checked against SSB's own figures: the 14288 extract's `iKomNr2023` column and
 * the 07459 population series of the snapshot.
 */
const ASSETS = new URL('../../../../sync/assets/ssb/', import.meta.url);
const rows = readFileSync(new URL('kommunereform-mapping.csv', ASSETS), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const changes = bundledKommuneChanges();
const current = new Set(bundledKommuner().map((k) => k.kommunenummer));
const snapshot = loadSsbSnapshot();
const own = snapshot.ownBoundaryPopulation();

/** 07459 as agg_KommSummer publishes it (valg_analyser extract, 2014–2026). */
function aggSeries(): Map<string, Map<number, number>> {
  const result = new Map<string, Map<number, number>>();
  const text = readFileSync(new URL('snapshot/07459-2014-2026.csv', ASSETS), 'utf8');
  for (const line of text.trim().split('\n').slice(1)) {
    const [nr, , year, people] = line.split(',');
    result.set(nr!, (result.get(nr!) ?? new Map<number, number>()).set(Number(year), Number(people)));
  }
  return result;
}
const agg = aggSeries();
const boundaries = boundaryChanges(changes, current);

/** Population per kommune on its own 2024 boundary: agg_KommSummer, and own figures before a split. */
function ownBoundarySeries(nr: string): Map<number, number> {
  const split = boundaries.splitSince.get(nr);
  const series = new Map<number, number>();
  for (const [year, people] of agg.get(nr)!)
    series.set(year, split !== undefined && year < split ? own.get(nr)!.get(year)! : people);
  return series;
}

/**
 * Real moves of more than 8 % in a year without a boundary change, checked against SSB's
 * figures: the 25 % rule flags only Etnedal 2026 (1 254 → 1 593, still SSB's published figure).
 */
const KNOWN_REAL_MOVES: Record<string, string> = {
  '1151 2023': 'Utsira +10.6 % (188 → 208)',
  '3112 2023': 'Råde +9.0 % (7 633 → 8 317)',
  '3450 2024': 'Etnedal +10.3 % (1 239 → 1 366)',
  '3450 2025': 'Etnedal −8.2 % (1 366 → 1 254)',
  '3450 2026': 'Etnedal +27.0 % (1 254 → 1 593): over 25 %, flagged by the ranking',
};
const OVER_25_PERCENT = ['3450 2026'];

describe('the bundled kommune-change mapping', () => {
  it('names a source for every row and has no row before the KLASS window (2018)', () => {
    const sources = new Set(rows.map((r) => r[6]));
    expect([...sources].sort()).toEqual(['klass-2018', 'klass-2019', 'klass-2020', 'ssb-14288-2024']);
    expect(rows.every((r) => Number(r[4]) >= 2018)).toBe(true);
    expect(rows.every((r) => r[0] !== r[1])).toBe(true);
  });

  it('has every 2023→2024 change of SSB 14288 (iKomNr2023), and no other 2024 row', () => {
    const text = readFileSync(new URL('snapshot/14288-07459-2000-2050.csv', ASSETS), 'utf8');
    const [header, ...lines] = text
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const [nrAt, oldAt] = [header!.indexOf('kommunenummer'), header!.indexOf('iKomNr2023')];
    const expected = lines
      .map((c) => [c[oldAt]!.padStart(4, '0'), c[nrAt]!.padStart(4, '0')])
      .filter(([o, n]) => o !== n || lines.filter((c) => c[oldAt]!.padStart(4, '0') === o).length > 1)
      .map(([o, n]) => `${o}→${n}`)
      .sort();
    const actual = rows
      .filter((r) => r[4] === '2024')
      .map((r) => `${r[0]}→${r[1]}`)
      .sort();
    expect(actual).toEqual(expected);
    expect(actual).toHaveLength(115); // 113 renumbered (county splits) + Ålesund 1507 → 1508 and 1580
  });

  it('carries every old code onto today’s kommuner, and the rows SSB’s figures contradicted are corrected', () => {
    for (const change of changes)
      expect(successorsOf(change.oldCode, changes, current).length, change.oldCode).toBeGreaterThan(0);
    const to = (oldCode: string) => successorsOf(oldCode, changes, current).sort();
    // The earlier hand-made mapping had these wrong; KLASS 131 (changes 2019→2020) and the
    // population levels agree on the kommune each went to (docs/kommune-ranking.md).
    expect(to('1430')).toEqual(['4647']); // Gaular → Sunnfjord, not Fjaler (Fjaler 2019 = 2 770, Fjaler alone)
    expect(to('1444')).toEqual(['1577']); // Hornindal → Volda, not Gloppen (Gloppen flat 2019→2020)
    expect(to('1571')).toEqual(['5055']); // Halsa → Heim, not Aure
    expect(to('0716')).toEqual(['3905']); // Re → Tønsberg, not Holmestrand
    expect(to('1027')).toEqual(['4225']); // Audnedal → Lyngdal, not Lindesnes
    expect(to('1718')).toEqual(['5054']); // Leksvik → Indre Fosen (2018), not Inderøy
    expect(to('1725')).toEqual(['5007']); // Namdalseid → Namsos, not Steinkjer
    expect(to('1632')).toEqual(['5058']); // Roan → Åfjord, not Osen (Osen 2019 = 947, Osen alone)
    expect(to('1546')).toEqual(['1508', '1580']); // Sandøy → Ålesund 1507 (2020), split in 2024
    // Rows that were missing: the 2020 Ålesund merger, Leikanger, Narvik, Hitra, and the splits.
    expect(to('1504')).toEqual(['1508', '1580']);
    expect(to('1419')).toEqual(['4640']);
    expect(to('1805')).toEqual(['1806']);
    expect(to('5013')).toEqual(['5056']);
    expect(to('1850')).toEqual(['1806', '1875']);
    expect(to('5012')).toEqual(['5055', '5056', '5059']);
    expect(to('1201')).toEqual(['4601']); // pure renumbering 2020
    expect(to('0213')).toEqual(['3207']); // Ski → Nordre Follo 3020 (2020) → 3207 (2024)
  });

  it('knows every split the 07459 series shows: elsewhere agg_KommSummer equals the own-boundary figures', () => {
    expect(Object.fromEntries(boundaries.splitSince)).toEqual({
      '1508': 2024,
      '1580': 2024,
      '1806': 2020,
      '1875': 2020,
      '5055': 2020,
      '5056': 2020,
      '5059': 2020,
    });
    for (const [nr, series] of agg) {
      const split = boundaries.splitSince.get(nr) ?? 0;
      for (const [year, people] of series)
        if (year <= 2024 && year >= split) expect(people, `${nr} ${year}`).toBe(own.get(nr)!.get(year));
    }
    // agg_KommSummer: Haram 0 in 2020–2023 and all of old Ålesund on 1508; Heim … 0 before 2020.
    for (const year of [2020, 2021, 2022, 2023]) {
      expect(agg.get('1580')!.get(year)).toBe(0);
      expect(agg.get('1508')!.get(year)).toBe(own.get('1508')!.get(year)! + own.get('1580')!.get(year)!);
    }
    for (const nr of ['5055', '5056', '5059', '1806', '1875']) expect(agg.get(nr)!.get(2019)).toBe(0);
  });

  it('gives series on today’s kommuner with no unexplained jump over 25 % (07459 2014–2026)', () => {
    const over = (limit: number) => {
      const found: string[] = [];
      for (const nr of agg.keys()) {
        const series = ownBoundarySeries(nr);
        for (const [year, people] of series) {
          const before = series.get(year - 1);
          if (before === undefined) continue;
          expect(before, `${nr} ${year - 1}`).toBeGreaterThan(0);
          if (Math.abs(people / before - 1) > limit) found.push(`${nr} ${year}`);
        }
      }
      return found.sort();
    };
    expect(over(0.25)).toEqual(OVER_25_PERCENT);
    expect(over(0.08)).toEqual(Object.keys(KNOWN_REAL_MOVES).sort());
  });

  it('puts Ålesund’s and Haram’s growth on their own 2024 boundaries, and it is plausible', () => {
    const growth = (nr: string) => {
      const s = ownBoundarySeries(nr);
      return (s.get(2026)! / s.get(2021)! - 1) * 100;
    };
    expect(growth('1508')).toBeCloseTo(4.11, 1); // agg_KommSummer alone: −10.5 %, the worst of 357
    expect(growth('1580')).toBeCloseTo(1.05, 1);
    for (const nr of ['1508', '1580']) {
      const s = ownBoundarySeries(nr);
      for (let year = 2015; year <= 2026; year += 1)
        expect(Math.abs(s.get(year)! / s.get(year - 1)! - 1), `${nr} ${year}`).toBeLessThan(0.03);
    }
  });
});
