import { parentPort, workerData } from 'node:worker_threads';
import { readParcels } from './read-parcels.js';
import type { ReadOptions, ReadWarning } from './read-options.js';

/** The worker side of `readParcelsOnThread`: reads one input, posts the parcels and warnings back. */
const { path, bounds } = workerData as { path: string; bounds: ReadOptions['bounds'] };
const warnings: ReadWarning[] = [];
try {
  const parcels = await readParcels(path, { bounds, onWarning: (w) => warnings.push(w) });
  parentPort!.postMessage({ parcels, warnings });
} catch (error) {
  parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
