/** The two Stryker runs of `npm run test:mutation` (run side by side) and where their timing is kept. */
export const MUTATION_RUNS = [
  {
    name: 'code run',
    config: 'stryker.config.mjs',
    incrementalFile: 'reports/mutation/incremental-code.json',
  },
  {
    name: 'tables run',
    config: 'stryker.tables.config.mjs',
    incrementalFile: 'reports/mutation/incremental-tables.json',
  },
] as const;

export const RUN_TIMES_FILE = 'reports/mutation/run-times.json';

export interface RunTime {
  name: string;
  seconds: number;
  /** Whether the run started from an incremental file (only changed mutants tested). */
  incremental: boolean;
  finishedAt: string;
}

/** What `npm run test:mutation` took: the whole command (the runs side by side) and each run. */
export interface RunTimes {
  wallSeconds: number;
  runs: RunTime[];
}
