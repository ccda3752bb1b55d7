import { describe, expect, it } from 'vitest';
import { compactKommuneBoundaries } from '../../../sync/src/presentation/kommune-boundaries.js';
import { kommuneRankingCsv } from '../../../sync/src/presentation/kommune-csv.js';
import {
  kommuneDashboard,
  kommuneScoreColour,
  norwegianNumber,
  type KommuneFactorInput,
  type KommuneRankingInput,
  type KommuneRankingRowInput,
} from '../../../sync/src/presentation/kommune-dashboard.js';
import { kommuneDetail, lineChart } from '../../../sync/src/presentation/kommune-detail.js';
import { MISSING_SCORE_COLOR } from '../../../sync/src/presentation/style.js';

const factor = (key: string, raw: number | null, normalised: number | null, points: number, weight = 10) =>
  ({
    key,
    label:
      key === 'vekst' ? 'Befolkningsvekst' : key === 'pris' ? 'Boligpris' : key === 'ny' ? 'Ny faktor' : key,
    weight,
    raw,
    year: raw === null ? null : '2026',
    normalised,
    points,
    missing: raw === null ? 'not-available' : null,
  }) satisfies KommuneFactorInput;

function kommune(
  nr: string,
  navn: string,
  rank: number | null,
  score: number | null,
  factors: KommuneFactorInput[],
  extra: Partial<KommuneRankingRowInput> = {},
): KommuneRankingRowInput {
  return {
    kommune: { kommunenummer: nr, navn, fylkesnummer: nr.slice(0, 2), fylkesnavn: 'Akershus' },
    score,
    rank,
    top: rank !== null && rank <= 2,
    confidence: factors.some((f) => f.raw === null) ? 'medium' : 'high',
    weightShare: factors.filter((f) => f.raw !== null).length / factors.length,
    missing: factors.filter((f) => f.raw === null).map((f) => f.key),
    factors: Object.fromEntries(factors.map((f) => [f.key, f])),
    ...extra,
  };
}

const input: KommuneRankingInput = {
  refreshId: 7,
  updatedAt: '2026-03-10T23:30:00Z',
  factorInfo: [
    { key: 'vekst', unit: '% siste 5 år' },
    { key: 'pris', unit: 'kr per m²' },
  ],
  kommuner: [
    // The factors' own order in the ranking is not the method's: the columns follow factorInfo.
    kommune(
      '3207',
      'Nordre Follo',
      1,
      80,
      [factor('pris', 52_000, 0.9, 9), factor('vekst', 8.2, 1, 10), factor('ny', 3, 0.2, 2)],
      {
        previousRank: 3,
        population: 62_000,
      },
    ),
    kommune('3218', 'Ås', 2, 70, [
      factor('vekst', 6.1, 0.5, 5),
      factor('pris', 48_000, 0.9, 9),
      factor('ny', 4, 0.6, 6),
    ]),
    kommune(
      '3212',
      'Nesodden',
      3,
      40,
      [factor('vekst', null, null, 0, 0), factor('pris', 45_500, 0.1, 1), factor('ny', 9, 1, 10)],
      {
        explanation: 'Nesodden har båt til Oslo.\nFerja teller ikke i metoden.',
      },
    ),
    kommune('5001', 'Ukjent', null, null, [
      factor('vekst', null, null, 0),
      factor('pris', null, null, 0),
      factor('ny', null, null, 0),
    ]),
  ],
};

