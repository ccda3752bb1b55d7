import type { Tier } from './lot.js';

/**
 * The counts a week is remembered by (the weekly report's snapshots, issue 15): kept once per
 * ISO week in the store, read back for the report's 12-week charts and "change from last week".
 */
export type TierCounts = Record<Tier, number>;

/** One kommune's active lots and estimated homes. */
export interface KommuneWeekCounts {
  kommunenummer: string;
  navn: string;
  lots: number;
  homes: number;
  /** Lots in tier A or B. */
  lotsAB: number;
}

/** The counts a week is remembered by. */
export interface WeekCounts {
  lots: TierCounts;
  homes: TierCounts;
  byKommune: KommuneWeekCounts[];
  /** Owner lookups finished so far (all time), and waiting or running at the time. */
  ownerLookups: { done: number; pending: number };
  /** The team's Status counts in Airtable (Tomter), when they could be read; null otherwise. */
  pipeline: Record<string, number> | null;
}
