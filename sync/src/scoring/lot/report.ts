import type { Confidence, ScoredLot, Tier } from '../../domain/lot.js';

export interface ScoreReportOptions {
  /** How many of the best lots to list with their reasons (default 10). */
  top?: number;
  /** Line width the explanations are wrapped to (default 100). */
  width?: number;
}

const TIERS: Array<[Tier, string]> = [
  ['A', 'A (80–100)'],
  ['B', 'B (60–79)'],
  ['C', 'C (40–59)'],
  ['D', 'D (< 40)'],
];

/** Best first; equal totals by tomtId, so the list is the same every run. */
export function rankScored(scored: readonly ScoredLot[]): ScoredLot[] {
  return [...scored].sort(
    (a, b) => b.score.total - a.score.total || (a.tomtId < b.tomtId ? -1 : a.tomtId > b.tomtId ? 1 : 0),
  );
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

const fixed1 = (n: number) => n.toFixed(1);

/**
 * The run summary's lot-score part (printed by `tomtejakt run`): tier distribution, confidence
 * counts, and the best lots with each factor's points and the Norwegian explanation.
 */
export function formatScoreReport(scored: readonly ScoredLot[], options: ScoreReportOptions = {}): string {
  const top = options.top ?? 10;
  const width = options.width ?? 100;
  const lines: string[] = [`Lot scores: ${scored.length} lots`];
  if (scored.length === 0) return lines.join('\n');
  const count = (tier: Tier) => scored.filter((s) => s.score.tier === tier).length;
  const most = Math.max(...TIERS.map(([t]) => count(t)));
  for (const [tier, label] of TIERS) {
    const n = count(tier);
    const bar = '#'.repeat(most ? Math.round((n / most) * 40) : 0);
    lines.push(
      `  ${label.padEnd(11)} ${String(n).padStart(6)} ${fixed1((n / scored.length) * 100).padStart(5)} %  ${bar}`,
    );
  }
  const totals = scored.map((s) => s.score.total).sort((a, b) => a - b);
  const median = totals[Math.floor((totals.length - 1) / 2)]!;
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  lines.push(`  Scores: min ${totals[0]}, median ${median}, mean ${fixed1(mean)}, max ${totals.at(-1)}`);
  const byConfidence = (c: Confidence) => scored.filter((s) => s.score.confidence === c).length;
  lines.push(
    `  Confidence: high ${byConfidence('high')}, medium ${byConfidence('medium')}, low ${byConfidence('low')}`,
  );
  const qualified = scored.filter((s) => s.score.total >= 60);
  const homes = qualified.reduce((sum, s) => sum + s.score.capacity.homes, 0);
  lines.push(`  Qualified (60 or more): ${qualified.length} lots, ${homes} estimated homes`);

  const best = rankScored(scored).slice(0, top);
  lines.push('', `Top ${best.length}:`);
  best.forEach((lot, i) => {
    const s = lot.score;
    lines.push(
      `${String(i + 1).padStart(3)}. ${String(s.total).padStart(3)} ${s.tier}  ${lot.tomtId}  ` +
        `${fixed1(lot.arealM2 / 1000)} daa, ${s.capacity.homes} homes (${s.capacity.method}), confidence ${s.confidence}`,
    );
    const factors = s.factors
      .map((f) => `${f.label} ${fixed1(f.points)}/${f.weight}${f.value === null ? ' (no data)' : ''}`)
      .join(' · ');
    lines.push(...wrap(factors, width, '      '));
    lines.push(...wrap(s.explanation, width, '      '));
  });
  return lines.join('\n');
}
