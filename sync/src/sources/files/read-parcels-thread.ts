import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Parcel } from '../../domain/parcel.js';
import { unpackParcels, type PackedParcels } from './parcel-transfer.js';
import { dedupeParcels, readParcels, type ParcelReadOptions } from './read-parcels.js';
import type { ReadOptions, ReadWarning } from './read-options.js';

type WorkerAnswer = { packed: PackedParcels; warnings: ReadWarning[] } | { failed: string };

/**
 * One reading thread: since the teig pages are scanned (teig-page-scan.ts), one thread reads the
 * bench kommune's 74,454 teiger in about the time the main thread parses its plans; a second one
 * cost its start-up and competed with the main thread for the two cores, and gained nothing
 * measurable. (The 192 MB young generation the generic reader's garbage needed is gone with it:
 * it made the scan slower.)
 */
const READING_THREADS = 1;

function startWorker(data: {
  path: string;
  bounds: ReadOptions['bounds'];
  slice: ParcelReadOptions['slice'];
}) {
  const options = { workerData: data };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./read-parcels-worker.js', import.meta.url), options);
  const source = new URL('./read-parcels-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

function answerOf(worker: Worker): Promise<WorkerAnswer | null> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}

/**
 * `readParcels` on a worker thread (READING_THREADS of them, each reading a consecutive slice of
 * the input's pages), so the plans are parsed on the main thread meanwhile; the parcels come back
 * packed (parcel-transfer.ts). The result and the
 * warnings (in the order the reader met them) are exactly `readParcels`'s. A read that fails in a
 * worker is read again here, so the caller gets the reader's own error (InputError, named file).
 */
export async function readParcelsOnThreads(
  path: string,
  options: ReadOptions & { signal?: AbortSignal } = {},
): Promise<Parcel[]> {
  options.signal?.throwIfAborted();
  const of = Math.min(READING_THREADS, availableParallelism());
  const workers = Array.from({ length: of }, (_, index) =>
    startWorker({ path, bounds: options.bounds, slice: { index, of } }),
  );
  const stop = () => workers.forEach((w) => void w.terminate());
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const answers = await Promise.all(workers.map(answerOf));
    options.signal?.throwIfAborted();
    if (answers.some((a) => !a || 'failed' in a)) return await readParcels(path, options);
    const read = answers as Array<Exclude<WorkerAnswer, { failed: string }>>;
    for (const warning of read.flatMap((a) => a.warnings)) options.onWarning?.(warning);
    return dedupeParcels(read.flatMap((a) => unpackParcels(a.packed)));
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
}
