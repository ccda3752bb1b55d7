import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { airtableSchemaLines, defaultRuleLines } from './defaults.js';
import { kommuneRankingLines } from './kommune-ranking.js';
import { sampleExplanationLines } from './sample-explanations.js';
import { sampleLotLines } from './sample-lots.js';

export interface Golden {
  name: string;
  file: string;
  compute(): string[] | Promise<string[]>;
}

/** The defaults themselves: the rule file's every value and the Airtable schema with its owners. */
export const GOLDEN_DEFAULTS: Golden[] = [
  { name: 'default rules', file: 'default-rules.expected.json', compute: defaultRuleLines },
  { name: 'Airtable schema', file: 'airtable-schema.expected.json', compute: airtableSchemaLines },
];

/** What the defaults produce: the sample kommune's lots and the kommune ranking. */
export const GOLDEN_RESULTS: Golden[] = [
  { name: 'sample kommune lots', file: 'sample-lots.expected.tsv', compute: () => sampleLotLines() },
  { name: 'kommune ranking', file: 'kommune-ranking.expected.tsv', compute: () => kommuneRankingLines() },
  {
    name: 'reviewed explanations',
    file: 'sample-explanations.expected.tsv',
    compute: () => sampleExplanationLines(),
  },
];

export const GOLDEN = [...GOLDEN_DEFAULTS, ...GOLDEN_RESULTS];

export const goldenPath = (file: string) => path.join(import.meta.dirname, file);

export function readGolden(file: string): string[] {
  return readFileSync(goldenPath(file), 'utf8').replace(/\n$/, '').split('\n');
}

export function writeGolden(file: string, lines: string[]): void {
  writeFileSync(goldenPath(file), lines.join('\n') + '\n');
}

/**
 * What moved between the expected and the actual lines, keyed by their first column: rows gone,
 * rows new and rows whose other columns changed (with before → after), header lines compared whole.
 */
export function describeChanges(expected: string[], actual: string[], limit = 25): string[] {
  const rows = (lines: string[]) =>
    new Map(lines.filter((l) => !l.startsWith('#')).map((l) => [keyOf(l), l] as const));
  const before = rows(expected);
  const after = rows(actual);
  const out: string[] = [];
  const headers = (lines: string[]) => lines.filter((l) => l.startsWith('#'));
  const [hb, ha] = [headers(expected), headers(actual)];
  hb.forEach((line, i) => {
    if (line !== ha[i]) out.push(`  header: ${line}\n       → ${ha[i] ?? '(none)'}`);
  });
  const gone = [...before.keys()].filter((k) => !after.has(k));
  const added = [...after.keys()].filter((k) => !before.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
  out.push(`  ${gone.length} gone, ${added.length} new, ${changed.length} changed`);
  for (const k of gone.slice(0, limit)) out.push(`  - ${before.get(k)}`);
  for (const k of added.slice(0, limit)) out.push(`  + ${after.get(k)}`);
  for (const k of changed.slice(0, limit)) out.push(`  ~ ${before.get(k)}\n    → ${after.get(k)}`);
  return out;
}

/** The ranking's key is the kommune (column 2); the lots' key is the tomt id (column 1); JSON lines are their own key. */
function keyOf(line: string): string {
  const columns = line.split('\t');
  return /^\d+$|^-$/.test(columns[0]!) ? columns[1]! : columns[0]!;
}