describe('kommune dashboard (presentation)', () => {
  it('takes its columns from the ranking: the method order first, then factors it does not know', () => {
    const d = kommuneDashboard(input);
    expect(d.factors).toEqual([
      { key: 'vekst', label: 'Befolkningsvekst', unit: '% siste 5 år', weight: 10, decimals: 1, of: 2 },
      { key: 'pris', label: 'Boligpris', unit: 'kr per m²', weight: 10, decimals: 0, of: 3 },
      { key: 'ny', label: 'Ny faktor', unit: null, weight: 10, decimals: 1, of: 3 },
    ]);
    expect(d).toMatchObject({ count: 4, topCount: 2, hasPopulation: true, updatedText: '11.03.2026' });
  });

  it('ranks each factor by its 0–1 value, ties sharing a rank, missing figures unranked', () => {
    const d = kommuneDashboard(input);
    const ranks = (key: string) => d.kommuner.map((k) => k.factors[key]!.rank);
    expect(ranks('pris')).toEqual([1, 1, 3, null]);
    expect(ranks('vekst')).toEqual([1, 2, null, null]);
    expect(ranks('ny')).toEqual([3, 2, 1, null]);
    expect(d.kommuner[2]!.factors.vekst).toMatchObject({ value: null, missing: 'not-available' });
    expect(d.kommuner[2]!.missing).toEqual(['Befolkningsvekst']);
  });

  it('colours by score class, grey without a score', () => {
    expect([85, 80, 79.9, 55, 30, 29.9, 0].map(kommuneScoreColour)).toEqual([
      '#0c2c84',
      '#0c2c84',
      '#225ea8',
      '#41b6c4',
      '#c7e9b4',
      '#ffffcc',
      '#ffffcc',
    ]);
    expect(kommuneScoreColour(null)).toBe(MISSING_SCORE_COLOR);
    expect(kommuneDashboard(input).kommuner.map((k) => k.colour)).toEqual([
      '#0c2c84',
      '#225ea8',
      '#7fcdbb',
      MISSING_SCORE_COLOR,
    ]);
  });

  it('writes numbers the Norwegian way', () => {
    expect(norwegianNumber(1234567.891, 2)).toBe('1 234 567,89');
    expect(norwegianNumber(-3.45, 1)).toBe('-3,5');
    expect(norwegianNumber(-0.04, 1)).toBe('0,0');
    expect(norwegianNumber(48000, 0)).toBe('48 000');
  });

  it('explains a kommune from its factors when the ranking has no explanation', () => {
    const d = kommuneDashboard(input);
    const detail = kommuneDetail(d, '3207', [])!;
    expect(detail.explanation).toEqual({
      source: 'generated',
      paragraphs: [
        'Nordre Follo er nr. 1 av 4 med 80,0 poeng og står på topp 2-listen.',
        'Trekker opp: Befolkningsvekst (nr. 1 av 2, 10,0 poeng av vekt 10), Boligpris (nr. 1 av 3, 9,0 poeng av vekt 10).',
        'Trekker ned: Ny faktor (nr. 3 av 3, 2,0 poeng av vekt 10).',
        'Alle faktorene har tall, og konfidensen er høy.',
        'Opp 2 plasser siden forrige oppdatering (var nr. 3).',
      ],
    });
    expect(detail.headline).toBe('Nr. 1 av 4 · 80,0 poeng · konfidens høy · topp 2');
    expect(detail.factors.map((f) => [f.label, f.valueText, f.rank, f.of])).toEqual([
      ['Befolkningsvekst', '8,2', 1, 2],
      ['Boligpris', '52 000', 1, 3],
      ['Ny faktor', '3,0', 3, 3],
    ]);
    expect(kommuneDetail(d, '3218', [])!.explanation.paragraphs[3]).toBe(
      'Alle faktorene har tall, og konfidensen er høy.',
    );
    expect(kommuneDetail(d, '5001', [])!.explanation.paragraphs[0]).toBe(
      'Ukjent har ingen score: ingen av faktorene kunne beregnes.',
    );
    expect(kommuneDetail(d, '9999', [])).toBeNull();
  });

  it("uses the ranking's own explanation when it has one", () => {
    const d = kommuneDashboard(input);
    const detail = kommuneDetail(d, '3212', [], input.kommuner[2]!.explanation)!;
    expect(detail.explanation).toEqual({
      source: 'ranking',
      paragraphs: ['Nesodden har båt til Oslo.', 'Ferja teller ikke i metoden.'],
    });
    expect(kommuneDetail(d, '3212', [], ['Én linje.'])!.explanation.paragraphs).toEqual(['Én linje.']);
    // Missing data is in the generated summary, with what it did to the weights.
    expect(kommuneDetail(d, '3212', [])!.explanation.paragraphs).toContain(
      'Mangler tall for Befolkningsvekst: vekten er fordelt på de andre faktorene (67 % av vekten har tall), og konfidensen er middels.',
    );
  });

  it('charts the score and each factor over the refreshes, oldest first', () => {
    const d = kommuneDashboard(input);
    const history = [
      {
        refreshId: 7,
        finishedAt: '2026-03-10T11:00:00Z',
        score: 80,
        rank: 1,
        factors: { vekst: { raw: 8.2, points: 10 } },
      },
      {
        refreshId: 5,
        finishedAt: '2026-02-24T11:00:00Z',
        score: 60,
        rank: 3,
        factors: { vekst: { raw: 7.9, points: 9 } },
      },
      { refreshId: 6, finishedAt: '2026-03-03T11:00:00Z', score: null, rank: null },
    ];
    const detail = kommuneDetail(d, '3207', history)!;
    expect(detail.history.map((h) => [h.date, h.score, h.rank])).toEqual([
      ['24.02.2026', 60, 3],
      ['03.03.2026', null, null],
      ['10.03.2026', 80, 1],
    ]);
    // 320 × 130 with the plot inside 30/10/8/20: 0 at y 110, 100 at y 8; x by date.
    expect(detail.chart.dots).toEqual([
      { x: 30, y: 48.8, title: '24.02.2026: 60,0 poeng, nr. 3' },
      { x: 310, y: 28.4, title: '10.03.2026: 80,0 poeng, nr. 1' },
    ]);
    expect(detail.chart.path).toBe('M30 48.8M310 28.4'); // broken where the score is missing
    expect(detail.chart.yTicks.map((t) => t.label)).toEqual(['0', '50', '100']);
    expect(detail.chart.xLabels.map((l) => l.label)).toEqual(['24.02.2026', '10.03.2026']);
    const growth = detail.factors.find((f) => f.key === 'vekst')!.spark!;
    expect(growth.dots.map((p) => p.title)).toEqual(['24.02.2026: 7,9', '10.03.2026: 8,2']);
    expect(growth.dots.map((p) => p.y)).toEqual([19, 3]);
    expect(detail.factors.find((f) => f.key === 'pris')!.spark).toBeNull();
  });

  it('draws one point in the middle and no line for a single refresh', () => {
    const chart = lineChart([{ at: '2026-03-10T11:00:00Z', value: 5, title: 'x' }], {
      width: 100,
      height: 20,
      pad: { left: 0, right: 0, top: 0, bottom: 0 },
    });
    expect(chart).toMatchObject({ path: '', dots: [{ x: 50, y: 10, title: 'x' }], yTicks: [], xLabels: [] });
  });
});

