import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A committed expected file and how to compute its lines. The lists are in defaults.ts (the
 * defaults themselves) and results.ts (what they produce): apart, so the tables mutation run,
 * which reloads the code for every mutant, does not load the pipeline for the defaults test.
 */
export interface Golden {
  name: string;
  file: string;
  compute(): string[] | Promise<string[]>;
}

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
