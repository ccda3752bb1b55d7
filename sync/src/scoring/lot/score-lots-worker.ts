import { workerData } from 'node:worker_threads';
import type { Lot } from '../../domain/lot.js';
import { getGeos } from '../../geo/geos.js';
import { serveTasks } from '../../util/task-threads.js';
import { LotScorer, type LotScoreInputs } from './score-lots.js';
import type { ScoredShare } from './score-lots-threads.js';

/** The thread side of `scoreLotsOnThreads`: one scorer (its zones prepared in GEOS once) for every share it is handed. */
const scorer = new LotScorer(await getGeos(), workerData as LotScoreInputs);
serveTasks<LotScoreInputs, Lot[], ScoredShare>((_, lots) => ({
  parts: lots.map((lot) => scorer.score(lot)),
  ...scorer.against(),
}));
