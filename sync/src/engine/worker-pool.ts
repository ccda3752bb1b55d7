import { Worker } from 'node:worker_threads';
import type { EngineRules } from '../config/engine-rules.js';
import type { LotAnnotatorSpec } from './lot-annotator.js';
import type { BatchResult, ZoneBatch } from './zone-batch.js';

export interface WorkerRequest {
  id: number;
  batch: ZoneBatch;
  rules: EngineRules;
}

export type WorkerResponse = { id: number; result: BatchResult } | { id: number; error: string };

/** What each zone thread is started with. */
export interface ZoneWorkerData {
  annotator: LotAnnotatorSpec | null;
}

/**
 * Starts the worker script next to this module: the compiled .js in dist; in development and
 * tests (running from .ts sources) the .ts file, after registering tsx inside the worker.
 */
function startWorker(workerData: ZoneWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./zone-worker.js', import.meta.url), { workerData });
  const source = new URL('./zone-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * Runs zone batches on `size` worker threads, each with its own GEOS instance. Batches are handed
 * out one at a time as workers finish, so an expensive batch does not hold the others back.
 * Results come back in batch order; `onBatchDone` is told each as it arrives. With `annotator`,
 * each thread also annotates its batches' lots (`BatchResult.annotations`).
 */
export async function runBatchesInWorkers(
  batches: ZoneBatch[],
  rules: EngineRules,
  size: number,
  options: {
    onBatchDone?: (result: BatchResult) => void;
    signal?: AbortSignal | undefined;
    annotator?: LotAnnotatorSpec | undefined;
  } = {},
): Promise<BatchResult[]> {
  const { onBatchDone = () => undefined, signal } = options;
  signal?.throwIfAborted();
  const results: BatchResult[] = new Array(batches.length);
  let next = 0;
  const workerData: ZoneWorkerData = { annotator: options.annotator ?? null };
  const workers = Array.from({ length: Math.min(size, batches.length) }, () => startWorker(workerData));
  // An abort (the kommune's time limit) ends the threads mid-batch instead of letting them finish.
  const aborted = new Promise<never>((_, reject) =>
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );
  try {
    await Promise.race([
      aborted,
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= batches.length) return resolve();
                const id = next++;
                worker.postMessage({ id, batch: batches[id]!, rules } satisfies WorkerRequest);
              };
              worker.on('message', (message: WorkerResponse) => {
                if ('error' in message)
                  return reject(new Error(`zone batch ${message.id}: ${message.error}`));
                results[message.id] = message.result;
                // The thread gets its next batch before this one's lots are handed on (and scored).
                send();
                onBatchDone(message.result);
              });
              worker.on('error', reject);
              worker.on('exit', (code) => {
                if (code !== 0) reject(new Error(`zone worker exited with code ${code}`));
              });
              send();
            }),
        ),
      ),
    ]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
