import type { RunSummary } from '../jobs/nightly.js';
import type { KommuneSelection } from '../jobs/kommune-selection.js';
import type { PipelineFactory } from '../jobs/nightly-stages.js';
import { countRuns } from '../store/runs.js';
import { healthReport } from './health.js';
import {
  kommuneChooser,
  kommuneRankingJob,
  nightlyJob,
  outreachJob,
  ownerEnrichmentJob,
  ownerRetentionJob,
  runToResume,
} from './jobs.js';
import { bundledKommuneBoundaries, storeKommuneReader, warmKommuneBoundaries } from './kommune-reader.js';
import { storeLotReader } from './lot-reader.js';
import { logMapAccess, mapAccessOf } from './map-access.js';
import { storeMapReader } from './map-reader.js';
import { ownerLookupPart } from './owner-lookup-part.js';
import { reportAlertSource } from './report-alerts.js';
import { reportPart, serviceReportTools, weeklyReportJob } from './report-part.js';
import type { AppResources } from './resources.js';
import type { ScheduledJob } from './scheduled-job.js';
import { serverTimeouts, startService, type ServicePart } from './service.js';

/** What the composition root chooses for the process (tests choose doubles and fixtures). */
export interface AppParts {
  pipeline: PipelineFactory;
  /** The owner-lookup webhook and queue, and its retention job when Airtable is configured. */
  ownerLookup: boolean;
  /** The daily kommune ranking check against SSB. */
  kommuneRanking: boolean;
}

export interface RunningApp {
  url: string;
  nightly: ScheduledJob<RunSummary>;
  /** The first-start run (or --run-now run) when one was started. */
  initialRun: Promise<RunSummary | null> | null;
  /** Stops the jobs and parts, then closes every resource once. false when a job missed the deadline. */
  stop(): Promise<boolean>;
}

/**
 * `npm start`: one process with the scheduled jobs, the map and /health, and the parts chosen.
 * It owns the resources it is given and closes each exactly once. With no Airtable and an empty
 * store the first start runs the nightly job at once, so a newcomer sees lots within a minute; a
 * run that a killed process left half-way (the first-start run included) is resumed at once.
 */
export async function startApp(
  resources: AppResources,
  parts: AppParts,
  options: { runNow?: boolean } = {},
): Promise<RunningApp> {
  try {
    return await start(resources, parts, options);
  } catch (error) {
    await resources.close();
    throw error;
  }
}

async function start(resources: AppResources, parts: AppParts, options: { runNow?: boolean }) {
  const { env, logger } = resources;
  const access = mapAccessOf(env);
  const pipeline = await parts.pipeline({ ...resources });
  resources.own('pipeline', () => pipeline.close?.());
  const choose = kommuneChooser(resources, pipeline);
  const atStart = await choose(); // nothing to run (no ranking, no KOMMUNER) fails at start, not at 02:00
  const { job: nightly, progress: runProgress } = nightlyJob(resources, pipeline, choose);
  const jobs: ScheduledJob[] = [nightly];
  const serviceParts: ServicePart[] = [];
  const reportTools = serviceReportTools(resources, reportAlertSource(resources.db));
  serviceParts.push(reportPart(resources, reportTools));
  jobs.push(weeklyReportJob(resources, reportTools));
  if (parts.kommuneRanking) jobs.push(kommuneRankingJob(resources));
  if (resources.airtable) jobs.push(outreachJob(resources, resources.airtable));
  if (parts.ownerLookup) {
    const owners = ownerLookupPart(resources);
    serviceParts.push(owners.part);
    // Also without Airtable: lots vanished from the plan data have their owner data erased.
    jobs.push(ownerRetentionJob(resources, owners.lookups));
    jobs.push(ownerEnrichmentJob(resources));
  }
  const service = await startService({
    host: env.HOST,
    port: env.PORT,
    jobs,
    parts: serviceParts,
    lots: storeLotReader(resources.db),
    map: storeMapReader(resources.db, { threads: env.MAP_API_THREADS }),
    mapCacheBytes: env.MAP_API_CACHE_MB * 1024 * 1024,
    rateLimit: { perMinute: env.MAP_API_RATE_PER_MINUTE },
    kommuner: {
      reader: storeKommuneReader(resources.db, resources.rules.kommuneRanking),
      boundaries: bundledKommuneBoundaries,
    },
    health: () =>
      healthReport({
        db: resources.db,
        airtable: resources.airtable !== null,
        recordLimit: env.AIRTABLE_RECORD_LIMIT,
        nightly,
        runProgress,
        jobs,
        parts: serviceParts,
      }),
    access,
    trustProxy: env.TRUST_PROXY,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    timeouts: serverTimeouts(env.HTTP_HEADERS_TIMEOUT_SECONDS, env.HTTP_REQUEST_TIMEOUT_SECONDS),
    logger,
  });
  logStarted(resources, service.url);
  logMapAccess(access, env, logger);
  warmKommuneBoundaries(logger);
  const initialRun = firstRun(resources, nightly, atStart, options.runNow);
  let stopped: Promise<boolean> | null = null;
  return {
    url: service.url,
    nightly,
    initialRun,
    stop: () =>
      (stopped ??= (async () => {
        const clean = await service.stop();
        await resources.close();
        return clean;
      })()),
  };
}

function logStarted(resources: AppResources, url: string): void {
  resources.logger.info('Service started', {
    map: `${url}/`,
    kommuner: `${url}/kommuner`,
    rapporter: `${url}/rapporter`,
    health: `${url}/health`,
    schedule: resources.env.SYNC_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
  });
  if (!resources.airtable)
    resources.logger.info(
      'Airtable is not configured (AIRTABLE_TOKEN, AIRTABLE_BASE_ID): runs keep their results in the store only',
    );
}

function firstRun(
  resources: AppResources,
  nightly: ScheduledJob<RunSummary>,
  atStart: KommuneSelection,
  runNow: boolean | undefined,
): Promise<RunSummary | null> | null {
  const resume = runToResume(resources);
  if (resume) {
    resources.logger.warn(
      `Run ${resume.runId} stopped before its end: resuming it at kommune ${resume.remaining[0]} (${resume.finished.length} of ${resume.finished.length + resume.remaining.length} done)`,
    );
    return nightly.run('resume');
  }
  const firstStart = !resources.airtable && countRuns(resources.db) === 0;
  if (!(runNow ?? firstStart)) return null;
  if (firstStart)
    resources.logger.info('First start with an empty store: running the job now', {
      kommuner: atStart.kommuner.map((k) => k.kommunenummer).join(','),
    });
  return nightly.run(firstStart ? 'first-start' : 'cli');
}
