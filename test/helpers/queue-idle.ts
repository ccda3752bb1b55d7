import { patienceMs } from './test-effort.js';

/**
 * `queue.idle()`, failing with a named cause after `full` ms (`underMutation` against a mutant)
 * rather than hanging the test: under StrykerJS a stalled queue is then a killed mutant, not a
 * timeout that restarts the test runner.
 */
export async function idleWithin(
  queue: { idle(): Promise<void> },
  full = 20_000,
  underMutation = 5_000,
): Promise<void> {
  const limit = patienceMs(full, underMutation);
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the owner-lookup queue was not idle within ${limit} ms`)),
      limit,
    );
  });
  try {
    await Promise.race([queue.idle(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}
