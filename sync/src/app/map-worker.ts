import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { answerMapQuestion, type MapQuestion } from './map-answers.js';

/**
 * A map query thread: its own read-only connection to the store file (WAL lets it read while a
 * run writes), answering questions with JSON bytes and their gzip, handed back without a copy.
 */
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort!.on('message', ({ id, question }: { id: number; question: MapQuestion }) => {
  try {
    const body = answerMapQuestion(db, question);
    const identity = new Uint8Array(body.identity);
    const gzip = new Uint8Array(body.gzip);
    parentPort!.postMessage({ id, identity, gzip }, [identity.buffer, gzip.buffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
