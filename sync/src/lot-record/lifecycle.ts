import type { LotRecord } from './lot-record.js';

/** A lot's history across runs, as the store tracks it. */
export interface LotLifecycle {
  state: 'active' | 'vanished';
  firstSeen: string;
  lastSeen: string;
  changedAt: string;
  vanishedAt: string | null;
  /** Norwegian, for the sales team ("Regulert: vedtatt reguleringsplan …"). */
  vanishedReason: string | null;
  revivedAt: string | null;
  timesVanished: number;
}

/** A lot record with its history: what every rendering of a known lot starts from. */
export interface TrackedLot extends LotLifecycle {
  record: LotRecord;
}
