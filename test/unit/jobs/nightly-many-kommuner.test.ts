import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScoredLot } from '../../../sync/src/domain/lot.js';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import type { RunProgress } from '../../../sync/src/jobs/nightly-progress.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { lotsOfKommune } from '../../../sync/src/store/lots.js';
import { kommuneResultsOf } from '../../../sync/src/store/run-kommuner.js';
import { resumableRun } from '../../../sync/src/store/run-resume.js';
import { closeInterruptedRuns, getRun } from '../../../sync/src/store/runs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { everyLotRules, fixtureStages, kommuneLots } from '../../fixtures/crm/lots.js';

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

const KOMMUNER = ['3218', '3207', '3212', '3216'];
const lotsOf = (k: string): ScoredLot[] => kommuneLots(k, { count: 4 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixture stages, with every call's start and end in one list, and an optional delay per stage. */
function tracedStages(delays: { load?: number; find?: number } = {}) {
  const stages = fixtureStages(lotsOf);
  const events: string[] = [];
  return {
    events,
    stages: {
      ...stages,
      async loadKommuneData(k: string, options?: { signal?: AbortSignal }) {
        events.push(`load ${k}`);
        await sleep(delays.load ?? 5);
        const data = await stages.loadKommuneData(k, options);
        events.push(`loaded ${k}`);
        return data;
      },
      async findLots(data: Parameters<typeof stages.findLots>[0], _options?: { signal?: AbortSignal }) {
        const k = data.kommune.kommunenummer;
        events.push(`find ${k}`);
        await sleep(delays.find ?? 20);
        events.push(`found ${k}`);
        return stages.findLots(data);
      },
    },
  };
}

function options(extra: Partial<NightlyOptions>): NightlyOptions {
  return {
    db,
    stages: fixtureStages(lotsOf),
    kommuner: [...KOMMUNER],
    airtable: null,
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    ...extra,
  };
}

describe('a night over many kommuner', () => {
  it('reads the next kommune while the current one computes, one ahead, and stores each in order', async () => {
    const traced = tracedStages({ load: 5, find: 30 });
    const summary = await runNightly(options({ stages: traced.stages }));
    expect(summary.status).toBe('ok');
    expect(summary.kommuner.map((k) => k.kommunenummer)).toEqual(KOMMUNER);
    const at = (event: string) => traced.events.indexOf(event);
    for (let i = 0; i + 1 < KOMMUNER.length; i += 1) {
      // The next kommune is read before the current one's lots are found …
      expect(at(`load ${KOMMUNER[i + 1]}`)).toBeLessThan(at(`found ${KOMMUNER[i]}`));
      // … but never two ahead.
      if (i + 2 < KOMMUNER.length)
        expect(at(`load ${KOMMUNER[i + 2]}`)).toBeGreaterThan(at(`found ${KOMMUNER[i]}`));
    }
    for (const k of KOMMUNER) expect(lotsOfKommune(db, k)).toHaveLength(4);
  });

  it('reads nothing ahead when the process is over its memory budget', async () => {
    const traced = tracedStages();
    const logger = createMemoryLogger();
    await runNightly(
      options({ stages: traced.stages, memoryBudgetMb: 512, memoryInUse: () => 600 * 1024 * 1024, logger }),
    );
    const order = traced.events.filter((e) => e.startsWith('load ') || e.startsWith('find '));
    expect(order).toEqual(KOMMUNER.flatMap((k) => [`load ${k}`, `find ${k}`]));
    expect(logger.lines.join('\n')).toMatch(
      /Reading the next kommune ahead waits: .* inUseMb=600 budgetMb=512/,
    );
  });

  it('fails a kommune over its time limit with kommune, stage and limit, keeps its lots and goes on', async () => {
    await runNightly(options({}));
    const traced = tracedStages();
    const find = traced.stages.findLots;
    let slowSignal: AbortSignal | undefined;
    traced.stages.findLots = async (data, stageOptions) => {
      if (data.kommune.kommunenummer !== '3207') return find(data, stageOptions);
      slowSignal = stageOptions?.signal;
      await sleep(400);
      return find(data, stageOptions);
    };
    const summary = await runNightly(options({ stages: traced.stages, kommuneTimeLimitMinutes: 0.005 }));
    expect(summary.status).toBe('partial');
    const failed = summary.kommuner.find((k) => k.kommunenummer === '3207')!;
    expect(failed).toMatchObject({ outcome: 'failed', failedStage: 'find' });
    expect(failed.error).toBe(
      'kommune 3207 went over its time limit of 0.3 s (KOMMUNE_TIME_LIMIT_MINUTES) in stage find; its last good lots are kept',
    );
    expect(summary.kommuner.filter((k) => k.outcome === 'ok')).toHaveLength(3);
    expect(lotsOfKommune(db, '3207').map((l) => l.state)).toEqual(Array(4).fill('active'));
    // The engine was told to stop (its worker threads are ended).
    expect(slowSignal?.aborted).toBe(true);
  });

  it('fails a kommune whose work on this thread overran, before anything is stored', async () => {
    const stages = fixtureStages(lotsOf);
    const score = stages.scoreLots;
    stages.scoreLots = (lots, data) => {
      const until = Date.now() + 500;
      while (Date.now() < until && data.kommune.kommunenummer === '3212'); // busy, as a large kommune's scoring is
      return score(lots, data);
    };
    const summary = await runNightly(options({ stages, kommuneTimeLimitMinutes: 0.005 }));
    expect(summary.kommuner.find((k) => k.kommunenummer === '3212')).toMatchObject({
      outcome: 'failed',
      failedStage: 'score',
      error: expect.stringMatching(/^kommune 3212 went over its time limit .* in stage score/),
    });
    expect(lotsOfKommune(db, '3212')).toEqual([]);
    expect(lotsOfKommune(db, '3216')).toHaveLength(4);
  });

  it('tells /health where the run is: kommuner done, in flight and an ETA; null when over', async () => {
    const seen: Array<RunProgress | null> = [];
    const traced = tracedStages();
    await runNightly(
      options({ stages: traced.stages, onProgress: (p) => seen.push(p && structuredClone(p)) }),
    );
    expect(seen.at(-1)).toBeNull();
    const during = seen.filter((p): p is RunProgress => p !== null);
    expect(during[0]).toMatchObject({
      done: 0,
      total: 4,
      etaSeconds: null,
      current: [{ kommunenummer: '3218', stage: 'load' }],
    });
    expect(during.some((p) => p.current.length === 2)).toBe(true); // one reads while another computes
    const afterFirst = during.find((p) => p.done === 1)!;
    expect(afterFirst.etaSeconds).toEqual(expect.any(Number));
    expect(during.at(-1)).toMatchObject({ done: 4, total: 4, etaSeconds: 0, current: [] });
  });

  it('resumes a killed run at its first unfinished kommune, without redoing the finished ones', async () => {
    // A run that "was killed" after two kommuner: its row is running with a pid that is gone.
    let stop = false;
    const first = tracedStages();
    const find = first.stages.findLots;
    first.stages.findLots = async (data, o) => {
      if (data.kommune.kommunenummer === '3207') stop = true;
      return find(data, o);
    };
    const stopped = await runNightly(options({ stages: first.stages, shouldStop: () => stop }));
    db.prepare("UPDATE runs SET status = 'running', finished_at = NULL, pid = 999999 WHERE id = ?").run(
      stopped.runId,
    );
    db.prepare("DELETE FROM run_kommuner WHERE outcome = 'skipped'").run();

    expect(closeInterruptedRuns(db, () => false, '2026-03-02T03:00:00Z')).toEqual([stopped.runId]);
    const resume = resumableRun(db)!;
    expect(resume).toMatchObject({
      runId: stopped.runId,
      finished: ['3218', '3207'],
      remaining: ['3212', '3216'],
    });

    const second = tracedStages();
    const seen: RunProgress[] = [];
    const summary = await runNightly(
      options({
        stages: second.stages,
        kommuner: resume.remaining,
        resumes: { runId: resume.runId, finished: resume.finished },
        trigger: 'resume',
        onProgress: (p) => void (p && seen.push(structuredClone(p))),
      }),
    );
    expect(second.events.filter((e) => e.startsWith('load '))).toEqual(['load 3212', 'load 3216']);
    expect(summary).toMatchObject({
      status: 'ok',
      resumes: { runId: stopped.runId, finished: ['3218', '3207'] },
    });
    expect(seen.at(-1)).toMatchObject({ done: 4, total: 4, resumes: stopped.runId });
    expect(getRun(db, summary.runId!)).toMatchObject({ resumes: stopped.runId, kommuner: ['3212', '3216'] });
    expect(getRun(db, stopped.runId!)).toMatchObject({ status: 'interrupted' });
    for (const k of KOMMUNER) expect(lotsOfKommune(db, k)).toHaveLength(4);
    expect(resumableRun(db)).toBeNull();
  });

  it('resumes a stopped run (SIGTERM) too; a run whose kommuner all finished has nothing to resume', async () => {
    let stop = false;
    const stages = fixtureStages(lotsOf);
    const score = stages.scoreLots;
    stages.scoreLots = (lots, data) => ((stop = true), score(lots, data));
    const stopped = await runNightly(options({ stages, shouldStop: () => stop }));
    expect(kommuneResultsOf(db, stopped.runId!).map((k) => [k.kommunenummer, k.outcome])).toEqual([
      ['3218', 'ok'],
      ['3207', 'skipped'],
      ['3212', 'skipped'],
      ['3216', 'skipped'],
    ]);
    expect(resumableRun(db)).toMatchObject({ finished: ['3218'], remaining: ['3207', '3212', '3216'] });
    await runNightly(options({}));
    expect(resumableRun(db)).toBeNull();
  });

  it('neither reads nor computes a kommune whose inputs are those of its stored lots', async () => {
    const versions = new Map(KOMMUNER.map((k) => [k, `v1 ${k}`]));
    const traced = () => {
      const t = tracedStages();
      return { ...t, stages: { ...t.stages, inputVersion: (k: string) => versions.get(k) ?? null } };
    };
    const first = traced();
    await runNightly(options({ stages: first.stages }));
    expect(first.events.filter((e) => e.startsWith('find '))).toHaveLength(4);

    versions.set('3212', 'v2 3212'); // its files changed
    const second = traced();
    const summary = await runNightly(options({ stages: second.stages }));
    expect(second.events.filter((e) => e.startsWith('load ') || e.startsWith('find '))).toEqual([
      'load 3212',
      'find 3212',
    ]);
    const unchanged = summary.kommuner.find((k) => k.kommunenummer === '3218')!;
    expect(unchanged).toMatchObject({ outcome: 'ok', kommuneNavn: 'Ås' });
    expect(unchanged.counts).toMatchObject({
      inputsUnchanged: 1,
      lotsFound: 4,
      lotsUnchanged: 4,
      lotsNew: 0,
    });
    // Its lots were seen by this run, as if read again.
    const seenBy = db
      .prepare("SELECT DISTINCT last_run_id AS run FROM lots WHERE kommunenummer = '3218'")
      .all();
    expect(seenBy).toEqual([{ run: summary.runId }]);

    // A kommune that fails before its store keeps no new version: the next run reads it again.
    versions.set('3207', 'v2 3207');
    const failing = traced();
    failing.stages.findLots = async () => {
      throw new Error('overlay failed');
    };
    await runNightly(options({ stages: failing.stages }));
    const third = traced();
    await runNightly(options({ stages: third.stages }));
    expect(third.events.filter((e) => e.startsWith('find '))).toEqual(['find 3207']);
  });

  it('stores the version known once the run has fetched and kept what it reads, so the next night skips', async () => {
    // As production: before the first read nothing is kept (stops, national layers), so no version.
    const kept = new Set<string>();
    const traced = () => {
      const t = tracedStages();
      const load = t.stages.loadKommuneData;
      return {
        ...t,
        stages: {
          ...t.stages,
          loadKommuneData: async (k: string, o?: { signal?: AbortSignal }) => {
            const data = await load(k, o);
            kept.add(k);
            return data;
          },
          inputVersion: (k: string) => (kept.has(k) ? `kept ${k}` : null),
        },
      };
    };
    const first = traced();
    await runNightly(options({ stages: first.stages }));
    expect(first.events.filter((e) => e.startsWith('find '))).toHaveLength(4);
    const second = traced();
    const summary = await runNightly(options({ stages: second.stages }));
    expect(second.events.filter((e) => e.startsWith('load ') || e.startsWith('find '))).toEqual([]);
    expect(summary.kommuner.map((k) => k.counts.inputsUnchanged)).toEqual([1, 1, 1, 1]);
  });
});
