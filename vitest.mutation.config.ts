import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (`npm run test:mutation`): unit, golden and
 * property tests of the rules; no browser, no end-to-end process tests (they add minutes per
 * mutant and pin wiring, not rules).
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'],
    exclude: ['test/unit/**/*.browser.test.ts', 'test/unit/architecture/**'],
    environment: 'node',
    // Property and seeded tests check fewer cases per mutant (a broken rule fails on most of them).
    env: { TOMTEJAKT_MUTATION: '1' },
    // One module graph for every run: GEOS (WebAssembly) and the test helpers load once, not per mutant.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
