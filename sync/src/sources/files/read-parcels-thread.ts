import { Worker } from 'node:worker_threads';
import type { Parcel } from '../../domain/parcel.js';
import { readParcels } from './read-parcels.js';
import type { ReadOptions, ReadWarning } from './read-options.js';

type WorkerAnswer = { parcels: Parcel[]; warnings: ReadWarning[] } | { failed: string };

/**
 * A parser makes short-lived garbage by the million (tens of thousands of teiger): a young
 * generation larger than V8's default collects it in far fewer pauses (measured on the
 * 74,454-parcel bench kommune: the main thread's garbage collection went from 19 s to 6 s).
 */
const YOUNG_GENERATION_MB = 192;

function startWorker(data: { path: string; bounds: ReadOptions['bounds'] }): Worker {
  const options = { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./read-parcels-worker.js', import.meta.url), options);
  const source = new URL('./read-parcels-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * `readParcels` on a worker thread of its own, so the plans can be parsed on the main thread
 * meanwhile. Warnings reach `onWarning` in the order the reader met them. A read that fails in
 * the worker is read again here, so the caller gets the reader's own error (InputError, named file).
 */
export async function readParcelsOnThread(
  path: string,
  options: ReadOptions & { signal?: AbortSignal } = {},
): Promise<Parcel[]> {
  options.signal?.throwIfAborted();
  const worker = startWorker({ path, bounds: options.bounds });
  const onAbort = () => void worker.terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = await new Promise<WorkerAnswer | null>((resolve) => {
      worker.once('message', resolve);
      worker.once('error', () => resolve(null));
      worker.once('exit', () => resolve(null));
    });
    options.signal?.throwIfAborted();
    if (!answer || 'failed' in answer) return await readParcels(path, options);
    for (const warning of answer.warnings) options.onWarning?.(warning);
    return answer.parcels;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  }
}
