import type { AlertRules } from '../../config/alert-rules.js';
import type { Alert } from '../../domain/alert.js';
import type { KommuneData } from '../../domain/kommune.js';
import { writeAlertsToAirtable } from '../../crm/alerts/varsler-writer.js';
import type { AirtableClient } from '../../crm/airtable/client.js';
import { varslerTable } from '../../crm/schema/varsler.js';
import { localDate } from '../../crm/tomter/dates.js';
import { readWorkedKeys } from '../../crm/tomter/touched.js';
import { syncedRecordStore } from '../../store/airtable-records.js';
import {
  alertsNotInAirtable,
  alertsNotSentToWebhook,
  insertNewAlerts,
  markSentToWebhook,
} from '../../store/alerts.js';
import type { Db } from '../../store/database.js';
import { saveSeenKommuneplans, seenKommuneplans } from '../../store/kommuneplans-seen.js';
import type { LotChanges } from '../../store/lot-changes.js';
import { lotsOfKommune } from '../../store/lots.js';
import { messageOf } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { kommuneplanAlerts, topChangeAlerts } from './kommune-alerts.js';
import { lotAlerts, needsWorkedLots, type LotState } from './lot-alerts.js';
import { lotStatesAfter } from './lots-after.js';
import { planFactsOf, type KommunePlanFacts } from './plan-facts.js';
import { topChangesToAlert } from './top-changes.js';
import type { AlertWebhook } from './webhook.js';

/** What a kommune's run keeps for its alerts before it stores its lots (the data is let go after). */
export interface AlertSnapshot {
  kommuneNavn: string;
  before: LotState[];
  plans: KommunePlanFacts;
}

export type AlertStage = 'snapshot' | 'worked-lots' | 'detect' | 'airtable' | 'webhook';

/** An alert step that failed; the kommune's lots are stored all the same. */
export interface AlertFailure {
  kommunenummer: string | null;
  stage: AlertStage;
  error: string;
}

/** The run summary's account of the alerts (RunSummary.alerts). */
export interface AlertReport {
  found: number;
  /** Found and not known before: the rest were found by an earlier run (same key). */
  added: number;
  airtableCreated: number;
  airtableHeldBack: number;
  webhookSent: number;
  failures: AlertFailure[];
}

export interface RunAlertingOptions {
  db: Db;
  runId: number;
  airtable: AirtableClient | null;
  webhook: AlertWebhook | null;
  rules: AlertRules;
  timeZone: string;
  /** Asks the run's record budget for room for new Varsler records. */
  admitRecords?: (table: string, count: number) => Promise<boolean>;
  /** Detect and store (in the dry run's copy), deliver nothing. */
  dryRun: boolean;
  logger: Logger;
  now: () => string;
}

/** Only alerts this recent go to a webhook set up later: it is not sent the store's history. */
const WEBHOOK_WINDOW_MS = 2 * 86_400_000;

/**
 * The alerts of one nightly run: after each kommune commits, its alerts are detected, kept by key
 * (a rerun adds none) and delivered (Airtable Varsler, the webhook); after the kommuner, the
 * ranking's top-50 changes. Nothing here throws: a failure is logged with its stage and kept for
 * the run summary, and what was not delivered goes with the next run.
 */
export class RunAlerting {
  private readonly report_: AlertReport = {
    found: 0,
    added: 0,
    airtableCreated: 0,
    airtableHeldBack: 0,
    webhookSent: 0,
    failures: [],
  };

  /** Delivery targets that failed this run: not tried again until the next run (one named failure, not one per kommune). */
  private readonly down = new Set<'airtable' | 'webhook'>();

  constructor(private readonly options: RunAlertingOptions) {}

  /** A step failed: logged and kept, never thrown. */
  fail(kommunenummer: string | null, stage: AlertStage, error: unknown): void {
    const failure = { kommunenummer, stage, error: messageOf(error) };
    this.report_.failures.push(failure);
    this.options.logger.warn(`Change alerts failed at ${stage}; the lots are stored all the same`, {
      kommune: kommunenummer ?? undefined,
      error: failure.error,
    });
  }