describe('kommune ranking CSV', () => {
  it('is UTF-8 with BOM, `;`-separated, decimal comma, CRLF, one column group per factor', () => {
    const csv = kommuneRankingCsv(kommuneDashboard(input));
    expect(
      csv.startsWith('\uFEFFRang;Forrige rang;Kommunenummer;Kommune;Fylke;Folketall;Score;Topp 2;'),
    ).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(6); // header, 4 kommuner, the empty string after the last CRLF
    expect(lines[0]!.split(';').slice(11)).toEqual([
      'Befolkningsvekst (% siste 5 år)',
      'Befolkningsvekst år',
      'Befolkningsvekst poeng',
      'Befolkningsvekst rang (av 2)',
      'Boligpris (kr per m²)',
      'Boligpris år',
      'Boligpris poeng',
      'Boligpris rang (av 3)',
      'Ny faktor',
      'Ny faktor år',
      'Ny faktor poeng',
      'Ny faktor rang (av 3)',
    ]);
    expect(lines[1]).toBe(
      '1;3;3207;Nordre Follo;Akershus;62000;80,00;ja;Høy;1,000;;8,20;2026;10,00;1;52000,00;2026;9,00;1;3,00;2026;2,00;3',
    );
    expect(lines[3]).toBe(
      '3;;3212;Nesodden;Akershus;;40,00;nei;Middels;0,667;Befolkningsvekst;;;0,00;;45500,00;2026;1,00;3;9,00;2026;10,00;1',
    );
  });

  it('quotes separators and defuses formulas in text cells', () => {
    const tricky = {
      ...input,
      kommuner: [kommune('0301', '=HYPERLINK("x");"Oslo"', 1, 50, [factor('vekst', 1, 1, 5)])],
    };
    const line = kommuneRankingCsv(kommuneDashboard(tricky)).split('\r\n')[1]!;
    expect(line).toContain(`;"'=HYPERLINK(""x"");""Oslo"""`);
  });
});

describe('compact kommune boundaries', () => {
  it('rounds, drops repeated points and rings that collapse, keeps every kommune as a MultiPolygon', () => {
    const out = compactKommuneBoundaries({
      features: [
        {
          properties: { kommunenummer: 301, name: 'Oslo' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [10.70001, 59.90001],
                [10.70004, 59.90004],
                [10.8, 59.9],
                [10.8, 60.0],
                [10.7, 59.9],
              ],
              // A hole smaller than the grid: gone.
              [
                [10.75001, 59.95001],
                [10.75002, 59.95002],
                [10.75003, 59.95001],
                [10.75001, 59.95001],
              ],
            ],
          },
        },
        {
          properties: { kommunenummer: '3218', kommunenavn: 'Ås' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [10.8, 59.6],
                  [10.9, 59.6],
                  [10.9, 59.7],
                  [10.8, 59.6],
                ],
              ],
              // An islet smaller than the grid: gone, and with it nothing else.
              [
                [
                  [10.85001, 59.65001],
                  [10.85002, 59.65001],
                  [10.85002, 59.65002],
                  [10.85001, 59.65001],
                ],
              ],
            ],
          },
        },
        { properties: { kommunenummer: '9999' }, geometry: null },
      ],
    });
    expect(out).toEqual({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { kommunenummer: '0301', kommunenavn: 'Oslo' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [10.7, 59.9],
                  [10.8, 59.9],
                  [10.8, 60],
                  [10.7, 59.9],
                ],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { kommunenummer: '3218', kommunenavn: 'Ås' },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [10.8, 59.6],
                  [10.9, 59.6],
                  [10.9, 59.7],
                  [10.8, 59.6],
                ],
              ],
            ],
          },
        },
      ],
    });
  });
});
