import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import { startService, type RunningService } from '../../../sync/src/app/service.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';

let service: RunningService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('the service process', () => {
  it('mounts a part’s routes, starts it after listening, stops it after the jobs, and shows its health', async () => {
    const calls: string[] = [];
    const router = express.Router();
    router.post('/', (_req, res) => {
      res.status(202).json({ queued: true });
    });
    const job = new ScheduledJob({
      name: 'nightly',
      cron: '0 2 * * *',
      timeZone: 'Europe/Oslo',
      logger: createMemoryLogger(),
      run: async () => {
        calls.push('job');
        return null;
      },
    });
    const part = {
      name: 'ownerLookup',
      routers: [{ path: '/webhooks/owner-lookup', router }],
      start: () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
      health: () => ({ state: 'not-configured' }),
    };
    service = await startService({
      host: '127.0.0.1',
      port: 0,
      jobs: [job],
      parts: [part],
      lots: { active: () => [], byId: () => null },
      health: () => ({ httpStatus: 200, body: { [part.name]: part.health(), nightly: job.status() } }),
      shutdownTimeoutMs: 1_000,
      logger: createMemoryLogger(),
    });
    expect(calls).toEqual(['start']);
    expect((await fetch(`${service.url}/webhooks/owner-lookup`, { method: 'POST' })).status).toBe(202);
    const health = (await (await fetch(`${service.url}/health`)).json()) as {
      ownerLookup: unknown;
      nightly: { nextRun: string };
    };
    expect(health.ownerLookup).toEqual({ state: 'not-configured' });
    expect(new Date(health.nightly.nextRun).getTime()).toBeGreaterThan(Date.now());
    expect((await fetch(`${service.url}/api/lots`)).status).toBe(200);
    await job.run('cli');
    expect(await service.stop()).toBe(true);
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    expect(calls).toEqual(['start', 'job', 'stop']);
    service = undefined;
  });
});
