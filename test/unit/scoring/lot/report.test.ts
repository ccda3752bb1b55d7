import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../../sync/src/config/rules.js';
import type { Lot, LotScore, ScoredLot, Tier } from '../../../../sync/src/domain/lot.js';
import { findLots } from '../../../../sync/src/engine/find-lots.js';
import { scoreDetailsOf } from '../../../../sync/src/presentation/score-details.js';
import { formatScoreReport, rankScored } from '../../../../sync/src/scoring/lot/report.js';
import { scoreLots } from '../../../../sync/src/scoring/lot/score-lots.js';
import { kommuneDataOf } from '../../../../scripts/sample/kommune-data.js';
import { generateKommune, SAMPLE_OPTIONS } from '../../../../scripts/sample/kommune-generator.js';
import { polygon, rect } from '../../../helpers/plan-data.js';
import { figures, makeLot } from './lot-fixtures.js';

function scoredLot(
  matrikkel: string,
  total: number,
  tier: Tier,
  confidence: LotScore['confidence'] = 'high',
): ScoredLot {
  const lot = makeLot(polygon(rect(0, 0, 100, 100)), { matrikkel });
  return {
    ...lot,
    score: {
      total,
      tier,
      factors: [
        { key: 'storrelse', label: 'Størrelse', weight: 15, value: 0.5, points: 7.5, reason: '' },
        { key: 'kommunalVilje', label: 'Kommunal vilje', weight: 10, value: null, points: 5, reason: '' },
      ],
      constraints: [],
      capacity: { homes: 40, method: '%-BYA 30', detail: '', basis: 'utnytting' },
      confidence,
      confidenceReasons: [],
      explanation: `Score ${total} av 100 (klasse ${tier}).`,
    },
  };
}

