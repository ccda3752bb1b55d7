/**
 * Time as the SSB client and the kommune refresh see it. The system clock in production; tests
 * pass a manual clock so that a minute of rate limiting passes in microseconds.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock that only moves when slept on or advanced: sleeping returns at once, with time moved on. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createManualClock(start: number | string | Date): ManualClock {
  let time = new Date(start).getTime();
  return {
    now: () => time,
    sleep: async (ms) => {
      time += Math.max(0, ms);
    },
    advance: (ms) => {
      time += ms;
    },
    set: (epochMs) => {
      time = epochMs;
    },
  };
}
