import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthReport } from '../../../sync/src/app/health.js';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import type { RunProgress } from '../../../sync/src/jobs/nightly-progress.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { finishRun, startRun } from '../../../sync/src/store/runs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

const nightly = new ScheduledJob({
  name: 'nightly',
  cron: '0 2 * * *',
  timeZone: 'Europe/Oslo',
  logger: createMemoryLogger(),
  run: async () => null,
});
const report = (runProgress?: () => RunProgress | null) =>
  healthReport({ db, airtable: false, nightly, runProgress, jobs: [nightly], parts: [] }).body;

/** A process id that is certainly not running: beyond Linux's pid_max. */
const GONE = 4_194_305;

describe('/health and the nightly run', () => {
  it('is degraded, naming the run, while a run is left "running" by a process that is gone', () => {
    const ok = startRun(db, { startedAt: '2026-03-01T02:00:00Z', trigger: 'schedule', airtable: false });
    finishRun(db, ok, { finishedAt: '2026-03-01T02:10:00Z', status: 'ok', airtableRequests: 0, summary: {} });
    expect(report()).toMatchObject({ status: 'ok' });
    const killed = startRun(db, {
      startedAt: '2026-03-02T02:00:00Z',
      trigger: 'first-start',
      airtable: false,
      pid: GONE,
    });
    expect(report()).toMatchObject({
      status: 'degraded',
      stuckRuns: [
        {
          id: killed,
          pid: GONE,
          problem: expect.stringMatching(/process 4194305 is gone; the next start of the service resumes it/),
        },
      ],
    });
  });

  it('is not degraded by a run this process is running, and shows where it is', () => {
    startRun(db, { startedAt: '2026-03-02T02:00:00Z', trigger: 'schedule', airtable: false });
    const progress: RunProgress = {
      runId: 1,
      resumes: null,
      done: 12,
      total: 50,
      failed: 1,
      current: [{ kommunenummer: '3207', stage: 'find' }],
      startedAt: '2026-03-02T02:00:00Z',
      elapsedSeconds: 600,
      etaSeconds: 1_900,
      etaAt: '2026-03-02T02:41:40Z',
    };
    const body = report(() => progress);
    expect(body).toMatchObject({ status: 'ok', run: progress });
    expect(body.stuckRuns).toBeUndefined();
  });
});