describe('formatScoreReport', () => {
  it('prints the tier distribution, confidence counts and the best lots first', () => {
    const lots = [
      scoredLot('1/1', 45, 'C'),
      scoredLot('1/2', 82, 'A', 'medium'),
      scoredLot('1/3', 61, 'B', 'low'),
      scoredLot('1/4', 82, 'A'),
      scoredLot('1/5', 12, 'D'),
    ];
    const report = formatScoreReport(lots, { top: 3 });
    const lines = report.split('\n');
    expect(lines[0]).toBe('Lot scores: 5 lots');
    expect(lines[1]).toMatch(/^ {2}A \(80–100\) +2 +40\.0 % {2}#{40}$/);
    expect(lines[2]).toMatch(/^ {2}B \(60–79\) +1 +20\.0 % {2}#{20}$/);
    expect(lines[4]).toMatch(/^ {2}D \(< 40\) +1 +20\.0 %/);
    expect(report).toContain('Scores: min 12, median 61, mean 56.4, max 82');
    expect(report).toContain('Confidence: high 3, medium 1, low 1');
    expect(report).toContain('Qualified (60 or more): 3 lots, 120 estimated homes');
    expect(report).toContain('Top 3:');
    // Equal totals by tomtId: 1/2 before 1/4.
    expect(rankScored(lots).map((l) => l.matrikkelnummertekst)).toEqual(['1/2', '1/4', '1/3', '1/1', '1/5']);
    const top = lines.filter((l) => /^ {2}\d\. /.test(l));
    expect(top.map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '1. 82 A',
      '2. 82 A',
      '3. 61 B',
    ]);
    expect(report).toContain('Størrelse 7.5/15 · Kommunal vilje 5.0/10 (no data)');
    expect(report).toContain('      Score 82 av 100 (klasse A).');
  });

  it('says so when there is nothing to report', () => {
    expect(formatScoreReport([])).toBe('Lot scores: 0 lots');
  });
});

describe('the generated sample kommune', () => {
  let scored: ScoredLot[];
  let lots: Lot[];
  beforeAll(async () => {
    const data = kommuneDataOf(generateKommune(SAMPLE_OPTIONS));
    const rules = defaultRules();
    ({ lots } = await findLots(data, rules.engine, { workers: 1 }));
    scored = await scoreLots(lots, { data, kommune: figures(65), rules: rules.lotScore });
  });

  it('scores every lot with a breakdown that adds up and a tier from the total', () => {
    expect(scored.length).toBeGreaterThan(500);
    for (const { score } of scored) {
      expect(Math.round(score.factors.reduce((s, f) => s + f.points, 0) * 10)).toBe(score.total * 10);
      expect(score.tier).toBe(
        score.total >= 80 ? 'A' : score.total >= 60 ? 'B' : score.total >= 40 ? 'C' : 'D',
      );
      expect(score.explanation.startsWith(`Score ${score.total} av 100 (klasse ${score.tier}).`)).toBe(true);
    }
  });

  it('finds the generator’s hensynssoner on the lots: the flood band, the landslide corner, the noise along the road', () => {
    const touched = (key: string) =>
      scored.filter((s) => s.score.constraints.some((c) => c.key === key && c.fraction > 0));
    for (const key of ['flom', 'skred', 'stoyRod', 'stoyGul', 'fellesPlanlegging'])
      expect(touched(key).length).toBeGreaterThan(0);
    expect(
      touched('flom').some((s) => s.score.constraints.find((c) => c.key === 'flom')!.fraction === 1),
    ).toBe(true);
  });

  it('ranks plausibly: big conflict-free lots on top, lots wholly under severe constraints never qualified', () => {
    const ranked = rankScored(scored);
    const count = (tier: Tier) => scored.filter((s) => s.score.tier === tier).length;
    expect(count('A')).toBeGreaterThan(0);
    expect(count('D')).toBeGreaterThan(0);
    // Most lots are house-sized parcels: C is the common tier, A the rare one.
    expect(count('C')).toBeGreaterThan(count('B'));
    expect(count('B')).toBeGreaterThan(count('A'));
    for (const lot of ranked.slice(0, 10)) {
      expect(lot.score.total).toBeGreaterThanOrEqual(70);
      expect(lot.score.capacity.homes).toBeGreaterThanOrEqual(50);
      expect(lot.arealM2).toBeGreaterThan(10_000);
    }
    for (const lot of scored) {
      const severe = lot.score.constraints
        .filter((c) => c.severe)
        .reduce((max, c) => Math.max(max, c.fraction), 0);
      if (severe >= 0.95) expect(['C', 'D']).toContain(lot.score.tier);
    }
  });

  it('keeps the stored ScoreDetails (version 1) adding up to the total', () => {
    for (const { score } of scored) {
      const details = JSON.parse(JSON.stringify(scoreDetailsOf(score))) as ReturnType<typeof scoreDetailsOf>;
      expect(details.version).toBe(1);
      expect(Math.round(details.factors.reduce((s, f) => s + f.points, 0) * 10)).toBe(score.total * 10);
      expect(details.capacity.method).toBe(score.capacity.method);
    }
  });

  it('never scores a lot higher when the kommune’s reguleringsplan data is missing, and never with High confidence', async () => {
    const uncovered = await scoreLots(lots, {
      data: kommuneDataOf(generateKommune(SAMPLE_OPTIONS), { reguleringsplan: 'not-covered' }),
      kommune: figures(65),
      rules: defaultRules().lotScore,
    });
    let lower = 0;
    uncovered.forEach((lot, i) => {
      expect(lot.score.total).toBeLessThanOrEqual(scored[i]!.score.total);
      expect(lot.score.confidence).toBe('low');
      if (lot.score.total < scored[i]!.score.total) lower += 1;
    });
    expect(lower).toBeGreaterThan(0);
  });

  it('prints a report with the distribution and the top 10 with their reasons', () => {
    const report = formatScoreReport(scored);
    expect(report).toContain(`Lot scores: ${scored.length} lots`);
    expect(report).toContain('Top 10:');
    expect(report.match(/Score \d+ av 100 \(klasse [ABCD]\)\./g)).toHaveLength(10);
  });
});
