import type { KommuneRefreshReport } from '../jobs/kommune-refresh.js';
import { refreshKommuneRanking } from '../jobs/kommune-refresh-runtime.js';
import { runNightly, type RunSummary } from '../jobs/nightly.js';
import type { Pipeline } from '../jobs/nightly-stages.js';
import { formatRunSummary } from '../jobs/nightly-summary.js';
import type { OwnerLookupService } from '../jobs/owner-lookup-service.js';
import type { RetentionReport } from '../jobs/owner-lookup-retention.js';
import type { AppResources } from './resources.js';
import { ScheduledJob, type JobContext } from './scheduled-job.js';

/** One nightly run with the app's store, clients and rules: what the schedule and `tomtejakt run` both do. */
export function runNightlyOnce(
  resources: AppResources,
  pipeline: Pipeline,
  run: { kommuner: string[]; dryRun?: boolean } & JobContext,
): Promise<RunSummary> {
  return runNightly({
    db: resources.db,
    stages: pipeline.stages,
    kommuner: run.kommuner,
    airtable: resources.airtable,
    rules: resources.rules,
    timeZone: resources.env.SYNC_TIMEZONE,
    trigger: run.trigger,
    dryRun: run.dryRun,
    shouldStop: run.shouldStop,
    logger: resources.logger,
    progress: resources.progress,
  });
}

/** The nightly run on SYNC_CRON: sources → engine → score → store → Airtable, for the kommuner of the day. */
export function nightlyJob(
  resources: AppResources,
  pipeline: Pipeline,
  kommuner: () => string[],
): ScheduledJob<RunSummary> {
  return new ScheduledJob({
    name: 'nightly',
    cron: resources.env.SYNC_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    async run(context) {
      const summary = await runNightlyOnce(resources, pipeline, { ...context, kommuner: kommuner() });
      for (const line of formatRunSummary(summary)) resources.logger.info(line);
      return summary;
    },
    describe: (summary) => ({ run: summary.runId, status: summary.status, lots: summary.totals.lotsFound }),
  });
}

/**
 * The kommune ranking check on KOMMUNE_REFRESH_CRON (default 12:15, after SSB's 08:00 publication
 * and outside its 05:00–08:15 update window). It fetches only when the last good refresh is older
 * than SSB_REFRESH_DAYS, so a failed week is retried the next day; a failure keeps the ranking.
 */
export function kommuneRankingJob(resources: AppResources): ScheduledJob<KommuneRefreshReport> {
  return new ScheduledJob({
    name: 'kommuneRanking',
    cron: resources.env.KOMMUNE_REFRESH_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    async run(context) {
      const report = await refreshKommuneRanking(resources, { trigger: context.trigger });
      resources.logger.info(`kommune ranking check: ${report.outcome}`, { requests: report.requests });
      return report;
    },
    describe: (report) => ({
      result: report.outcome,
      lastRefreshAt: report.lastRefreshAt,
      nextDueAt: report.nextDueAt,
      error: report.error,
    }),
  });
}

/** Owner-data retention on OWNER_RETENTION_CRON (after the nightly run has settled). */
export function ownerRetentionJob(
  resources: AppResources,
  lookups: OwnerLookupService,
): ScheduledJob<RetentionReport> {
  return new ScheduledJob({
    name: 'ownerRetention',
    cron: resources.env.OWNER_RETENTION_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    run: () => lookups.retention(),
    describe: (report) => ({
      markedNow: report.markedNow,
      erased: report.erased.length,
      skipped: report.skipped,
    }),
  });
}
