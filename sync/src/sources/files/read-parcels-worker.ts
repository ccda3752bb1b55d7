import { parentPort, workerData } from 'node:worker_threads';
import { packParcels, transferablesOf } from './parcel-transfer.js';
import { readParcels, type ParcelReadOptions } from './read-parcels.js';
import type { ReadOptions, ReadWarning } from './read-options.js';

/** The worker side of `readParcelsOnThreads`: reads its slice of the input, posts the parcels and warnings back. */
const { path, bounds, slice } = workerData as {
  path: string;
  bounds: ReadOptions['bounds'];
  slice: ParcelReadOptions['slice'];
};
const warnings: ReadWarning[] = [];
try {
  const parcels = await readParcels(path, { bounds, slice, onWarning: (w) => warnings.push(w) });
  const packed = packParcels(parcels);
  parentPort!.postMessage({ packed, warnings }, transferablesOf(packed));
} catch (error) {
  parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) });
}