  /**
   * What the store knows of the kommune before its run stores, and the plan facts of its data;
   * null (and the failure kept) when it cannot be taken: the kommune goes on without alerts.
   */
  snapshot(data: KommuneData, regulatedPlanstatus: readonly number[]): AlertSnapshot | null {
    const kommunenummer = data.kommune.kommunenummer;
    try {
      return {
        kommuneNavn: data.kommune.navn,
        before: lotsOfKommune(this.options.db, kommunenummer).map(({ tomtId, state, record }) => ({
          tomtId,
          state,
          record,
        })),
        plans: planFactsOf(data, {
          inProgress: this.options.rules.planInProgressStatus,
          inForce: regulatedPlanstatus,
        }),
      };
    } catch (error) {
      this.fail(kommunenummer, 'snapshot', error);
      return null;
    }
  }

  /**
   * `at`: when the run took up the kommune, the alerts' time. `stored`: the changes its run wrote,
   * from which the lots after are worked out (without them they are read back from the store).
   */
  async kommune(
    kommunenummer: string,
    snapshot: AlertSnapshot,
    at: string,
    stored?: LotChanges,
  ): Promise<void> {
    try {
      const { db, runId, rules } = this.options;
      const run = { runId, at, kommunenummer, kommuneNavn: snapshot.kommuneNavn };
      const lots = {
        before: snapshot.before,
        after: stored ? lotStatesAfter(snapshot.before, stored) : lotsOfKommune(db, kommunenummer),
        plans: snapshot.plans,
      };
      const worked = needsWorkedLots({ ...run, ...lots, rules })
        ? await this.workedLots(kommunenummer)
        : new Set<string>();
      const found = [
        ...lotAlerts({ ...run, ...lots, worked, rules }),
        ...kommuneplanAlerts(run, seenKommuneplans(db, kommunenummer), snapshot.plans.kommuneplans),
      ];
      db.transaction(() => {
        this.keep(found);
        saveSeenKommuneplans(db, kommunenummer, snapshot.plans.kommuneplans, { runId, at });
      })();
    } catch (error) {
      this.fail(kommunenummer, 'detect', error);
    }
    await this.deliver(kommunenummer);
  }

  /** The top-50 changes of the recent ranking refreshes (after the kommuner); `at`: the run's start. */
  async ranking(at: string): Promise<void> {
    try {
      this.keep(topChangeAlerts(this.options.runId, topChangesToAlert(this.options.db, at)));
    } catch (error) {
      this.fail(null, 'detect', error);
    }
    await this.deliver(null);
  }

  report(): AlertReport {
    return { ...this.report_, failures: [...this.report_.failures] };
  }

  private keep(found: Alert[]): void {
    const added = insertNewAlerts(this.options.db, found);
    this.report_.found += found.length;
    this.report_.added += added.length;
  }

  private async workedLots(kommunenummer: string): Promise<Set<string>> {
    const client = this.options.airtable;
    if (!client) return new Set();
    try {
      return await readWorkedKeys(client, kommunenummer);
    } catch (error) {
      this.fail(kommunenummer, 'worked-lots', error);
      return new Set();
    }
  }

  /** Everything not yet delivered (this kommune's alerts and any an earlier failure left). */
  private async deliver(kommunenummer: string | null): Promise<void> {
    if (this.options.dryRun) return;
    await this.toAirtable(kommunenummer);
    await this.toWebhook(kommunenummer);
  }

  private async toAirtable(kommunenummer: string | null): Promise<void> {
    const { airtable, db, admitRecords, timeZone } = this.options;
    if (!airtable || this.down.has('airtable')) return;
    try {
      const pending = alertsNotInAirtable(db, varslerTable.name);
      const written = await writeAlertsToAirtable(airtable, pending, {
        state: syncedRecordStore(db),
        ...(admitRecords ? { admitCreates: (n: number) => admitRecords(varslerTable.name, n) } : {}),
        dateOf: (iso) => localDate(iso, timeZone),
      });
      this.report_.airtableCreated += written.created;
      this.report_.airtableHeldBack = written.heldBack;
    } catch (error) {
      this.down.add('airtable');
      this.fail(kommunenummer, 'airtable', error);
    }
  }

  private async toWebhook(kommunenummer: string | null): Promise<void> {
    const { webhook, db } = this.options;
    if (!webhook || this.down.has('webhook')) return;
    try {
      const since = new Date(Date.parse(this.options.now()) - WEBHOOK_WINDOW_MS).toISOString();
      const pending = alertsNotSentToWebhook(db, since);
      if (pending.length === 0) return;
      await webhook.send(pending);
      markSentToWebhook(
        db,
        pending.map((a) => a.key),
        this.options.now(),
      );
      this.report_.webhookSent += pending.length;
    } catch (error) {
      this.down.add('webhook');
      this.fail(kommunenummer, 'webhook', error);
    }
  }
}
