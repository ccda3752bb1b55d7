import { countBaseRecords, type CountingClient } from '../crm/budget/count-base-records.js';
import {
  budgetLevel,
  budgetWarning,
  countWith,
  fitsUnderCeiling,
  type BudgetLevel,
} from '../crm/budget/record-budget.js';
import { tomterTable } from '../crm/schema/tomter.js';
import { lastRecordCount, saveRecordCount, type RecordCount } from '../store/airtable-record-count.js';
import type { Db } from '../store/database.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

/** A kommune whose new lots were not created, all of them, because they did not fit. */
export interface HeldBackKommune {
  kommunenummer: string;
  lots: number;
}

/** The run summary's account of the base's records (RunSummary.airtableBudget). */
export interface RecordBudgetReport {
  limit: number;
  /** The latest count (this run's, or an earlier run's), moved on by what was created since; null: never counted. */
  count: RecordCount | null;
  countedThisRun: boolean;
  level: BudgetLevel | null;
  /** At 80 % and over: how full the base is and what to do. */
  warning: string | null;
  heldBack: HeldBackKommune[];
  /** Why the base could not be counted (then every kommune's new lots were held back). */
  countError: string | null;
}

/** One kommune's part: asked before its new lots are created, told what was created. */
export interface KommuneBudget {
  admit(lots: number): Promise<boolean>;
  settle(created: number): void;
}

export interface RunBudget {
  forKommune(kommunenummer: string): KommuneBudget;
  /** Room for `records` new records in another table (Varsler): counted as created when admitted. */
  admitRecords(table: string, records: number): Promise<boolean>;
  report(): RecordBudgetReport;
}

export interface RunBudgetOptions {
  client: CountingClient;
  db: Db;
  /** AIRTABLE_RECORD_LIMIT. */
  limit: number;
  now: () => string;
  logger: Logger;
}

/**
 * The record budget of one nightly run. The base is counted once, when the first kommune would
 * create records (a night without new lots costs no count); each kommune's new lots are then
 * admitted all together or held back all together, so a kommune is never half in Airtable. The
 * count, moved on by every create, is stored for /health.
 */
export function runBudget(options: RunBudgetOptions): RunBudget {
  const { db, limit, logger } = options;
  let count: RecordCount | null = null;
  let countError: string | null = null;
  const heldBack: HeldBackKommune[] = [];

  const countOnce = async () => {
    if (count || countError) return;
    try {
      count = await countBaseRecords(options.client, options.now());
      saveRecordCount(db, count);
      logger.info('Airtable base counted', { records: count.total, limit, tables: tablesText(count) });
    } catch (error) {
      countError = messageOf(error);
      logger.warn('Counting the Airtable base failed: new lots are held back this run', {
        error: countError,
      });
    }
  };
  const move = (records: number, table = tomterTable.name) => {
    if (!count || records === 0) return;
    count = countWith(count, table, records);
  };
  const hold = (kommunenummer: string, lots: number) => {
    heldBack.push({ kommunenummer, lots });
    const why = count ? 'they do not fit under the Airtable record ceiling' : 'the base could not be counted';
    logger.warn(`New lots held back: ${why}`, { kommune: kommunenummer, lots, records: count?.total, limit });
  };

  return {
    forKommune(kommunenummer) {
      let admitted = 0;
      return {
        async admit(lots) {
          await countOnce();
          if (!count || !fitsUnderCeiling(count.total, lots, limit)) {
            hold(kommunenummer, lots);
            return false;
          }
          // Counted as created at once, so a sync that stops half-way never leaves room it does not have.
          admitted = lots;
          move(lots);
          saveRecordCount(db, count);
          return true;
        },
        settle(created) {
          move(created - admitted);
          if (count && created !== admitted) saveRecordCount(db, count);
          admitted = 0;
        },
      };
    },
    async admitRecords(table, records) {
      await countOnce();
      if (!count || !fitsUnderCeiling(count.total, records, limit)) {
        logger.warn(`New ${table} records held back: the base has no room (or could not be counted)`, {
          records,
          limit,
        });
        return false;
      }
      move(records, table);
      saveRecordCount(db, count);
      return true;
    },
    report: () => budgetReport({ db, limit, count, countError, heldBack }),
  };
}

function budgetReport(state: {
  db: Db;
  limit: number;
  count: RecordCount | null;
  countError: string | null;
  heldBack: HeldBackKommune[];
}): RecordBudgetReport {
  const count = state.count ?? lastRecordCount(state.db);
  return {
    limit: state.limit,
    count,
    countedThisRun: state.count !== null,
    level: count ? budgetLevel(count.total, state.limit) : null,
    warning: count ? budgetWarning(count, state.limit) : null,
    heldBack: state.heldBack,
    countError: state.countError,
  };
}

export function tablesText(count: RecordCount): string {
  return Object.entries(count.tables)
    .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
    .join(', ');
}
