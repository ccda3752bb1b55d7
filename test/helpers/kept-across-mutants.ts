import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the engine computes from the sample, kept on StrykerJS's mutation thread from one mutant's
 * run to the next while the mutant is outside the floors the engine is built from.
 *
 * Why it is safe: StrykerJS switches a mutant on at run time, in the instrumented code, so against
 * a mutant in scoring/ or crm/ the engine's code runs unchanged and its result on the same frozen
 * input is the same as against the previous one. The engine imports only config/, domain/, geo/
 * and util/ (the architecture test holds the floors), so a mutant in any other folder cannot reach
 * it. Against a mutant of those floors, and whenever no mutant is named (`npm test`, StrykerJS's
 * first run, where each test's coverage is recorded), the value is computed afresh as usual.
 *
 * Why: the golden lots, the reviewed explanations and the score-stream tests ran the engine over
 * the sample for each of the ~1,400 lot-score mutants they cover (0.2–0.5 s a run).
 */
const ENGINE_FLOORS = ['engine', 'config', 'domain', 'geo', 'util'];

interface StrykerGlobal {
  activeMutant?: string;
}
interface Kept {
  engineMutants?: ReadonlySet<string>;
  values: Map<string, Promise<unknown>>;
}

const thread = globalThis as { __tomtejaktKept__?: Kept };
const kept: Kept = (thread.__tomtejaktKept__ ??= { values: new Map() });

/** `compute()` once per thread for every mutant outside the engine's floors; afresh otherwise. */
export function keptAcrossMutants<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const active = (globalThis as { __stryker__?: StrykerGlobal }).__stryker__?.activeMutant;
  if (active === undefined || engineMutants().has(active)) return compute();
  let value = kept.values.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    kept.values.set(key, value);
    // A failed computation is not kept: the next mutant's run computes it again.
    value.catch(() => kept.values.delete(key));
  }
  return value;
}

/** The ids of the mutants StrykerJS placed in the engine's floors of this (instrumented) sandbox. */
function engineMutants(): ReadonlySet<string> {
  const root = path.resolve(import.meta.dirname, '../../sync/src');
  return (kept.engineMutants ??= new Set(
    ENGINE_FLOORS.flatMap((floor) => mutantIdsIn(path.join(root, floor))),
  ));
}

/** The mutant ids in the instrumented TypeScript files under `dir` (none in an uninstrumented tree). */
export function mutantIdsIn(dir: string): string[] {
  const ids: string[] = [];
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const match of source.matchAll(/stryMutAct_\w+\("(\d+)"\)/g)) ids.push(match[1]!);
  }
  return ids;
}
