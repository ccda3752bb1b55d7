import { parentPort } from 'node:worker_threads';
import { getGeos } from '../geo/geos.js';
import { processZones } from './process-zones.js';
import type { WorkerRequest, WorkerResponse } from './worker-pool.js';

/** Worker thread: runs zone batches with its own GEOS instance. */
const geos = await getGeos();
parentPort!.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = { id: request.id, result: processZones(geos, request.batch, request.rules) };
  } catch (error) {
    response = { id: request.id, error: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(response);
});
