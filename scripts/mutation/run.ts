/**
 * `npm run test:mutation`: the code run (stryker.config.mjs), then the tables run
 * (stryker.tables.config.mjs), each timed, then the report in docs/mutation-testing.md. One after
 * the other: side by side they were measured no faster (both are CPU work on two cores; the code
 * run's idle stretch, the owner-lookup tests' real-time waits, comes after the tables run would
 * end). A run whose incremental file already exists only tests what changed; the report says which
 * it was. Each output line is prefixed with its run. Exits non-zero when a Stryker run fails (not
 * when mutants survive: the report lists those).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { MUTATION_RUNS, RUN_TIMES_FILE, type RunTime, type RunTimes } from './runs.js';

const repo = path.resolve(import.meta.dirname, '../..');

function stryker(name: string, config: string): Promise<number> {
  const child = spawn('npx', ['stryker', 'run', config], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}] `;
  createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(prefix + line + '\n'));
  createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(prefix + line + '\n'));
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

/** Runs one Stryker run and times it; exits with its code when it fails. */
async function timed(run: (typeof MUTATION_RUNS)[number]): Promise<RunTime> {
  const incremental = existsSync(path.join(repo, run.incrementalFile));
  const started = Date.now();
  const status = await stryker(run.name, run.config);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `${run.name}: ${Math.round(seconds / 60)} min (${incremental ? 'incremental' : 'from scratch'})`,
  );
  if (status !== 0) {
    console.error(`mutation testing: the ${run.name} (${run.config}) failed with exit code ${status}`);
    process.exit(status);
  }
  return { name: run.name, seconds, incremental, finishedAt: new Date().toISOString() };
}

const started = Date.now();
const runs: RunTime[] = [];
for (const run of MUTATION_RUNS) runs.push(await timed(run));
const times: RunTimes = { wallSeconds: Math.round((Date.now() - started) / 1000), runs };
mkdirSync(path.dirname(path.join(repo, RUN_TIMES_FILE)), { recursive: true });
writeFileSync(path.join(repo, RUN_TIMES_FILE), JSON.stringify(times, null, 2) + '\n');

const report = spawnSync('npx', ['tsx', 'scripts/mutation/report.ts'], { cwd: repo, stdio: 'inherit' });
process.exit(report.status ?? 1);
