/** The two Stryker runs of `npm run test:mutation`, in order, and where their timing is kept. */
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

/** What `npm run test:mutation` took: the whole command and each run. */
export interface RunTimes {
  wallSeconds: number;
  runs: RunTime[];
}
