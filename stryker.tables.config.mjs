// @ts-check
/**
 * Mutation testing of the rules kept in tables: the rule file's defaults and bounds
 * (config/*-rules.ts) and the Airtable schema with each field's owner (crm/schema/). These are
 * module-level values (static mutants), so every mutant reloads the code and runs the whole
 * suite of vitest.tables.config.ts; the TypeScript checker first discards mutants that do not
 * type-check (a field owner "" is not a FieldOwner). See docs/mutation-testing.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/*', './scripts/mutation/log-call-ignorer.mjs'],
  ignorers: ['log-calls'],
  vitest: { configFile: 'vitest.tables.config.ts' },
  checkers: ['typescript'],
  // The tables and what they import, not their many importers: a check then re-reads a few files,
  // not most of sync/src (the checker was the run's bottleneck). A mutant whose type error would
  // only show in an importer goes to the tests instead, which see a changed default or owner.
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: ['sync/src/config/*-rules.ts', 'sync/src/crm/schema/*.ts'],
  ignoreStatic: false,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental-tables.json',
  // Two checkers and two test runners while the checks run, then four runners on the two cores: the
  // runs wait on loading more than they compute (from scratch 7:23 with concurrency 2, 6:03 with 4).
  concurrency: 4,
  // A mutant that loops forever is cut off soon after the covering tests' normal time; with four
  // runners on two cores a mutant whose defaults fail to load took over 3 s once.
  timeoutMS: 5_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/tables.json' },
  clearTextReporter: { reportScoreTable: true, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp-tables',
  cleanTempDir: 'always',
};
