import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../../sync/src/app/app.js';
import { appResources } from '../../../sync/src/app/resources.js';
import { loadEnv } from '../../../sync/src/config/env.js';
import { defaultRules } from '../../../sync/src/config/rules.js';
import type { PipelineStages } from '../../../sync/src/jobs/nightly-stages.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createMemoryLogger, type Logger } from '../../../sync/src/util/logger.js';
import { silentProgress } from '../../../sync/src/util/progress.js';

/** A fresh store file for one test (the app closes its store on stop; a restart opens it again). */
export const tempStorePath = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'tomtejakt-app-')), 'store.sqlite');

/**
 * The app on a free port with fixture stages, no Airtable, the default schedules, no owner lookup
 * (unless `ownerLookup`).
 * KOMMUNER is 3218 unless `kommuner` says otherwise ([] leaves it unset); the pipeline's sample
 * kommune is 3218 (no sources configured) unless `sampleKommune` is null.
 */
export function startFixtureApp(
  storePath: string,
  stages: PipelineStages,
  options: {
    kommuner?: string[];
    sampleKommune?: string | null;
    runNow?: boolean;
    logger?: Logger;
    env?: Record<string, string>;
    ownerLookup?: boolean;
  } = {},
): Promise<RunningApp> {
  const env = loadEnv({
    source: {
      DATA_DIR: path.dirname(storePath),
      STORE_PATH: storePath,
      PORT: '0',
      KOMMUNER: (options.kommuner ?? ['3218']).join(','),
      ...options.env,
    },
  });
  const resources = appResources({
    env,
    rules: defaultRules(),
    logger: options.logger ?? createMemoryLogger(),
    progress: silentProgress,
    db: openStore(storePath),
    airtable: null,
  });
  return startApp(
    resources,
    {
      pipeline: async () => ({
        stages,
        sampleKommune: options.sampleKommune === undefined ? '3218' : options.sampleKommune,
      }),
      ownerLookup: options.ownerLookup ?? false,
      kommuneRanking: false,
    },
    { runNow: options.runNow },
  );
}
