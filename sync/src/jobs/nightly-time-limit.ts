import type { PipelineStage } from '../store/run-kommuner.js';

/** A kommune that took longer than KOMMUNE_TIME_LIMIT_MINUTES: named by kommune, stage and limit. */
export class TimeLimitError extends Error {
  constructor(
    readonly kommunenummer: string,
    readonly stage: PipelineStage,
    readonly limitMs: number,
  ) {
    super(
      `kommune ${kommunenummer} went over its time limit of ${limitText(limitMs)} (KOMMUNE_TIME_LIMIT_MINUTES) in stage ${stage}; its last good lots are kept`,
    );
  }
}

function limitText(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 1 ? `${Number(minutes.toFixed(2))} min` : `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * One kommune's time budget across its stages up to the store. A stage is raced against what is
 * left: past the limit its signal aborts (sources stop fetching, engine workers are ended) and the
 * stage fails. Work on this thread cannot be interrupted, so a stage that overran there fails as
 * soon as it returns, before anything is stored. Time a kommune waits for its turn is not counted.
 */
export class KommuneTimeLimit {
  private usedMs = 0;

  constructor(
    readonly kommunenummer: string,
    readonly limitMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async run<T>(
    stage: PipelineStage,
    work: (signal: AbortSignal) => T | Promise<T>,
    outer?: AbortSignal,
  ): Promise<T> {
    this.check(stage);
    const controller = new AbortController();
    const signal = outer ? AbortSignal.any([controller.signal, outer]) : controller.signal;
    const started = this.clock();
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new TimeLimitError(this.kommunenummer, stage, this.limitMs);
        controller.abort(error);
        reject(error);
      }, this.limitMs - this.usedMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => work(signal)), overrun]);
    } finally {
      clearTimeout(timer);
      this.usedMs += this.clock() - started;
      this.check(stage);
    }
  }

  /** Throws when the kommune has used up its time (called around every stage). */
  check(stage: PipelineStage): void {
    if (this.usedMs > this.limitMs) throw new TimeLimitError(this.kommunenummer, stage, this.limitMs);
  }
}
