import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptAcrossMutants, mutantIdsIn } from '../../helpers/kept-across-mutants.js';

const stryker = globalThis as { __stryker__?: { activeMutant?: string } };

function counted() {
  const calls = { count: 0 };
  const compute = () => {
    calls.count += 1;
    return Promise.resolve(`lots ${calls.count}`);
  };
  return { calls, compute };
}

describe('values kept across mutants on the mutation thread', () => {
  afterEach(() => {
    delete stryker.__stryker__;
  });

  it('computes afresh when no mutant is named (npm test, the coverage run)', async () => {
    const { calls, compute } = counted();
    expect(await keptAcrossMutants('no mutant', compute)).toBe('lots 1');
    expect(await keptAcrossMutants('no mutant', compute)).toBe('lots 2');
    expect(calls.count).toBe(2);
  });

  it('keeps the value for every mutant outside the engine floors (here none is instrumented)', async () => {
    const { calls, compute } = counted();
    stryker.__stryker__ = { activeMutant: '4100' };
    expect(await keptAcrossMutants('outside', compute)).toBe('lots 1');
    stryker.__stryker__ = { activeMutant: '4101' };
    expect(await keptAcrossMutants('outside', compute)).toBe('lots 1');
    expect(calls.count).toBe(1);
  });

  it('does not keep a failed computation', async () => {
    stryker.__stryker__ = { activeMutant: '17' };
    let calls = 0;
    const failing = () => Promise.reject(new Error(`engine failed ${++calls}`));
    await expect(keptAcrossMutants('failing', failing)).rejects.toThrow('engine failed 1');
    await expect(keptAcrossMutants('failing', failing)).rejects.toThrow('engine failed 2');
  });

  it('finds the mutant ids StrykerJS instrumented into a floor, nested folders included', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kept-'));
    try {
      mkdirSync(path.join(dir, 'lots'));
      writeFileSync(
        path.join(dir, 'opening.ts'),
        'if (stryMutAct_9fa48("12")) {} else { stryCov_9fa48("12", "13"); return stryMutAct_9fa48("13") ? a : b; }',
      );
      writeFileSync(path.join(dir, 'lots', 'split.ts'), 'const x = stryMutAct_9fa48("140") ? 0 : 1000;');
      writeFileSync(path.join(dir, 'notes.md'), 'stryMutAct_9fa48("999")');
      expect(mutantIdsIn(dir).sort()).toEqual(['12', '13', '140']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
