import { parentPort, workerData } from 'node:worker_threads';
import { getGeos } from '../geo/geos.js';
import type { BatchResult } from './zone-batch.js';
import { loadLotAnnotator, type LotAnnotator } from './lot-annotator.js';
import { processZones } from './process-zones.js';
import type { WorkerRequest, WorkerResponse, ZoneWorkerData } from './worker-pool.js';

/** Worker thread: runs zone batches with its own GEOS instance, and annotates their lots when asked. */
const geos = await getGeos();
const spec = (workerData as ZoneWorkerData | null)?.annotator;
const annotator: Promise<LotAnnotator> | null = spec ? loadLotAnnotator(spec) : null;
// A module that fails to load fails each batch with its error (below), not the thread's start.
annotator?.catch(() => undefined);

parentPort!.on('message', (request: WorkerRequest) => {
  void respond(request).then((response) => parentPort!.postMessage(response));
});

async function respond(request: WorkerRequest): Promise<WorkerResponse> {
  let result: BatchResult;
  try {
    result = processZones(geos, request.batch, request.rules);
  } catch (error) {
    return { id: request.id, error: stackOf(error) };
  }
  if (!annotator) return { id: request.id, result };
  try {
    return { id: request.id, result: { ...result, annotations: (await annotator)(result.lots) } };
  } catch (error) {
    return { id: request.id, error: `annotating its lots: ${stackOf(error)}` };
  }
}

function stackOf(error: unknown): string {
  return (error as Error).stack ?? String(error);
}
