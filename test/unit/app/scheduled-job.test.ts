import { describe, expect, it } from 'vitest';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';

const job = <T>(
  run: ConstructorParameters<typeof ScheduledJob<T>>[0]['run'],
  describe?: (r: T) => Record<string, unknown>,
) =>
  new ScheduledJob<T>({
    name: 'test',
    cron: '0 2 * * *',
    timeZone: 'Europe/Oslo',
    run,
    describe,
    logger: createMemoryLogger(),
  });

describe('a scheduled job', () => {
  it('runs one at a time: a run asked for while one is going is skipped', async () => {
    let release!: () => void;
    let calls = 0;
    const scheduled = job(async () => {
      calls += 1;
      await new Promise<void>((resolve) => (release = resolve));
      return calls;
    });
    const first = scheduled.run('cli');
    expect(await scheduled.run('schedule')).toBeNull();
    expect(scheduled.status()).toMatchObject({ running: true, trigger: 'cli' });
    release();
    expect(await first).toBe(1);
    expect(scheduled.status()).toMatchObject({
      running: false,
      trigger: null,
      last: { trigger: 'cli', outcome: 'ok' },
    });
    expect(calls).toBe(1);
  });

  it('shows the next run in its time zone once started, and none after stopping', async () => {
    const scheduled = job(async () => 1);
    expect(scheduled.status().nextRun).toBeNull();
    scheduled.start();
    const next = new Date(scheduled.status().nextRun!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const osloHour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hour12: false }).format(
        next,
      ),
    );
    expect(osloHour).toBe(2);
    expect(await scheduled.stop(100)).toBe(true);
    expect(scheduled.status()).toMatchObject({ nextRun: null, stopping: true });
    expect(await scheduled.run('cli')).toBeNull();
  });

  it('records a failed run with its error, and what a successful run describes', async () => {
    let fail = true;
    const scheduled = job(
      async () => {
        if (fail) throw new Error('SSB answered 503');
        return { lots: 7 };
      },
      (result) => ({ lots: result.lots }),
    );
    expect(await scheduled.run('schedule')).toBeNull();
    expect(scheduled.status().last).toMatchObject({ outcome: 'failed', error: 'SSB answered 503' });
    fail = false;
    await scheduled.run('schedule');
    expect(scheduled.status().last).toMatchObject({ outcome: 'ok', lots: 7 });
  });

  it('asks a running job to stop at its next safe point and waits for it', async () => {
    const units: number[] = [];
    const scheduled = job(async ({ shouldStop }) => {
      for (let unit = 1; unit <= 50 && !shouldStop(); unit += 1) {
        units.push(unit);
        await new Promise((r) => setTimeout(r, 10));
      }
      return units.length;
    });
    const running = scheduled.run('cli');
    await new Promise((r) => setTimeout(r, 35));
    expect(await scheduled.stop(5_000)).toBe(true);
    expect(units.length).toBeGreaterThan(0);
    expect(units.length).toBeLessThan(50);
    expect(await running).toBe(units.length);
  });

  it('gives up waiting at the deadline for a job that never reaches a safe point', async () => {
    const scheduled = job(() => new Promise<never>(() => undefined));
    void scheduled.run('cli');
    const started = Date.now();
    expect(await scheduled.stop(200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
