import type { AlertSource } from '../jobs/weekly-report.js';
import { alertsBetween } from '../store/alerts.js';
import type { Db } from '../store/database.js';

/** Where the weekly report reads the week's alerts (competitor activity, lots lost to plans): the store. */
export function reportAlertSource(db: Db): AlertSource {
  return { alertsBetween: (fromIso, toIso) => alertsBetween(db, fromIso, toIso) };
}
