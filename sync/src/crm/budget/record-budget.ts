import type { RecordCount } from '../../store/airtable-record-count.js';

export type { RecordCount };

/**
 * The base's record budget. Airtable limits the records of a base, all tables together (Team
 * 50,000, Business 125,000): AIRTABLE_RECORD_LIMIT. Pure decisions; the count is `count-base-records.ts`.
 */

/** At this share of the limit the run summary and /health warn. */
export const WARN_PERCENT = 80;
/** At this share of the limit no new lot is created; the rest is room for the team and the owner lookup. */
export const CEILING_PERCENT = 95;

export type BudgetLevel = 'ok' | 'warning' | 'full';

/** The most records the sync fills the base to (95 % of the limit). */
export const ceilingOf = (limit: number): number => Math.floor((limit * CEILING_PERCENT) / 100);
/** From this many records on, the service warns (80 % of the limit). */
export const warningAtOf = (limit: number): number => Math.ceil((limit * WARN_PERCENT) / 100);

export function budgetLevel(records: number, limit: number): BudgetLevel {
  if (records >= ceilingOf(limit)) return 'full';
  if (records >= warningAtOf(limit)) return 'warning';
  return 'ok';
}

/** The count after `records` were created in `table` (a count moves on with every create until the next count). */
export function countWith(count: RecordCount, table: string, records: number): RecordCount {
  return {
    ...count,
    total: count.total + records,
    tables: { ...count.tables, [table]: (count.tables[table] ?? 0) + records },
  };
}

/** Whether `adding` new records keep the base at or under the ceiling. */
export function fitsUnderCeiling(records: number, adding: number, limit: number): boolean {
  return records + adding <= ceilingOf(limit);
}

/** The three ways to make room, as the run summary and /health say them. */
export const MAKE_ROOM =
  'move the base to a larger Airtable plan and raise AIRTABLE_RECORD_LIMIT; or raise airtable.minTier ' +
  'in the rule file (fewer new lots); or archive records in Airtable (export, then delete records the ' +
  'team no longer needs: a deleted record of a lot below the policy is not made again)';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (records: number, limit: number) => `${((records / limit) * 100).toFixed(1)} %`;

/** How full the base is, in one sentence: "41,000 of 50,000 records (82.0 %), counted 2026-03-02". */
export function budgetLine(counted: RecordCount, limit: number): string {
  return (
    `${count(counted.total)} of ${count(limit)} records (${percent(counted.total, limit)}), ` +
    `counted ${counted.countedAt.slice(0, 10)}`
  );
}

/** The warning for a base at 80 % or more of its limit, with what to do; null below that. */
export function budgetWarning(counted: RecordCount, limit: number): string | null {
  const level = budgetLevel(counted.total, limit);
  if (level === 'ok') return null;
  const holds = `the Airtable base holds ${budgetLine(counted, limit)}`;
  const ceiling = `${CEILING_PERCENT} % (${count(ceilingOf(limit))} records)`;
  const effect =
    level === 'full'
      ? `at or over ${ceiling}: new lots are not created, existing records are still updated`
      : `at ${ceiling} new lots stop being created`;
  return `${holds}; ${effect}. To make room: ${MAKE_ROOM}`;
}
