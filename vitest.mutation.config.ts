import { defineConfig } from 'vitest/config';
import { FastFirstSequencer } from './scripts/mutation/fast-first-sequencer.js';

/**
 * The tests StrykerJS runs against each mutant (`npm run test:mutation`): unit, golden and
 * property tests of the floors that hold the mutated rules and of their callers. Left out: tests
 * of floors no mutated module lives on or is called from in a test (sources, net, geo, export,
 * the Airtable client, the CLI, the process) and browser and end-to-end tests; they add to every
 * run and pin wiring, not rules.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/{config,crm,domain,engine,jobs,lot-record,presentation,scoring,server,store}/**/*.test.ts',
      'test/golden/**/*.test.ts',
      // Tests on other floors that call a mutated module.
      'test/unit/sources/constraint-layers.test.ts',
      'test/unit/scripts/owner-lookup-automation.test.ts',
      'test/unit/cli/commands/owners.test.ts',
    ],
    exclude: [
      'test/unit/**/*.browser.test.ts',
      'test/unit/crm/airtable/**',
      'test/unit/crm/setup/**',
      'test/unit/server/app.test.ts',
      // The whole nightly run on the sample kommune, per test: for every engine and scoring
      // mutant it would repeat what the golden sample test pins once.
      'test/unit/jobs/nightly.test.ts',
      // SSB fetching, paging, retries and the refresh schedule (jobs/, not mutated): 5 s a run,
      // and the ranking it calls is pinned by the scoring/kommune tests and the golden ranking.
      'test/unit/jobs/kommune-refresh.test.ts',
      // The printed score report (not mutated) over scored fixtures.
      'test/unit/scoring/lot/report.test.ts',
    ],
    environment: 'node',
    // Property and seeded tests check fewer cases per mutant (a broken rule fails on most of them).
    env: { TOMTEJAKT_MUTATION: '1' },
    // One module graph for every run: GEOS (WebAssembly) and the test helpers load once, not per mutant.
    isolate: false,
    sequence: { sequencer: FastFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
