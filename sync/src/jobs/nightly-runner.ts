import type { RunTrigger } from '../store/runs.js';
import type { Logger } from '../util/logger.js';
import type { NightlyOptions, RunSummary } from './nightly.js';
import { runNightly } from './nightly.js';
import { formatRunSummary } from './nightly-summary.js';

export interface JobRunner {
  /** Starts a run unless one is going; resolves with its summary, or null when skipped. */
  run(trigger: RunTrigger): Promise<RunSummary | null>;
  /** Lets the current kommune finish, then stops; resolves when the run has ended. */
  stop(): Promise<void>;
  status(): { running: boolean; trigger: RunTrigger | null; startedAt: string | null; stopping: boolean };
}

/**
 * Runs the nightly job in the service so that runs never overlap: a run asked for while one is
 * going is skipped (the store lock does the same across processes).
 */
export function createJobRunner(
  base: Omit<NightlyOptions, 'trigger' | 'shouldStop' | 'kommuner'> & { kommuner: () => string[] },
  logger: Logger,
): JobRunner {
  let current: Promise<RunSummary | null> | null = null;
  let trigger: RunTrigger | null = null;
  let startedAt: string | null = null;
  let stopping = false;
  return {
    run(next) {
      if (stopping) return Promise.resolve(null);
      if (current) {
        logger.warn('A run is already in progress; this one is skipped', { trigger: next, running: trigger });
        return Promise.resolve(null);
      }
      trigger = next;
      startedAt = new Date().toISOString();
      current = (async () => {
        try {
          const summary = await runNightly({
            ...base,
            kommuner: base.kommuner(),
            trigger: next,
            shouldStop: () => stopping,
          });
          for (const line of formatRunSummary(summary)) logger.info(line);
          return summary;
        } catch (error) {
          logger.error('The run failed', { error: (error as Error).message });
          return null;
        } finally {
          current = null;
          trigger = null;
          startedAt = null;
        }
      })();
      return current;
    },
    async stop() {
      stopping = true;
      await current;
    },
    status: () => ({ running: current !== null, trigger, startedAt, stopping }),
  };
}
