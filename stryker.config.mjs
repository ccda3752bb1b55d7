// @ts-check
/**
 * Mutation testing of the rules in code (`npm run test:mutation` runs this, then
 * stryker.tables.config.mjs for the rules kept in tables). See docs/mutation-testing.md.
 *
 * Incremental: a rerun tests only the mutants in changed code or covered by changed tests.
 * Static mutants (module-level constants) are left to the tables run, which reloads the code
 * per mutant; here every mutant runs only the tests that cover it.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/*', './scripts/mutation/log-call-ignorer.mjs'],
  ignorers: ['log-calls'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'sync/src/engine/**/*.ts',
    // Thread plumbing and the printed summary: no rule lives there.
    '!sync/src/engine/worker-pool.ts',
    '!sync/src/engine/zone-worker.ts',
    '!sync/src/engine/format-summary.ts',
    'sync/src/scoring/**/*.ts',
    // The score distribution printed after a run: wording and layout, no rule.
    '!sync/src/scoring/lot/report.ts',
    'sync/src/crm/sync/**/*.ts',
    'sync/src/server/webhooks/authenticate.ts',
    'sync/src/server/webhooks/signature.ts',
    'sync/src/jobs/owner-lookup-queue.ts',
    'sync/src/store/owner-lookup-jobs.ts',
    'sync/src/store/audit-log.ts',
  ],
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental-code.json',
  // Four runners on two cores: the owner-lookup queue's tests mostly wait in real time (locks,
  // leases, retries), and with two runners the CPU sat idle through those ~300 mutants (load 0.5,
  // 14 mutants a minute, against 110 a minute elsewhere). Elsewhere four runners share the cores.
  concurrency: 4,
  // A mutant that loops forever is cut off this long after the covering tests' normal time. The
  // margin also holds the first run on a restarted test runner (a new thread, vitest, GEOS): with
  // 3 s it did not, so after one real timeout every next mutant timed out too (a restart each).
  timeoutMS: 8_000,
  // The normal time is measured with the cores to one runner; with four runners sharing two cores
  // a test takes up to twice that, so the factor leaves room for it (a slow survivor is not a timeout).
  timeoutFactor: 2.5,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/code.json' },
  clearTextReporter: { reportScoreTable: true, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
