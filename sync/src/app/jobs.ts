import { chooseKommuner } from '../jobs/kommune-choice.js';
import { ensureKommuneRanking } from '../jobs/kommune-snapshot.js';
import { createPlanEvidenceStore } from '../store/kommune-plan-evidence.js';
import { createKommuneRankingStore } from '../store/kommune-ranking.js';
import type { KommuneRefreshReport } from '../jobs/kommune-refresh.js';
import { refreshKommuneRanking } from '../jobs/kommune-refresh-runtime.js';
import { runNightly, type RunSummary } from '../jobs/nightly.js';
import type { KommuneSelection } from '../jobs/kommune-selection.js';
import type { Pipeline } from '../jobs/nightly-stages.js';
import { formatRunSummary } from '../jobs/nightly-summary.js';
import { takeWeekSnapshot } from '../jobs/weekly-report.js';
import type { OwnerLookupService } from '../jobs/owner-lookup-service.js';
import type { RetentionReport } from '../jobs/owner-lookup-retention.js';
import type { RunProgress } from '../jobs/nightly-progress.js';
import { runOutreachCadence, type OutreachReport } from '../jobs/outreach-cadence.js';
import { runOwnerEnrichment, type EnrichmentReport } from '../jobs/owner-enrichment.js';
import { createEnrichmentWriter } from '../crm/owners/enrichment-writer.js';
import { tomterTable } from '../crm/schema/tomter.js';
import { createEnhetsregisterClient } from '../sources/brreg/client.js';
import { storeLotParcels } from '../store/lot-parcels.js';
import { createContactedLotsGateway } from '../crm/outreach/contacted-lots.js';
import type { AirtableRecordsClient } from '../crm/airtable/types.js';
import { isProcessAlive } from '../store/run-lock.js';
import { resumableRun, type ResumableRun } from '../store/run-resume.js';
import { closeInterruptedRuns } from '../store/runs.js';
import { alertWebhookOf } from './alert-webhook.js';
import type { AppResources } from './resources.js';
import { ScheduledJob, type JobContext } from './scheduled-job.js';

/** One nightly run with the app's store, clients and rules: what the schedule and `tomtejakt run` both do. */
export async function runNightlyOnce(
  resources: AppResources,
  pipeline: Pipeline,
  run: {
    selection: KommuneSelection;
    dryRun?: boolean;
    /** Continue this interrupted run at its first unfinished kommune (the selection is then not used for the list). */
    resume?: ResumableRun | null;
    onProgress?: (progress: RunProgress | null) => void;
  } & JobContext,
): Promise<RunSummary> {
  const summary = await runNightly({
    db: resources.db,
    stages: pipeline.stages,
    kommuner: run.resume?.remaining ?? run.selection.kommuner.map((k) => k.kommunenummer),
    resumes: run.resume && { runId: run.resume.runId, finished: run.resume.finished },
    selection: run.selection,
    kommuneTimeLimitMinutes: resources.env.KOMMUNE_TIME_LIMIT_MINUTES,
    suspiciousShrinkPercent: resources.env.SUSPICIOUS_SHRINK_PERCENT,
    memoryBudgetMb: resources.env.NIGHTLY_MEMORY_BUDGET_MB,
    onProgress: run.onProgress,
    airtable: resources.airtable,
    postgis: resources.postgis,
    alertWebhook: run.dryRun ? null : alertWebhookOf(resources),
    rules: resources.rules,
    recordLimit: resources.env.AIRTABLE_RECORD_LIMIT,
    timeZone: resources.env.SYNC_TIMEZONE,
    trigger: run.trigger,
    dryRun: run.dryRun,
    shouldStop: run.shouldStop,
    logger: resources.logger,
    progress: resources.progress,
  });
  // The week's counts as this run left them: the weekly report's history (one snapshot per week).
  if (!run.dryRun && summary.runId !== null)
    takeWeekSnapshot(resources.db, { now: new Date(), timeZone: resources.env.SYNC_TIMEZONE });
  return summary;
}

/** What chooses a run's kommuner: the ranking's top 50, KOMMUNER and the team's pins, or exactly `requested`. */
export type KommuneChooser = (options?: {
  requested?: string[];
  dryRun?: boolean;
}) => Promise<KommuneSelection>;

/**
 * The chooser for the app's store, Airtable client, rules and the pipeline's sample kommune. With
 * no ranking in the store yet (a first start), all kommuner are first ranked from the bundled SSB
 * snapshot (the embedded default; not on a dry run, and not when `--kommune` names the kommuner).
 */
