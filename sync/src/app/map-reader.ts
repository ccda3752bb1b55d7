import type { Worker } from 'node:worker_threads';
import type { MapBody, MapReader } from '../server/map-api.js';
import type { Db } from '../store/database.js';
import { lotMapVersion } from '../store/lot-map.js';
import { answerMapQuestion, type MapQuestion } from './map-answers.js';
import { startModuleWorker } from './module-worker.js';

type Reply = { id: number; identity: Uint8Array; gzip: Uint8Array } | { id: number; error: string };

interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve: (body: MapBody) => void; reject: (error: Error) => void }>;
}

const bufferOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The map's questions answered on `threads` worker threads, each with its own read-only
 * connection, so the thread that answers the webhooks and /health only hands questions over and
 * sends the bytes back. Threads start on first use and are restarted if one dies.
 */
function workerMapReader(db: Db, threads: number): MapReader {
  const pool: Thread[] = [];
  let nextId = 0;
  const start = (): Thread => {
    const thread: Thread = {
      worker: startModuleWorker(import.meta.url, 'map-worker', { file: db.name }),
      waiting: new Map(),
    };
    const fail = (error: Error) => {
      if (pool.includes(thread)) pool.splice(pool.indexOf(thread), 1);
      for (const { reject } of thread.waiting.values()) reject(error);
      thread.waiting.clear();
    };
    thread.worker.on('message', (reply: Reply) => {
      const waiter = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(`map query failed: ${reply.error}`));
      else waiter?.resolve({ identity: bufferOf(reply.identity), gzip: bufferOf(reply.gzip) });
    });
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`map worker exited with code ${code}`)));
    thread.worker.unref();
    pool.push(thread);
    return thread;
  };
  const ask = (question: MapQuestion) => {
    const thread =
      pool.length < threads ? start() : pool.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = nextId++;
    return new Promise<MapBody>((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.postMessage({ id, question });
    });
  };
  return readerAsking(db, ask, async () => {
    await Promise.all(pool.splice(0).map((thread) => thread.worker.terminate()));
  });
}

/** The questions answered in place, on the calling thread (an in-memory store has no file to share). */
function inlineMapReader(db: Db): MapReader {
  return readerAsking(
    db,
    async (question) => answerMapQuestion(db, question),
    async () => undefined,
  );
}

/** A map reader that puts each question to `ask`: on worker threads or in place. */
function readerAsking(
  db: Db,
  ask: (question: MapQuestion) => Promise<MapBody>,
  close: () => Promise<void>,
): MapReader {
  return {
    version: () => lotMapVersion(db),
    layer: (query) => ask({ kind: 'layer', query }),
    search: (search) => ask({ kind: 'search', search }),
    kommuner: () => ask({ kind: 'kommuner' }),
    all: () => ask({ kind: 'all' }),
    close,
  };
}

/** The map reader of a store: worker threads for a store file (MAP_API_THREADS), in place for an in-memory store. */
export function storeMapReader(db: Db, options: { threads: number }): MapReader {
  return db.memory || options.threads === 0 ? inlineMapReader(db) : workerMapReader(db, options.threads);
}
