import { countBaseRecords, type CountingClient } from '../crm/budget/count-base-records.js';
import { ceilingOf, countWith, fitsUnderCeiling, MAKE_ROOM } from '../crm/budget/record-budget.js';
import { saveRecordCount } from '../store/airtable-record-count.js';
import type { Db } from '../store/database.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export interface CeilingAdmissionOptions {
  client: CountingClient;
  db: Db;
  /** AIRTABLE_RECORD_LIMIT. */
  limit: number;
  /** The table whose new records are asked for (Kommuner). */
  table: string;
  now: () => string;
  logger: Logger;
}

/**
 * The record ceiling for a table written as one whole (Kommuner, all kommuner at once), as
 * `syncTable`'s `admitCreates`: the base is counted when the table would create records, and its
 * new records are admitted all together only if the base stays at or under 95 % of the limit.
 * A count that fails holds them back too. Updates are never held.
 */
export function admitUnderCeiling(options: CeilingAdmissionOptions): (creates: number) => Promise<boolean> {
  const { db, limit, table, logger } = options;
  return async (creates) => {
    let count;
    try {
      count = await countBaseRecords(options.client, options.now());
    } catch (error) {
      logger.warn(`${table}: counting the Airtable base failed; its new records are held back`, {
        creates,
        error: messageOf(error),
      });
      return false;
    }
    const fits = fitsUnderCeiling(count.total, creates, limit);
    if (!fits) {
      saveRecordCount(db, count);
      logger.warn(`${table}: new records held back: they do not fit under the Airtable record ceiling`, {
        records: count.total,
        creates,
        ceiling: ceilingOf(limit),
        limit,
        toMakeRoom: MAKE_ROOM,
      });
      return false;
    }
    // Counted as created at once, as the nightly run does, so /health never shows room that is gone.
    saveRecordCount(db, countWith(count, table, creates));
    return true;
  };
}
