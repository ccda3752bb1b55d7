import type { Db } from '../../store/database.js';
import { topChanges, type TopChange } from '../../store/kommune-top.js';
import { firstRankingRefreshId } from '../../store/alerts.js';

/** Top-50 changes this old or newer are alerted (a few missed nights still get theirs, by key once). */
const LOOKBACK_DAYS = 14;

/**
 * The top-50 changes the nightly run alerts: those of the refreshes in the last two weeks, but not
 * of the very first ranking (every kommune "enters" then: a starting point, not news).
 */
export function topChangesToAlert(db: Db, now: string): TopChange[] {
  const first = firstRankingRefreshId(db);
  const since = new Date(Date.parse(now) - LOOKBACK_DAYS * 86_400_000).toISOString();
  return topChanges(db, { since }).filter((change) => change.refreshId !== first);
}
