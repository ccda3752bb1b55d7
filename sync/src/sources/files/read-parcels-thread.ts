import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Parcel } from '../../domain/parcel.js';
import { openInputs } from './input-files.js';
import { unpackParcels, type PackedParcels } from './parcel-transfer.js';
import { dedupeParcels, readParcels, takeParcelPages, type ParcelPage } from './read-parcels.js';
import type { ReadOptions, ReadWarning } from './read-options.js';

type WorkerMessage =
  { index: number; packed: PackedParcels; warnings: ReadWarning[] } | { done: true } | { failed: string };

function startWorker(data: { path: string; bounds: ReadOptions['bounds']; next: Int32Array }) {
  const options = { workerData: data };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./read-parcels-worker.js', import.meta.url), options);
  const source = new URL('./read-parcels-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The worker's pages as they come; true when it read its last, false when it failed or stopped. */
function workerPages(worker: Worker, pages: ParcelPage[]): Promise<boolean> {
  return new Promise((resolve) => {
    worker.on('message', (message: WorkerMessage) => {
      if ('index' in message)
        pages[message.index] = { parcels: unpackParcels(message.packed), warnings: message.warnings };
      else resolve('done' in message);
    });
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
}

/**
 * `readParcels` shared between a worker thread and this one: both take the input's pages (files)
 * from one counter, the thread continuously, this thread one page per turn of its event loop, in
 * between the plans it parses meanwhile. Whoever has time reads more, so neither waits for the
 * other at the end (one thread alone was the reading stage's last by two seconds on the bench
 * kommune). The result and the warnings are exactly `readParcels`'s: pages are put back in
 * order. A read that fails in the worker is read again here, so the caller gets the reader's
 * own error (InputError, named file).
 */
export async function readParcelsOnThreads(
  path: string,
  options: ReadOptions & { signal?: AbortSignal } = {},
): Promise<Parcel[]> {
  options.signal?.throwIfAborted();
  const inputs = await openInputs(path);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const worker = startWorker({ path, bounds: options.bounds, next });
  const stop = () => void worker.terminate();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const pages: ParcelPage[] = [];
    const workerRead = workerPages(worker, pages);
    for await (const { index, page } of takeParcelPages(inputs.entries, next, options)) {
      pages[index] = page;
      // The plans parsed meanwhile get their turn between two pages.
      await nextTurn();
      options.signal?.throwIfAborted();
    }
    const workerFinished = await workerRead;
    options.signal?.throwIfAborted();
    if (!workerFinished) return await readParcels(path, options);
    for (const page of pages) page.warnings.forEach((w) => options.onWarning?.(w));
    return dedupeParcels(pages.flatMap((page) => page.parcels));
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
    await inputs.close();
  }
}
