import { afterEach, describe, expect, it } from 'vitest';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import express from 'express';
import type { RunningService, ServiceOptions } from '../../../sync/src/server/service.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { kommuneResultsOf } from '../../../sync/src/store/run-kommuner.js';
import { lastRun } from '../../../sync/src/store/runs.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';
import { startFixtureService } from './fixture-service.js';

let service: RunningService | undefined;
let db: Db;
afterEach(async () => {
  await service?.stop();
  service = undefined;
  db.close();
});

const start = (
  stages: ReturnType<typeof fixtureStages>,
  kommuner = ['3218'],
  extra: Partial<ServiceOptions> = {},
) => startFixtureService(db, stages, kommuner, extra);

describe('service', () => {
  it('runs the sample kommune at once on a first start without Airtable, so the map has lots', async () => {
    db = openStore(':memory:');
    service = await start(fixtureStages(() => aasLots({ count: 7 })));
    expect(service.initialRun).not.toBeNull();
    await service.initialRun;
    const lots = (await (await fetch(`${service.url}/api/lots`)).json()) as { features: unknown[] };
    expect(lots.features).toHaveLength(7);
    expect(lastRun(db)).toMatchObject({ trigger: 'first-start', status: 'ok' });
    const health = (await (await fetch(`${service.url}/health`)).json()) as { nextRun: string };
    expect(new Date(health.nextRun).getTime()).toBeGreaterThan(Date.now());
  });

  it('runs extensions: their routes, start and stop, and their health under their name', async () => {
    db = openStore(':memory:');
    const calls: string[] = [];
    const router = express.Router();
    router.post('/', (_req, res) => {
      res.status(202).json({ queued: true });
    });
    service = await start(
      fixtureStages(() => aasLots({ count: 1 })),
      ['3218'],
      {
        extensions: [
          {
            name: 'ownerLookup',
            routers: [{ path: '/webhooks/owner-lookup', router }],
            start: () => void calls.push('start'),
            stop: async () => void calls.push('stop'),
            health: () => ({ state: 'not-configured' }),
          },
        ],
      },
    );
    await service.initialRun;
    expect((await fetch(`${service.url}/webhooks/owner-lookup`, { method: 'POST' })).status).toBe(202);
    const health = (await (await fetch(`${service.url}/health`)).json()) as { ownerLookup: unknown };
    expect(health.ownerLookup).toEqual({ state: 'not-configured' });
    await service.stop();
    service = undefined;
    expect(calls).toEqual(['start', 'stop']);
  });

  it('does not run at start when the store already has runs', async () => {
    db = openStore(':memory:');
    service = await start(fixtureStages(() => aasLots({ count: 2 })));
    await service.initialRun;
    await service.stop();
    service = await start(fixtureStages(() => aasLots({ count: 2 })));
    expect(service.initialRun).toBeNull();
  });

  it('never overlaps runs, and on stop finishes the current kommune, then exits', async () => {
    db = openStore(':memory:');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stages = fixtureStages(() => aasLots({ count: 4 }));
    const load = stages.loadKommuneData;
    stages.loadKommuneData = async (k): Promise<KommuneData> => {
      await gate;
      return load(k);
    };
    service = await start(stages, ['3218', '3207'], { runNow: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(await service.runner.run('schedule')).toBeNull();
    expect(service.runner.status().running).toBe(true);
    const stopping = service.stop();
    release();
    await stopping;
    const run = lastRun(db)!;
    expect(run.status).toBe('interrupted');
    expect(kommuneResultsOf(db, run.id).map((k) => [k.kommunenummer, k.outcome])).toEqual([
      ['3218', 'ok'],
      ['3207', 'skipped'],
    ]);
    await expect(fetch(`${service.url}/health`)).rejects.toThrow();
    service = undefined;
  });
});
