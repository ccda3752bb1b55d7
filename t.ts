import { generateKommune, LARGE_OPTIONS } from './scripts/sample/kommune-generator.js';
import { findLots } from './sync/src/engine/find-lots.js';
import { defaultRules } from './sync/src/config/rules.js';
import { getGeos } from './sync/src/geo/geos.js';
const k = generateKommune(LARGE_OPTIONS);
const data = { kommune: { kommunenummer: '3207', navn: 'x', fylkesnummer: '32', fylkesnavn: null }, kommuneplan: k.kommuneplan, reguleringsplan: k.reguleringsplan, parcels: k.parcels, coverage: { kommuneplan: 'covered', reguleringsplan: 'covered', parcels: 'covered' } as const, boundary: null, centre: null, sources: { kommuneplan: 'g', reguleringsplan: 'g', parcels: 'g' } };
const geos = await getGeos();
const timings: Record<string, number> = {}; const counts: Record<string, number> = {};
for (const name of ['preparedIntersects','preparedCovers','intersection','unaryUnion','toAreaGeometry','clone','prepare','area','fromGeometry','isValid','bounds','buffer','difference','polygonParts','intersects']) {
  const orig = (geos as any)[name].bind(geos);
  (geos as any)[name] = (...a: any[]) => { const t = performance.now(); try { return orig(...a); } finally { timings[name] = (timings[name] ?? 0) + performance.now() - t; counts[name] = (counts[name] ?? 0) + 1; } };
}
const t = performance.now();
const r = await findLots(data, defaultRules().engine, { workers: 1 });
console.log('total', (performance.now() - t).toFixed(0), JSON.stringify(r.summary.ms));
console.log(Object.entries(timings).sort((a,b)=>b[1]-a[1]).map(([k,v])=>`${k} ${v.toFixed(0)}ms x${counts[k]}`).join('\n'));
