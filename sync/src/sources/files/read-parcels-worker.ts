import { parentPort, workerData } from 'node:worker_threads';
import { openInputs } from './input-files.js';
import { packParcels, transferablesOf } from './parcel-transfer.js';
import { takeParcelPages } from './read-parcels.js';
import type { ReadOptions } from './read-options.js';

/**
 * The worker side of `readParcelsOnThreads`: takes the input's pages from the shared counter one
 * at a time, posts each page's parcels (packed) and warnings back, then `done`.
 */
const { path, bounds, next } = workerData as {
  path: string;
  bounds: ReadOptions['bounds'];
  next: Int32Array;
};
const inputs = await openInputs(path);
try {
  for await (const { index, page } of takeParcelPages(inputs.entries, next, { bounds })) {
    const packed = packParcels(page.parcels);
    parentPort!.postMessage({ index, packed, warnings: page.warnings }, transferablesOf(packed));
  }
  parentPort!.postMessage({ done: true });
} catch (error) {
  parentPort!.postMessage({ failed: error instanceof Error ? error.message : String(error) });
} finally {
  await inputs.close();
}
