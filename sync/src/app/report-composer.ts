import type { Worker } from 'node:worker_threads';
import type { ComposedReport } from '../jobs/weekly-report-compose.js';
import { inlineComposer, type ComposeRequest, type ReportComposer } from '../jobs/weekly-report.js';
import type { Db } from '../store/database.js';
import { startModuleWorker } from './module-worker.js';

type Reply = { id: number; composed: ComposedReport } | { id: number; error: string };

/** A composer and how to stop its thread. */
export interface StoreComposer {
  compose: ReportComposer;
  close(): Promise<void>;
}

/**
 * The weekly report composed on a worker thread of its own (started on first use, restarted if
 * it dies), so reading a national store and rendering its report (about a second for 20,000
 * lots) never holds up the webhooks and the map. An in-memory store has no file to share: in place.
 */
export function storeReportComposer(db: Db): StoreComposer {
  if (db.memory) return { compose: inlineComposer(db), close: async () => undefined };
  let worker: Worker | null = null;
  const waiting = new Map<number, { resolve: (c: ComposedReport) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const start = (): Worker => {
    const started = startModuleWorker(import.meta.url, 'report-worker', { file: db.name });
    const fail = (error: Error) => {
      if (worker === started) worker = null;
      for (const { reject } of waiting.values()) reject(error);
      waiting.clear();
    };
    started.on('message', (reply: Reply) => {
      const waiter = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) waiter?.reject(new Error(`weekly report failed: ${reply.error}`));
      else waiter?.resolve(reply.composed);
    });
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`report worker exited with code ${code}`)));
    started.unref();
    return started;
  };
  return {
    compose: (request: ComposeRequest) =>
      new Promise<ComposedReport>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        (worker ??= start()).postMessage({ id, request });
      }),
    async close() {
      const running = worker;
      worker = null;
      await running?.terminate();
    },
  };
}
