/**
 * Writes the mutation-testing report into docs/mutation-testing.md (between its report markers):
 * the date, the score per module from the two Stryker runs (reports/mutation/*.json), every
 * surviving mutant, and every mutant the code marks as equivalent with its reason
 * (`// Stryker disable … : reason` next to it). `npm run test:mutation` runs it last.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RUN_TIMES_FILE, type RunTimes } from './runs.js';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

/** The modules the issue names, in the order the report lists them. */
const MODULES: Array<[string, (file: string) => boolean]> = [
  ['engine/', (f) => f.startsWith('sync/src/engine/')],
  ['config/*-rules.ts', (f) => f.startsWith('sync/src/config/')],
  ['scoring/lot/', (f) => f.startsWith('sync/src/scoring/lot/')],
  ['scoring/kommune/', (f) => f.startsWith('sync/src/scoring/kommune/')],
  ['crm/sync/', (f) => f.startsWith('sync/src/crm/sync/')],
  ['crm/schema/ (field owners)', (f) => f.startsWith('sync/src/crm/schema/')],
  ['webhook authentication', (f) => f.startsWith('sync/src/server/webhooks/')],
  [
    'owner-lookup queue and audit',
    (f) => /jobs\/owner-lookup-queue|store\/(owner-lookup-jobs|audit-log)/.test(f),
  ],
];

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
/** The reason scripts/mutation/log-call-ignorer.mjs gives. */
const LOG_LINE_REASON = 'a log line: its wording is not a rule';
const START = '<!-- mutation-report:start -->';
const END = '<!-- mutation-report:end -->';

const repo = path.resolve(import.meta.dirname, '../..');
const reports = ['reports/mutation/code.json', 'reports/mutation/tables.json']
  .map((file) => path.join(repo, file))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Report);
if (reports.length === 0)
  throw new Error('no Stryker reports under reports/mutation/: run `npm run test:mutation`');

const mutants = reports.flatMap((report) =>
  Object.entries(report.files).flatMap(([file, { source, mutants: list }]) =>
    list.map((m) => ({
      ...m,
      file: path.relative(repo, path.resolve(repo, file)),
      line: lineOf(source, m),
      original: originalOf(source, m),
    })),
  ),
);

function lineOf(source: string, mutant: Mutant): string {
  return (source.split('\n')[mutant.location.start.line - 1] ?? '').trim().slice(0, 100);
}

/** The code the mutant replaced (columns are 1-based), so a reader sees which part of the line changed. */
function originalOf(source: string, mutant: Mutant): string {
  const { start, end } = mutant.location;
  const lines = source.split('\n').slice(start.line - 1, end.line);
  if (lines.length === 0) return '';
  lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, end.column - 1);
  lines[0] = lines[0]!.slice(start.column - 1);
  const text = lines.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const isMarked = (m: (typeof mutants)[number]) =>
  m.status === 'Ignored' && m.statusReason !== undefined && !/static/i.test(m.statusReason);
const isLogLine = (m: (typeof mutants)[number]) => m.statusReason === LOG_LINE_REASON;
const logLineMutants = mutants.filter(isLogLine).length;
const rows = MODULES.map(([name, inModule]) => {
  const list = mutants.filter((m) => inModule(m.file));
  const count = (statuses: Set<string>) => list.filter((m) => statuses.has(m.status)).length;
  const detected = count(DETECTED);
  const undetected = count(UNDETECTED);
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  return {
    name,
    score,
    detected,
    survived: list.filter((m) => m.status === 'Survived').length,
    noCoverage: list.filter((m) => m.status === 'NoCoverage').length,
    equivalent: list.filter((m) => isMarked(m) && !isLogLine(m)).length,
    invalid: list.filter((m) => m.status === 'CompileError' || m.status === 'RuntimeError').length,
  };
});

const timesFile = path.join(repo, RUN_TIMES_FILE);
const times = existsSync(timesFile) ? (JSON.parse(readFileSync(timesFile, 'utf8')) as RunTimes) : null;
const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
const timing = times
  ? [
      ...times.runs.map(
        (t) => `- ${t.name}: ${minutes(t.seconds)}, ${t.incremental ? 'incremental' : 'from scratch'}`,
      ),
      `- in all: ${minutes(times.wallSeconds)}`,
    ]
  : [];

const where = (m: (typeof mutants)[number]) => `${m.file}:${m.location.start.line}`;
const lines = [
  START,
  `Last run: ${new Date().toISOString().slice(0, 10)} (StrykerJS 9, \`npm run test:mutation\`).`,
  '',
  ...(timing.length > 0 ? [...timing, ''] : []),
  '| module | score | killed | survived | no coverage | equivalent (marked) | invalid (type errors, crashes) |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.score.toFixed(1)} % | ${r.detected} | ${r.survived} | ${r.noCoverage} | ${r.equivalent} | ${r.invalid} |`,
  ),
  '',
  '### Surviving mutants',
  '',
  ...(mutants.some((m) => UNDETECTED.has(m.status))
    ? mutants
        .filter((m) => UNDETECTED.has(m.status))
        .map(
          (m) =>
            `- \`${where(m)}\` ${m.mutatorName}: \`${m.original}\` → \`${m.replacement ?? ''}\` in \`${m.line}\``,
        )
    : ['None.']),
  '',
  '### Mutants marked equivalent or harmless in the code',
  '',
  `Not listed: ${logLineMutants} mutants inside log calls, left out by \`scripts/mutation/log-call-ignorer.mjs\`.`,
  '',
  ...mutants
    .filter((m) => isMarked(m) && !isLogLine(m))
    .map((m) => `- \`${where(m)}\` ${m.mutatorName}: ${m.statusReason}`),
  END,
];

const doc = path.join(repo, 'docs/mutation-testing.md');
const text = readFileSync(doc, 'utf8');
const [before, rest] = text.split(START);
const after = rest?.split(END)[1];
if (before === undefined || after === undefined) throw new Error(`${doc} has no report markers`);
writeFileSync(doc, before + lines.join('\n') + after);
for (const r of rows) console.log(`${r.name.padEnd(32)} ${r.score.toFixed(1).padStart(5)} %`);
