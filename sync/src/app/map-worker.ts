import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { answerMapQuestion, type MapQuestion } from './map-answers.js';

/**
 * A map query thread: its own read-only connection to the store file (WAL lets it read while a
 * run writes), answering questions with JSON bytes and their gzip, handed back without a copy.
 */
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// The index of a national store (about 40 MB without outlines) stays in this connection's cache.
db.pragma('cache_size = -131072');
db.pragma('mmap_size = 1073741824');

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
