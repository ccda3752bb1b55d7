import { parentPort, Worker, workerData, type ResourceLimits } from 'node:worker_threads';

type TaskMessage<Task> = { id: number; task: Task };
type AnswerMessage<Result> = { id: number; result: Result } | { id: number; error: string };

/**
 * Starts a worker script: the compiled .js in dist; in development and tests (running from .ts
 * sources) the .ts file, after registering tsx inside the thread.
 */
function startThread(script: URL, data: unknown, resourceLimits?: ResourceLimits): Worker {
  const options = { workerData: data, ...(resourceLimits ? { resourceLimits } : {}) };
  if (!script.pathname.endsWith('.ts')) return new Worker(script, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The script beside `moduleUrl` named `name`, as .ts when the module runs from its source. */
export function scriptBeside(moduleUrl: string, name: string): URL {
  return new URL(`./${name}.${moduleUrl.endsWith('.ts') ? 'ts' : 'js'}`, moduleUrl);
}

export interface TaskThreadOptions<Result> {
  threads: number;
  /** Named in every failure: "lot scoring thread: …". */
  name: string;
  /** Each task's result as it arrives (in any order). */
  onResult?: (index: number, result: Result) => void;
  resourceLimits?: ResourceLimits;
}

/**
 * Runs tasks on `threads` worker threads of `script` (which calls `serveTasks`). `shared` is
 * handed to each thread once, as it starts; tasks are handed out one at a time as threads finish
 * theirs, so a slow task does not hold the others back. Results come back in task order. A task
 * that throws, or a thread that dies, fails the whole run with its name; the threads are ended either way.
 */
export async function runTasksOnThreads<Shared, Task, Result>(
  script: URL,
  shared: Shared,
  tasks: readonly Task[],
  options: TaskThreadOptions<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(tasks.length);
  let next = 0;
  const count = Math.max(1, Math.min(options.threads, tasks.length));
  const threads = Array.from({ length: tasks.length ? count : 0 }, () =>
    startThread(script, shared, options.resourceLimits),
  );
  const fail = (what: string) => new Error(`${options.name} thread: ${what}`);
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= tasks.length) return resolve();
              const id = next++;
              thread.postMessage({ id, task: tasks[id]! } satisfies TaskMessage<Task>);
            };
            thread.on('message', (message: AnswerMessage<Result>) => {
              if ('error' in message) return reject(fail(`task ${message.id}: ${message.error}`));
              results[message.id] = message.result;
              options.onResult?.(message.id, message.result);
              send();
            });
            thread.on('error', (error) => reject(fail(error.message)));
            thread.on('exit', (code) => reject(fail(`exited with code ${code} before its tasks were done`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
  return results;
}

/**
 * The thread side of `runTasksOnThreads`: answers each task with `work(shared, task)`, or with the
 * error it threw (its stack), so the caller can name it.
 */
export function serveTasks<Shared, Task, Result>(
  work: (shared: Shared, task: Task) => Result | Promise<Result>,
): void {
  const shared = workerData as Shared;
  const answer = async ({ id, task }: TaskMessage<Task>): Promise<AnswerMessage<Result>> => {
    try {
      return { id, result: await work(shared, task) };
    } catch (error) {
      return { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  };
  parentPort!.on('message', (message: TaskMessage<Task>) => {
    void answer(message).then((reply) => parentPort!.postMessage(reply));
  });
}
