/**
 * The worker thread of the persistent-threads pool (persistent-threads-pool.ts): vitest's own
 * thread worker, kept alive from one StrykerJS mutant run to the next.
 *
 * Before each run the project's modules are forgotten, as vitest's `isolate` would on a new
 * thread, so a mutant's run never sees module state from the previous mutant (a cached result,
 * a module-level value of a static mutant). Only node_modules, loaded natively by Node, stay
 * loaded: that, the thread and vitest's runtime are what the pool saves, with the project modules
 * the pool was told to keep (`keep`, path endings): evaluated once per thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { init, runBaseTests, setupEnvironment } from 'vitest/worker';

/** vitest's module graph of this thread: the same object on every run. */
let moduleGraph;
/** @type {string[]} */
const keep = workerData?.keep ?? [];

function forgetProjectModules() {
  if (!moduleGraph) return;
  for (const [id, node] of moduleGraph.idToModuleMap) {
    if (id.includes('/node_modules/') || id.startsWith('mock:')) continue;
    if (keep.some((ending) => id.endsWith(ending))) continue;
    node.promise = undefined;
    node.exports = undefined;
    node.evaluated = false;
    node.importers.clear();
  }
}

/**
 * StrykerJS's setup file names a run's mutant in a beforeAll, after the test files are imported;
 * on a new thread nothing is active while they load. On this kept thread the previous run's
 * mutant would still be named then, and a module-level mutant of it (a hybrid: static and covered
 * by tests) would shape the next mutant's modules as they load: a false kill.
 */
function forgetActiveMutant() {
  const stryker = globalThis.__stryker__;
  if (!stryker) return;
  stryker.activeMutant = undefined;
  // A new thread has no hit count until the setup file's beforeAll starts one. Kept, the previous
  // run's count would go on rising while a static mutant's module loads, up to StrykerJS's hit
  // limit (an infinite-loop guard): every later static mutant failed on "Hit count limit reached".
  stryker.hitCount = undefined;
}

init({
  post: (response) => parentPort.postMessage(response),
  on: (callback) => parentPort.on('message', callback),
  off: (callback) => parentPort.off('message', callback),
  teardown: () => parentPort.removeAllListeners('message'),
  runTests: async (state, traces) => {
    forgetProjectModules();
    forgetActiveMutant();
    await runBaseTests('run', state, traces);
    moduleGraph = state.evaluatedModules;
  },
  collectTests: (state, traces) => runBaseTests('collect', state, traces),
  setup: setupEnvironment,
});
