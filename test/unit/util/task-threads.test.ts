import { describe, expect, it } from 'vitest';
import { runTasksOnThreads } from '../../../sync/src/util/task-threads.js';

const script = new URL('../../fixtures/threads/multiply-worker.ts', import.meta.url);

describe('runTasksOnThreads', () => {
  it('gives the results in task order, whichever thread finished first', async () => {
    const arrived: number[] = [];
    const tasks = [400, 1, 30, 2, 20, 3, 10];
    const results = await runTasksOnThreads(script, { factor: 3 }, tasks, {
      threads: 2,
      name: 'multiply',
      onResult: (index) => arrived.push(index),
    });
    expect(results).toEqual(tasks.map((t) => t * 3));
    expect([...arrived].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(arrived).not.toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('names the task that threw and the thread that died', async () => {
    await expect(
      runTasksOnThreads(script, { factor: 1 }, [1, 2, -5], { threads: 2, name: 'multiply' }),
    ).rejects.toThrow(/^multiply thread: task 2: Error: no negative numbers \(-5\)/);
    await expect(
      runTasksOnThreads(script, { factor: 1 }, [1, 99], { threads: 1, name: 'multiply' }),
    ).rejects.toThrow('multiply thread: exited with code 3 before its tasks were done');
  });

  it('starts no thread for no tasks', async () => {
    expect(await runTasksOnThreads(script, { factor: 1 }, [], { threads: 2, name: 'multiply' })).toEqual([]);
  });
});
