/**
 * A vitest pool for StrykerJS's mutant runs that keeps its worker thread between runs.
 *
 * Why: vitest 4 stops a run's worker when the run's queue is empty, and StrykerJS starts one run
 * per mutant, so every mutant paid for a new thread, vitest's runtime and every library the tests
 * load (0.4–0.8 s on this machine before the first test). This pool answers vitest's "start" and
 * "stop" for a thread that is already running itself and hands each run the configuration of its
 * own "start" (StrykerJS changes the test-name filter per mutant), so one thread serves every
 * run of a StrykerJS test-runner process. StrykerJS still replaces the whole process after a
 * timed-out mutant. The thread side is scripts/mutation/persistent-thread-entry.mjs.
 */
import { Worker } from 'node:worker_threads';
import type { Plugin } from 'vite';

const ENTRY = new URL('./persistent-thread-entry.mjs', import.meta.url);
const POOL_NAME = 'persistent-threads';

interface WorkerRequest {
  __vitest_worker_request__?: true;
  type?: string;
  context?: Record<string, unknown>;
}
type Listener = (message: unknown) => void;
interface PoolWorkerOptions {
  env: Record<string, string>;
  execArgv: string[];
}

interface SharedThread {
  thread: Worker;
  started: boolean;
  /** The serialized project configuration of the latest "start" (filters included). */
  config?: unknown;
  exited: boolean;
}
let shared: SharedThread | undefined;

function sharedThread(options: PoolWorkerOptions, keep: readonly string[]): SharedThread {
  if (shared && !shared.exited) return shared;
  const thread = new Worker(ENTRY, { env: options.env, execArgv: options.execArgv, workerData: { keep } });
  const created: SharedThread = { thread, started: false, exited: false };
  thread.on('exit', () => (created.exited = true));
  thread.unref();
  shared = created;
  return created;
}

class PersistentThreadWorker {
  readonly name = POOL_NAME;
  private readonly listeners: Array<[string, Listener]> = [];
  private current?: SharedThread;

  constructor(
    private readonly options: PoolWorkerOptions,
    private readonly keep: readonly string[],
  ) {}

  async start(): Promise<void> {
    this.current = sharedThread(this.options, this.keep);
  }

  on(event: string, listener: Listener): void {
    this.thread().thread.on(event, listener);
    this.listeners.push([event, listener]);
  }

  off(event: string, listener: Listener): void {
    this.thread().thread.off(event, listener);
    const index = this.listeners.findIndex(([e, l]) => e === event && l === listener);
    if (index !== -1) this.listeners.splice(index, 1);
  }

  send(message: WorkerRequest): void {
    const target = this.thread();
    if (message?.__vitest_worker_request__ === true) {
      if (message.type === 'start') {
        target.config = (message.context as { config: unknown }).config;
        if (target.started) return this.answer('started');
        target.started = true;
      } else if (message.type === 'stop') {
        return this.answer('stopped');
      } else if (message.type === 'run' || message.type === 'collect') {
        message = { ...message, context: { ...message.context, config: target.config } };
      }
    }
    target.thread.postMessage(message);
  }

  /** The thread stays; only this run's listeners leave it. */
  async stop(): Promise<void> {
    for (const [event, listener] of this.listeners.splice(0)) this.current?.thread.off(event, listener);
  }

  deserialize(data: unknown): unknown {
    return data;
  }

  private answer(type: 'started' | 'stopped'): void {
    const listeners = this.listeners.filter(([event]) => event === 'message').map(([, l]) => l);
    setImmediate(() => listeners.forEach((listener) => listener({ type, __vitest_worker_response__: true })));
  }

  private thread(): SharedThread {
    if (!this.current) throw new Error('persistent-threads pool: the worker was used before start()');
    return this.current;
  }
}

/**
 * Puts every project on the persistent pool, whatever pool the caller (StrykerJS) asked for.
 * `keep`: project modules (path endings) evaluated once per thread rather than once per run; only
 * for modules no mutant reaches and whose state no rule shapes.
 */
export function persistentThreadsPool(options: { keep?: readonly string[] } = {}): Plugin {
  const keep = options.keep ?? [];
  const runner = {
    name: POOL_NAME,
    createPoolWorker: (worker: PoolWorkerOptions) => new PersistentThreadWorker(worker, keep),
  };
  return {
    name: 'tomtejakt:persistent-threads-pool',
    configureVitest({ project }) {
      Object.assign(project.config, { pool: POOL_NAME, poolRunner: runner });
    },
  };
}
