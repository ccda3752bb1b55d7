import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVitest, type Vitest } from 'vitest/node';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/persistent-pool');

interface ProbeLine {
  test: string;
  threadId: number;
  evaluationsSoFar: number;
  keptEvaluationsSoFar: number;
  cached: string[];
  runLabel: string;
  activeMutantAtLoad: string | null;
  hitCountAtLoad: number | null;
}

/** Runs the fixture project the way StrykerJS's vitest runner does: one vitest, a run per mutant. */
async function strykerLikeVitest(out: string): Promise<Vitest> {
  process.env.PROBE_OUT = out;
  return createVitest('test', {
    root: FIXTURE,
    config: path.join(FIXTURE, 'vitest.config.ts'),
    pool: 'threads',
    maxWorkers: 1,
    watch: false,
    reporters: [{}],
  });
}

async function run(vitest: Vitest, label: string, testName: RegExp): Promise<void> {
  vitest.state.filesMap.clear();
  vitest.provide('runLabel', label);
  for (const project of vitest.projects) project.config.testNamePattern = testName;
  await vitest.start([path.join(FIXTURE, 'runs.probe.ts')]);
}

describe('the persistent-threads pool of the mutation runs', () => {
  let vitest: Vitest | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await vitest?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves run after run from one thread, with each run’s filter and provided values, fresh project modules, no mutant named nor hit count kept while they load, and the kept ones kept', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'persistent-pool-'));
    const out = path.join(dir, 'probe.jsonl');
    vitest = await strykerLikeVitest(out);

    await run(vitest, 'mutant 1', /first probe/);
    await run(vitest, 'mutant 2', /second probe/);
    await run(vitest, 'mutant 3', /probe/);

    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ProbeLine);
    expect(lines.map((l) => [l.runLabel, l.test])).toEqual([
      ['mutant 1', 'first'],
      ['mutant 2', 'second'],
      ['mutant 3', 'first'],
      ['mutant 3', 'second'],
    ]);
    // One thread for all three runs: the project module was evaluated once per run in it,
    // and its state from an earlier run never reached a later one.
    expect(new Set(lines.map((l) => l.threadId)).size).toBe(1);
    expect(lines.map((l) => l.evaluationsSoFar)).toEqual([1, 2, 3, 3]);
    expect(lines.map((l) => l.cached)).toEqual([['first'], ['second'], ['first'], ['first', 'second']]);
    // A module the pool was told to keep is evaluated once for all runs.
    expect(lines.map((l) => l.keptEvaluationsSoFar)).toEqual([1, 1, 1, 1]);
    // No run's modules load with the previous run's mutant named, as on a new thread.
    expect(lines.map((l) => l.activeMutantAtLoad)).toEqual([null, null, null, null]);
    // Nor with its hit count: a static mutant's module would count on from it, up to the limit.
    expect(lines.map((l) => l.hitCountAtLoad)).toEqual([null, null, null, null]);
    expect(vitest.state.getCountOfFailedTests()).toBe(0);
  });
});
