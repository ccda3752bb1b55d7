import { afterEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../sync/src/app/app.js';
import type { KommuneData } from '../../../sync/src/domain/kommune.js';
import { runKommuneRefresh } from '../../../sync/src/jobs/kommune-refresh.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createKommuneRankingStore } from '../../../sync/src/store/kommune-ranking.js';
import { kommuneResultsOf } from '../../../sync/src/store/run-kommuner.js';
import { lastRun } from '../../../sync/src/store/runs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startSsbHarness } from '../../doubles/ssb/harness.js';
import { aasLots, fixtureStages } from '../../fixtures/crm/lots.js';
import { startFixtureApp, tempStorePath } from './fixture-app.js';

let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** The store as another process sees it after the app has closed its own connection. */
const reopen = (storePath: string) => openStore(storePath);

describe('the app (npm start)', () => {
  it('runs the sample kommune at once on a first start without Airtable, so the map has lots', async () => {
    const storePath = tempStorePath();
    app = await startFixtureApp(
      storePath,
      fixtureStages(() => aasLots({ count: 7 })),
    );
    expect(app.initialRun).not.toBeNull();
    await app.initialRun;
    const lots = (await (await fetch(`${app.url}/api/lots`)).json()) as { features: unknown[] };
    expect(lots.features).toHaveLength(7);
    const health = (await (await fetch(`${app.url}/health`)).json()) as {
      nextRun: string;
      jobs: { nightly: { last: { trigger: string; outcome: string; status: string } } };
    };
    expect(new Date(health.nextRun).getTime()).toBeGreaterThan(Date.now());
    expect(health.jobs.nightly.last).toMatchObject({ trigger: 'first-start', outcome: 'ok', status: 'ok' });
    await app.stop();
    app = undefined;
    const db = reopen(storePath);
    expect(lastRun(db)).toMatchObject({ trigger: 'first-start', status: 'ok' });
    db.close();
  });

  it('does not run at start when the store already has runs', async () => {
    const storePath = tempStorePath();
    app = await startFixtureApp(
      storePath,
      fixtureStages(() => aasLots({ count: 2 })),
    );
    await app.initialRun;
    await app.stop();
    app = await startFixtureApp(
      storePath,
      fixtureStages(() => aasLots({ count: 2 })),
    );
    expect(app.initialRun).toBeNull();
  });

  it('never overlaps runs, and on stop finishes the current kommune, then closes the store', async () => {
    const storePath = tempStorePath();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stages = fixtureStages(() => aasLots({ count: 4 }));
    const load = stages.loadKommuneData;
    stages.loadKommuneData = async (k): Promise<KommuneData> => {
      await gate;
      return load(k);
    };
    app = await startFixtureApp(storePath, stages, { kommuner: ['3218', '3207'], runNow: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(await app.nightly.run('schedule')).toBeNull();
    expect(app.nightly.status()).toMatchObject({ running: true, trigger: 'first-start' });
    const stopping = app.stop();
    release();
    expect(await stopping).toBe(true);
    await expect(fetch(`${app.url}/health`)).rejects.toThrow();
    app = undefined;
    const db = reopen(storePath);
    const run = lastRun(db)!;
    expect(run.status).toBe('interrupted');
    expect(kommuneResultsOf(db, run.id).map((k) => [k.kommunenummer, k.outcome])).toEqual([
      ['3218', 'ok'],
      ['3207', 'skipped'],
    ]);
    db.close();
  });

  it('stops waiting for a job that misses the shutdown deadline and says so', async () => {
    const storePath = tempStorePath();
    const stages = fixtureStages(() => aasLots({ count: 1 }));
    stages.loadKommuneData = () => new Promise<KommuneData>(() => undefined);
    app = await startFixtureApp(storePath, stages, { runNow: true, env: { SHUTDOWN_TIMEOUT_SECONDS: '1' } });
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    expect(await app.stop()).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    app = undefined;
  });

  it('with a kommune ranking in the store and no KOMMUNER, runs the top 50 and says why each is in', async () => {
    const storePath = tempStorePath();
    const h = await startSsbHarness();
    const db = openStore(storePath);
    const store = createKommuneRankingStore(db);
    await runKommuneRefresh({
      ssb: h.ssb,
      klass: h.klass,
      store,
      rules: h.rules,
      refreshDays: 7,
      clock: h.clock,
    });
    const top = store.latestRanking()!.kommuner.filter((k) => k.top);
    db.close();
    await h.close();
    const logger = createMemoryLogger();
    app = await startFixtureApp(
      storePath,
      fixtureStages((k) => (k === '3218' ? aasLots({ count: 3 }) : [])),
      { kommuner: [], sampleKommune: null, runNow: true, logger },
    );
    const summary = (await app.initialRun)!;
    expect(summary.kommuner.map((k) => k.kommunenummer)).toEqual(top.map((k) => k.kommune.kommunenummer));
    expect(summary.selection!.kommuner[0]!.reasons).toEqual([`top 50 (rank ${top[0]!.rank})`]);
    const log = logger.lines.join('\n');
    expect(log).toMatch(/Kommuner chosen for the run kommuner=50 excluded=0/);
    expect(log).toMatch(
      new RegExp(
        `Kommune ${top[0]!.kommune.kommunenummer} done \\(1/\\d+, ETA [^)]+\\) why=top 50 \\(rank ${top[0]!.rank}\\)`,
      ),
    );
    expect(log).toMatch(/requests why/);
  });

  it('with sources and no ranking yet, ranks from the bundled SSB snapshot at start and runs its top 50', async () => {
    const storePath = tempStorePath();
    app = await startFixtureApp(
      storePath,
      fixtureStages(() => []),
      { kommuner: [], sampleKommune: null, runNow: true },
    );
    const summary = (await app.initialRun)!;
    const db = reopen(storePath);
    try {
      const store = createKommuneRankingStore(db);
      const ranking = store.latestRanking()!;
      expect(ranking.refresh).toMatchObject({ source: 'snapshot', trigger: 'snapshot', status: 'ok' });
      expect(ranking.refresh.figuresDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(ranking.kommuner).toHaveLength(357);
      // The snapshot ranking never counts as a fresh SSB refresh.
      expect(store.lastSuccessful({ source: 'ssb' })).toBeNull();
      const top = ranking.kommuner.filter((k) => k.top).map((k) => k.kommune.kommunenummer);
      expect(top).toHaveLength(50);
      expect(summary.kommuner.map((k) => k.kommunenummer)).toEqual(top);
    } finally {
      db.close();
    }
  });

  it('fails at start, closing what it opened, when the port is taken', async () => {
    app = await startFixtureApp(
      tempStorePath(),
      fixtureStages(() => []),
    );
    const port = new URL(app.url).port;
    await expect(
      startFixtureApp(
        tempStorePath(),
        fixtureStages(() => []),
        { env: { PORT: port } },
      ),
    ).rejects.toThrow(/Configuration PORT: port \d+ on 127\.0\.0\.1 is in use by another process/);
  });
});
