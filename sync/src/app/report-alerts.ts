import { NO_ALERT_SOURCE, type AlertSource } from '../jobs/weekly-report.js';
import type { Db } from '../store/database.js';

/**
 * Where the service's weekly report reads the week's alerts. INTEGRATOR: the alerts store is
 * built on branch issue-15a (`store/alerts.ts`, `alertsBetween(db, fromIso, toIso)`); once it is
 * merged, this becomes `{ alertsBetween: (from, to) => alertsBetween(db, from, to) }`. Until then
 * the report's competitor activity and lost lots are empty (the rest of the report is not).
 */
export function reportAlertSource(_db: Db): AlertSource {
  return NO_ALERT_SOURCE;
}
