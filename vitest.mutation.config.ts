import { defineConfig } from 'vitest/config';
import { FastFirstSequencer } from './scripts/mutation/fast-first-sequencer.js';
import { persistentThreadsPool } from './scripts/mutation/persistent-threads-pool.js';

/**
 * The tests StrykerJS runs against each mutant (`npm run test:mutation`): unit, golden and
 * property tests of the floors that hold the mutated rules and of their callers. Left out: tests
 * of floors no mutated module lives on or is called from in a test (sources, net, geo, export,
 * the Airtable client, the CLI, the process) and browser and end-to-end tests; they add to every
 * run and pin wiring, not rules.
 */
export default defineConfig({
  // One worker thread for all of a StrykerJS process's mutant runs, not a new one per mutant. Kept
  // with it, because no mutant reaches them: GEOS's WebAssembly instance (0.2–0.3 s to start; geo/
  // is not mutated, the instance holds no rule, only the GEOS functions every engine and lot-score
  // test calls) and the sample kommune as read from its files (0.8 s; sources/ is not mutated, and
  // the data is frozen, so a mutant that writes to its input fails its own run, not a later one).
  plugins: [
    persistentThreadsPool({ keep: ['/sync/src/geo/geos.ts', '/test/helpers/sample-kommune-data.ts'] }),
  ],
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
      // Tests of unmutated floors that build their fixtures with a mutated one: the dashboard, the
      // top-50 store, the nightly run's kommune choice and plan evidence and the Kommuner writer
      // rank all 357 kommuner through the SSB double; map access starts the app on fixture lots.
      // Run in beforeAll, that makes every ranking and lot-score mutant "static" for StrykerJS (a
      // full reload per mutant) without these tests checking the rules; the scoring tests and the
      // golden files pin them.
      'test/unit/server/kommuner-api.test.ts',
      'test/unit/server/access/**',
      'test/unit/store/kommune-top.test.ts',
      'test/unit/jobs/kommune-choice.test.ts',
      'test/unit/jobs/kommune-snapshot.test.ts',
      'test/unit/jobs/kommune-plan-evidence.test.ts',
      'test/unit/crm/kommuner-writer.test.ts',
    ],
    environment: 'node',
    // Property and seeded tests check fewer cases per mutant (a broken rule fails on most of them).
    env: { TOMTEJAKT_MUTATION: '1' },
    // One module graph for all the test files of a run: GEOS and the test helpers load once per mutant.
    isolate: false,
    sequence: { sequencer: FastFirstSequencer },
    // A mutant that makes a test wait forever (a queue that never starts, a stop that never ends)
    // fails that test after 15 s, before StrykerJS's own limit (2.5 x the covering tests' time
    // + 8 s, often a minute for the queue) times the mutant out and restarts the test runner.
    // The slowest test takes 3.5 s alone. On the owner-lookup queue: 8:30 -> 6:31, 23 timeouts -> 5.
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
