/**
 * How many generated cases a property or seeded test checks: all of them in `npm test`, fewer
 * against each mutant in `npm run test:mutation` (vitest.mutation.config.ts sets
 * TOMTEJAKT_MUTATION), where a broken rule fails on most cases and the run must fit in an hour.
 */
export function cases(full: number, underMutation: number): number {
  return process.env.TOMTEJAKT_MUTATION ? underMutation : full;
}
