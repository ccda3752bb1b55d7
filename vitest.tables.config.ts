import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of the rule and schema tables
 * (stryker.tables.config.mjs): the rule file's validation and the committed defaults. Each test
 * file imports the code afresh, so a mutated module-level value takes effect.
 */
export default defineConfig({
  test: {
    include: ['test/unit/config/**/*.test.ts', 'test/golden/defaults.test.ts'],
    environment: 'node',
  },
});
