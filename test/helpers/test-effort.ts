/**
 * Whether these tests run against StrykerJS's mutants (`npm run test:mutation`;
 * vitest.mutation.config.ts sets TOMTEJAKT_MUTATION) rather than in `npm test`.
 */
export function isMutationRun(): boolean {
  return Boolean(process.env.TOMTEJAKT_MUTATION);
}

/**
 * How many generated cases a property or seeded test checks: all of them in `npm test`, fewer
 * against each mutant in `npm run test:mutation` (vitest.mutation.config.ts sets
 * TOMTEJAKT_MUTATION), where a broken rule fails on most cases and the run must fit in an hour.
 */
export function cases(full: number, underMutation: number): number {
  return isMutationRun() ? underMutation : full;
}

/**
 * How long a test waits for something asynchronous before it fails: long enough for a loaded
 * machine in `npm test`; short against each mutant, so a mutant that stalls the code fails its
 * test (killed) before Stryker's own timeout restarts the test runner (tens of seconds each).
 */
export function patienceMs(full: number, underMutation = 1_500): number {
  return isMutationRun() ? Math.min(full, underMutation) : full;
}

/**
 * How long a real-time window of the code under test lasts (a kept lock, a notice delay): the
 * production value in `npm test`; shorter against each mutant, where every covering test runs
 * once per mutant and a window of seconds, waited out, is most of the run's time.
 */
export function windowMs(full: number, underMutation: number): number {
  return isMutationRun() ? underMutation : full;
}
