import { defineConfig } from 'vitest/config';
import { persistentThreadsPool } from './scripts/mutation/persistent-threads-pool.js';

/**
 * The tests StrykerJS runs against each mutant of the rule and schema tables
 * (stryker.tables.config.mjs): the rule file's validation and the committed defaults. Each
 * mutant's run imports the code afresh, so a mutated module-level value takes effect.
 */
export default defineConfig({
  // One worker thread for all of a StrykerJS process's mutant runs (as in the code run): the thread
  // forgets the project's modules before each run, so each static mutant's values load afresh;
  // only the thread, vitest and node_modules stay. 85 s -> 62 s on engine- and kommune-rules.ts.
  plugins: [persistentThreadsPool()],
  test: {
    include: ['test/unit/config/**/*.test.ts', 'test/golden/defaults.test.ts'],
    environment: 'node',
    // One module graph for a mutant's test files: the code loads once per mutant, not once per file.
    isolate: false,
  },
});
