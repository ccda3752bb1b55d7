import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { composeReport } from '../jobs/weekly-report-compose.js';
import type { ComposeRequest } from '../jobs/weekly-report.js';

/**
 * The weekly report's thread: its own read-only connection to the store file (WAL lets it read
 * while a run writes), composing a report (reads and HTML) for the service's thread to keep.
 */
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort!.on('message', ({ id, request }: { id: number; request: ComposeRequest }) => {
  try {
    parentPort!.postMessage({ id, composed: composeReport(db, request) });
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
