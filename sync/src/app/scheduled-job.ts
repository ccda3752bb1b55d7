import cron, { type ScheduledTask } from 'node-cron';
import type { RunTrigger } from '../store/runs.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export type JobTrigger = RunTrigger;

export interface JobContext {
  trigger: JobTrigger;
  /** True once the service is stopping: finish the current unit of work (a kommune), then return. */
  shouldStop(): boolean;
}

export interface ScheduledJobOptions<T> {
  /** Shown in /health and logs: "nightly", "kommuneRanking", "ownerRetention". */
  name: string;
  /** node-cron expression (from the env, validated there). */
  cron: string;
  timeZone: string;
  run(context: JobContext): Promise<T>;
  /** What /health shows of a run's result (counts, outcome); nothing personal. */
  describe?(result: T): Record<string, unknown>;
  logger: Logger;
}

export interface JobStatus {
  schedule: string;
  timeZone: string;
  running: boolean;
  stopping: boolean;
  trigger: JobTrigger | null;
  startedAt: string | null;
  nextRun: string | null;
  last: {
    trigger: JobTrigger;
    startedAt: string;
    finishedAt: string;
    outcome: 'ok' | 'failed';
    error?: string;
    [detail: string]: unknown;
  } | null;
}

/**
 * A job the service runs on a cron schedule and on demand, one run at a time: a run asked for
 * while one is going is skipped. `stop` ends the schedule, asks the running job to stop at its
 * next safe point and waits for it up to a deadline.
 */
export class ScheduledJob<T = unknown> {
  readonly name: string;
  private task: ScheduledTask | null = null;
  private current: Promise<T | null> | null = null;
  private running: { trigger: JobTrigger; startedAt: string } | null = null;
  private stopping = false;
  private last: JobStatus['last'] = null;

  constructor(private readonly options: ScheduledJobOptions<T>) {
    this.name = options.name;
  }

  /** Starts the schedule. */
  start(): void {
    if (this.task || this.stopping) return;
    this.task = cron.schedule(this.options.cron, () => void this.run('schedule'), {
      name: this.name,
      timezone: this.options.timeZone,
      noOverlap: true,
    });
  }

  /** Runs now unless a run is going or the job is stopping; resolves with the result, or null when skipped or failed. */
  run(trigger: JobTrigger): Promise<T | null> {
    if (this.stopping) return Promise.resolve(null);
    if (this.current) {
      this.options.logger.warn(`${this.name}: a run is already in progress; this one is skipped`, {
        trigger,
        running: this.running?.trigger,
      });
      return Promise.resolve(null);
    }
    this.running = { trigger, startedAt: new Date().toISOString() };
    this.current = this.execute(this.running).finally(() => {
      this.current = null;
      this.running = null;
    });
    return this.current;
  }

  private async execute(started: { trigger: JobTrigger; startedAt: string }): Promise<T | null> {
    const finished = () => ({ ...started, finishedAt: new Date().toISOString() });
    try {
      const result = await this.options.run({ trigger: started.trigger, shouldStop: () => this.stopping });
      this.last = { ...finished(), outcome: 'ok', ...this.options.describe?.(result) };
      return result;
    } catch (error) {
      this.last = { ...finished(), outcome: 'failed', error: messageOf(error) };
      this.options.logger.error(`${this.name} failed`, { error: messageOf(error) });
      return null;
    }
  }

  status(): JobStatus {
    return {
      schedule: this.options.cron,
      timeZone: this.options.timeZone,
      running: this.current !== null,
      stopping: this.stopping,
      trigger: this.running?.trigger ?? null,
      startedAt: this.running?.startedAt ?? null,
      nextRun: this.stopping ? null : (this.task?.getNextRun()?.toISOString() ?? null),
      last: this.last,
    };
  }

  /**
   * Stops the schedule and waits up to `deadlineMs` for a running job to reach its safe stop.
   * Resolves `false` when the deadline passed first (the run goes on until the process exits).
   */
  async stop(deadlineMs: number): Promise<boolean> {
    this.stopping = true;
    const task = this.task;
    this.task = null;
    await task?.stop();
    await task?.destroy();
    if (!this.current) return true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
    const done = await Promise.race([this.current.then(() => true as const), deadline]);
    clearTimeout(timer);
    if (!done)
      this.options.logger.warn(`${this.name} did not stop within ${Math.round(deadlineMs / 1000)} s`, {
        startedAt: this.running?.startedAt,
      });
    return done;
  }
}
