import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a module beside the caller: the compiled .js in dist, the .ts source
 * (through tsx) in development and tests. `baseName` is the module's name without extension.
 */
export function startModuleWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${baseName}.js`, callerUrl), { workerData });
  const source = new URL(`./${baseName}.ts`, callerUrl).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
