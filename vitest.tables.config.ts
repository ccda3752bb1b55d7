import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of the rule and schema tables
 * (stryker.tables.config.mjs): the rule file's validation and the committed defaults. Each
 * mutant's run imports the code afresh, so a mutated module-level value takes effect.
 */
export default defineConfig({
  test: {
    include: ['test/unit/config/**/*.test.ts', 'test/golden/defaults.test.ts'],
    environment: 'node',
    // One module graph for a mutant's test files: the code loads once per mutant, not once per
    // file. Each mutant's run still starts a new thread, so a static mutant's value takes effect
    // (the persistent-threads pool of the code run would keep the first mutant's values).
    isolate: false,
  },
});
