/**
 * `npm run test:mutation`: the code run (stryker.config.mjs), then the tables run
 * (stryker.tables.config.mjs), each timed, then the report in docs/mutation-testing.md. A run
 * whose incremental file already exists only tests what changed; the report says which it was.
 * Exits non-zero when a Stryker run fails (not when mutants survive: the report lists those).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MUTATION_RUNS, RUN_TIMES_FILE, type RunTime } from './runs.js';

const repo = path.resolve(import.meta.dirname, '../..');

function stryker(config: string): number {
  const result = spawnSync('npx', ['stryker', 'run', config], { cwd: repo, stdio: 'inherit' });
  return result.status ?? 1;
}

const times: RunTime[] = [];
for (const run of MUTATION_RUNS) {
  const incremental = existsSync(path.join(repo, run.incrementalFile));
  const started = Date.now();
  const status = stryker(run.config);
  const seconds = Math.round((Date.now() - started) / 1000);
  times.push({ name: run.name, seconds, incremental, finishedAt: new Date().toISOString() });
  console.log(
    `${run.name}: ${Math.round(seconds / 60)} min (${incremental ? 'incremental' : 'from scratch'})`,
  );
  if (status !== 0) {
    console.error(`mutation testing: the ${run.name} (${run.config}) failed with exit code ${status}`);
    process.exit(status);
  }
}
mkdirSync(path.dirname(path.join(repo, RUN_TIMES_FILE)), { recursive: true });
writeFileSync(path.join(repo, RUN_TIMES_FILE), JSON.stringify(times, null, 2) + '\n');

const report = spawnSync('npx', ['tsx', 'scripts/mutation/report.ts'], { cwd: repo, stdio: 'inherit' });
process.exit(report.status ?? 1);
