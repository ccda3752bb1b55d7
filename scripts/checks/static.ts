/**
 * `npm run checks`: lint, the format check and the type check side by side (each is mostly one
 * thread, so on CI's cores they take about as long together as the slowest alone). Each one's
 * output is printed whole when it ends, under its name; exits non-zero if any failed, naming it.
 */
import { spawn } from 'node:child_process';

const CHECKS = ['lint', 'format:check', 'typecheck'] as const;

interface Outcome {
  name: string;
  code: number;
  seconds: number;
  output: string;
}

function run(name: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      resolve({ name, code: code ?? (signal ? 1 : 0), seconds, output });
    });
  });
}

const outcomes = await Promise.all(
  CHECKS.map(async (name) => {
    const outcome = await run(name);
    const verdict = outcome.code === 0 ? 'passed' : `FAILED (exit ${outcome.code})`;
    process.stdout.write(`\n== ${name}: ${verdict} in ${outcome.seconds.toFixed(1)} s\n${outcome.output}`);
    return outcome;
  }),
);
const failed = outcomes.filter((o) => o.code !== 0).map((o) => o.name);
if (failed.length > 0) {
  console.error(`\nchecks failed: ${failed.join(', ')}`);
  process.exit(1);
}
