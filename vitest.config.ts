import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine, while
    // much of the suite waits on child processes, browsers and sockets. Two keep both cores busy
    // (measured on 2 cores: the whole suite 568 s → 377 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'sync',
          include: [
            'test/unit/**/*.test.ts',
            'test/golden/**/*.test.ts',
            'test/doubles/**/*.test.ts',
            'test/e2e/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'extension',
          include: ['test/extension/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          testTimeout: 30_000,
        },
      },
    ],
  },
});
