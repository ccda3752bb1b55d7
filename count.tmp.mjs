import { Instrumenter } from '@stryker-mutator/instrumenter';
import { readFileSync } from 'node:fs';
import pkg from 'glob'; const globSync = pkg.globSync ?? pkg.sync;
const logger = { isDebugEnabled: () => false, isTraceEnabled: () => false, debug() {}, info() {}, warn() {}, error() {}, trace() {}, fatal() {}, isInfoEnabled: () => false, isWarnEnabled: () => true, isErrorEnabled: () => true, isFatalEnabled: () => true };
const globs = process.argv.slice(2);
const files = [...new Set(globs.flatMap((g) => globSync(g)))].filter((f) => !/worker-pool|zone-worker|format-summary/.test(f));
const inst = new Instrumenter(logger);
const res = await inst.instrument(files.map((name) => ({ name, content: readFileSync(name, 'utf8'), mutate: true })), { plugins: null, excludedMutations: [], ignorers: [], noHeader: true });
const byFile = {}, byMut = {};
for (const m of res.mutants) {
  if (m.status === 'Ignored') continue;
  byFile[m.fileName] = (byFile[m.fileName] ?? 0) + 1;
  byMut[m.mutatorName] = (byMut[m.mutatorName] ?? 0) + 1;
}
console.log(res.mutants.length, Object.values(byFile).reduce((a,b)=>a+b,0));
console.log(Object.entries(byMut).sort((a,b)=>b[1]-a[1]));
console.log(Object.entries(byFile).sort((a,b)=>b[1]-a[1]).map(([f,n])=>`${n} ${f}`).join('\n'));
