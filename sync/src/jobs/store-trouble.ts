import { storeFailureReason } from '../store/store-failure.js';

/** What /health shows while the store refuses writes. */
export interface StoreProblem {
  reason: string;
  since: string;
  /** How many times in a row the store failed. */
  failures: number;
  /** When the queue tries again. */
  retryAt: string;
}

/**
 * Backs off while the store fails (a full disk, an I/O error): each failure in a row doubles the
 * wait up to the last step, so a queue that cannot write sleeps instead of spinning; one success
 * clears it.
 */
export class StoreTrouble {
  private problem: StoreProblem | null = null;

  constructor(private readonly stepsMs: number[] = [1_000, 2_000, 5_000, 15_000, 60_000]) {}

  /** Records a failure; returns how long to wait before touching the store again. */
  fail(error: unknown, now: Date): number {
    const failures = (this.problem?.failures ?? 0) + 1;
    const wait = this.stepsMs[Math.min(failures - 1, this.stepsMs.length - 1)] ?? 60_000;
    this.problem = {
      reason: storeFailureReason(error),
      since: this.problem?.since ?? now.toISOString(),
      failures,
      retryAt: new Date(now.getTime() + wait).toISOString(),
    };
    return wait;
  }

  /** The store took a write again: the trouble is over. Returns whether there was any. */
  clear(): boolean {
    const had = this.problem !== null;
    this.problem = null;
    return had;
  }

  current(): StoreProblem | null {
    return this.problem;
  }
}