export function kommuneChooser(resources: AppResources, pipeline: Pipeline): KommuneChooser {
  return async (options) => {
    if (!options?.dryRun && !options?.requested?.length)
      await ensureKommuneRanking({
        store: createKommuneRankingStore(resources.db),
        planEvidence: createPlanEvidenceStore(resources.db),
        rules: resources.rules.kommuneRanking,
        logger: resources.logger,
      });
    return chooseKommuner(
      {
        db: resources.db,
        env: resources.env,
        airtable: resources.airtable,
        topN: resources.rules.kommuneRanking.topN,
        sampleKommune: pipeline.sampleKommune,
        logger: resources.logger,
      },
      options,
    );
  };
}

/** The nightly job, and where its running run is (`/health`'s `run`). */
export interface NightlyJob {
  job: ScheduledJob<RunSummary>;
  progress(): RunProgress | null;
}

/**
 * The nightly run on SYNC_CRON: sources → engine → score → store → Airtable, for the kommuner of
 * the day (chosen afresh at every run, so a new ranking or a pin set today counts tonight). Run
 * with the trigger `resume`, it continues the last interrupted run at its first unfinished kommune.
 */
export function nightlyJob(resources: AppResources, pipeline: Pipeline, choose: KommuneChooser): NightlyJob {
  let progress: RunProgress | null = null;
  const job = new ScheduledJob({
    name: 'nightly',
    cron: resources.env.SYNC_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    async run(context) {
      const resume = context.trigger === 'resume' ? resumableRun(resources.db) : null;
      const selection = await choose(resume ? { requested: resume.remaining } : undefined);
      const summary = await runNightlyOnce(resources, pipeline, {
        ...context,
        selection,
        resume,
        onProgress: (now) => (progress = now),
      });
      for (const line of formatRunSummary(summary)) resources.logger.info(line);
      return summary;
    },
    describe: (summary) => ({ run: summary.runId, status: summary.status, lots: summary.totals.lotsFound }),
  });
  return { job, progress: () => progress };
}

/**
 * At start: runs left "running" by a process that is gone (kill -9, a crash, a power cut) are
 * closed as interrupted; the last run, when interrupted with kommuner left, is returned to resume.
 */
export function runToResume(resources: AppResources): ResumableRun | null {
  const closed = closeInterruptedRuns(resources.db, isProcessAlive, new Date().toISOString());
  for (const id of closed)
    resources.logger.warn(`Run ${id} was left running by a process that is gone; closed as interrupted`);
  return resumableRun(resources.db);
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
      note: report.note,
    }),
  });
}

/**
 * The outreach cadence on OUTREACH_CRON (working hours by default): the service notices a Status
 * set to "Kontaktet" by reading Tomter (no webhook needed), and fills the next step where the team
 * has left "Neste handling" and its date empty.
 */
export function outreachJob(
  resources: AppResources,
  airtable: AirtableRecordsClient,
): ScheduledJob<OutreachReport> {
  const lots = createContactedLotsGateway(airtable);
  return new ScheduledJob({
    name: 'outreach',
    cron: resources.env.OUTREACH_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    run: () =>
      runOutreachCadence({
        db: resources.db,
        lots,
        rules: resources.rules.outreach,
        now: new Date(),
        timeZone: resources.env.SYNC_TIMEZONE,
        logger: resources.logger,
      }),
    describe: (report) => ({
      contacted: report.contacted,
      filled: report.filled,
      fieldSet: report.fieldSet,
      overdue: report.overdue,
    }),
  });
}

/**
 * Owner enrichment on OWNER_ENRICHMENT_CRON: organisation owners from the Enhetsregisteret, and the
 * Utbygger marks on lots (also without Airtable: then in the store only).
 */
export function ownerEnrichmentJob(resources: AppResources): ScheduledJob<EnrichmentReport> {
  const source = createEnhetsregisterClient({ baseUrl: resources.env.BRREG_API_URL });
  resources.own('enhetsregisteret', () => source.close());
  return new ScheduledJob({
    name: 'ownerEnrichment',
    cron: resources.env.OWNER_ENRICHMENT_CRON,
    timeZone: resources.env.SYNC_TIMEZONE,
    logger: resources.logger,
    run: () =>
      runOwnerEnrichment({
        db: resources.db,
        source,
        writer: resources.airtable ? createEnrichmentWriter(resources.airtable) : null,
        lots: storeLotParcels(resources.db, tomterTable.name),
        rules: resources.rules.developers,
        now: new Date(),
        logger: resources.logger,
      }),
    describe: (report) => ({
      organisations: report.organisations,
      fetched: report.fetched,
      failed: report.failed.length,
      developers: report.developers.length,
      ...report.marked,
    }),
  });
}
