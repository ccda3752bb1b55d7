/**
 * npm run bench:engine — the lot engine against PostGIS on the same generated large kommune
 * (≥ 50,000 parcels, ≥ 2,000 candidate zones, ≥ 5,000 plans), in one run, two ways:
 *
 * - End to end (the target): from the kommune's files to results written. Engine: `tomtejakt run
 *   --kommune …` as a fresh process (start-up, reading the files, overlay on worker threads,
 *   scoring, writing the store). PostGIS: loading the same files (ogr2ogr, scripts/bench/postgis-load.ts),
 *   indexing, the rule queries and writing their result tables.
 * - Lots only, end to end: the engine's part of that run as a fresh process (engine-lots-process.mjs:
 *   the files read as a files source reads them, the lots found and written as GeoJSON), against
 *   the same PostGIS runs: what PostGIS's side does, without the nightly run's scoring, records,
 *   store and last-good copies. The three take turns run by run.
 * - Query only: the engine's findLots on data in memory against the rule queries on loaded,
 *   indexed tables (the comparison this bench made before end to end was added).
 *
 * PostGIS is Debian's postgresql + postgis (+ gdal-bin for ogr2ogr), installed and started by
 * this script (scripts/postgis/cluster.ts). Prints times, both ratios, lots and areas side by side.
 *
 * Options: --runs N (default 3, the median is compared), --workers N (engine threads in the query-only
 *          part; default: cores), --small (the sample kommune, for a quick check).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  endToEndComparison,
  laterRuns,
  runEngineEndToEnd,
  runEngineLotsOnly,
  runPostgisEndToEnd,
  type EndToEnd,
} from './engine-end-to-end.js';
import { kommuneFiles } from './engine-files.js';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRules } from '../../sync/src/config/rules.js';
import type * as FindLotsModule from '../../sync/src/engine/find-lots.js';
import type { EngineResult } from '../../sync/src/engine/find-lots.js';
import { kommuneDataOf } from '../sample/kommune-data.js';
import { generateKommune, LARGE_OPTIONS, SAMPLE_OPTIONS } from '../sample/kommune-generator.js';
import { ensurePostgisInstalled, startPostgis } from '../postgis/cluster.js';
import { copyData, indexSql, rulesSql, schemaSql } from './postgis-rules.js';

// The compiled engine, as production runs it (worker threads load compiled JavaScript).
const { findLots } = (await import(
  new URL('../../sync/dist/engine/find-lots.js', import.meta.url).href
)) as typeof FindLotsModule;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    workers: { type: 'string' },
    small: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
const rules = defaultRules().engine;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const options = values.small ? SAMPLE_OPTIONS : LARGE_OPTIONS;
const generated = generateKommune(options);
const zonesTotal = generated.kommuneplan.filter((f) => f.objekttypenavn.startsWith('KpAreal')).length;
const plansTotal = generated.reguleringsplan.filter((f) => f.objekttypenavn === 'RpOmråde').length;
console.log(
  `Data: generated kommune ${options.kommunenummer} (seed ${options.seed}): ${generated.parcels.length} parcels, ` +
    `${zonesTotal} kommuneplan zones, ${plansTotal} reguleringsplaner (RpOmråde), ${generated.kommuneplan.length + generated.reguleringsplan.length} plan features`,
);
const data = kommuneDataOf(generated);
const files = kommuneFiles(generated, 'out/bench-engine');
console.log(`Files: ${files.dir}`);
ensurePostgisInstalled({ gdal: true });

// ------------------------------------------------------------------ engine
const workers = values.workers ? Number(values.workers) : os.availableParallelism();
const engineTimes: number[] = [];
let engine: EngineResult | undefined;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  engine = await findLots(data, rules, { workers });
  engineTimes.push(performance.now() - started);
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `Engine (GEOS ${'3.13'} WebAssembly, ${engine!.summary.workers} worker thread(s)): ${engineTimes.map(fmt).join(', ')}`,
);

// ------------------------------------------------------------------ PostGIS
const cluster = startPostgis();
const workdir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-'));
chmodSync(workdir, 0o755); // psql runs as the postgres user
try {
  console.log(`Baseline: ${cluster.versions()} (same rules in SQL)`);
  cluster.psql(schemaSql());
  const copy = copyData(generated.kommuneplan, generated.reguleringsplan, generated.parcels);
  for (const [table, rows] of Object.entries(copy)) {
    cluster.psql(`COPY ${table} FROM STDIN;\n${rows.join('\n')}\n\\.\n`);
  }
  cluster.psql(indexSql());
  const sqlFile = path.join(workdir, 'rules.sql');
  writeFileSync(sqlFile, rulesSql(rules));
  const postgisTimes: number[] = [];
  for (let i = 0; i < runs; i++) postgisTimes.push(cluster.timeFile(sqlFile));
  console.log(`PostGIS: ${postgisTimes.map(fmt).join(', ')}`);

  // ---------------------------------------------------------------- compare
  const pgLots = new Map<string, number>();
  for (const line of cluster.psql('SELECT lokalid, mnr, area FROM lots;', { csv: true }).trim().split('\n')) {
    if (!line) continue;
    const [lokalid, mnr, area] = line.split(',');
    pgLots.set(`${lokalid}|${mnr}`, Number(area));
  }
  const pgPlanFlags = Number(cluster.psql('SELECT count(*) FROM lot_plans;').trim());
  const ourLots = new Map(
    engine!.lots.map((l) => [`${l.zone.lokalId}|${l.matrikkelnummertekst}`, l.arealM2]),
  );
  const ourArea = engine!.summary.lotAreaM2;
  const pgArea = [...pgLots.values()].reduce((a, b) => a + b, 0);
  const onlyOurs = [...ourLots.keys()].filter((k) => !pgLots.has(k));
  const onlyTheirs = [...pgLots.keys()].filter((k) => !ourLots.has(k));
  const areaDiff = Math.abs(ourArea - pgArea) / pgArea;
  const worstLot = [...ourLots].reduce(
    (worst, [key, area]) => {
      const theirs = pgLots.get(key);
      const diff = theirs === undefined ? 0 : Math.abs(area - theirs);
      return diff > worst.diff ? { key, diff } : worst;
    },
    { key: '', diff: 0 },
  );
  const ours = median(engineTimes);
  const theirs = median(postgisTimes);
  const ratio = ours / theirs;

  // -------------------------------------------------------------- end to end
  console.log('');
  console.log('End to end, from the files to results written:');
  // The two sides take turns, run by run: on a shared machine the load drifts over minutes, and
  // all of one side's runs before the other's measured the drift as much as the engines.
  let engineE2e: EndToEnd | null = null;
  let lotsE2e: EndToEnd | null = null;
  let postgisE2e: EndToEnd | null = null;
  for (let i = 0; i < runs; i += 1) {
    engineE2e = laterRuns(engineE2e, await runEngineEndToEnd(files, options.kommunenummer, 1));
    lotsE2e = laterRuns(lotsE2e, await runEngineLotsOnly(files, options.kommunenummer, 1));
    postgisE2e = laterRuns(postgisE2e, runPostgisEndToEnd(cluster, files, rules, 1));
  }
  const e2e = endToEndComparison(engineE2e!, postgisE2e!);
  for (const line of e2e.lines) console.log(line);
  console.log('');
  console.log(
    "Lots only, end to end (the engine's part: files read, lots found and written as GeoJSON; no scoring, store or last-good copies):",
  );
  const lotsOnly = endToEndComparison(lotsE2e!, postgisE2e!);
  for (const line of lotsOnly.lines) console.log(line);

  console.log('');
  console.log('Query only, from data in memory / loaded and indexed tables:');
  console.log('                         engine        PostGIS');
  console.log(`time (median of ${runs})       ${fmt(ours).padEnd(13)} ${fmt(theirs)}`);
  console.log(`lots                     ${String(ourLots.size).padEnd(13)} ${pgLots.size}`);
  console.log(`lot area (m²)            ${ourArea.toFixed(0).padEnd(13)} ${pgArea.toFixed(0)}`);
  console.log(
    `lots with plans in prog. ${String(engine!.lots.filter((l) => l.planarbeidPagar.length).length).padEnd(13)} ${pgPlanFlags}`,
  );
  console.log('');
  console.log(`ratio engine/PostGIS, query only: ${ratio.toFixed(2)}×`);
  console.log(`ratio engine/PostGIS, end to end: ${e2e.ratio.toFixed(2)}× (target ≤ 1.00×)`);
  console.log(
    `ratio engine/PostGIS, lots only end to end: ${lotsOnly.ratio.toFixed(2)}× (${lotsOnly.cpuRatio.toFixed(2)}× in CPU time; the engine's part of the nightly run)`,
  );
  console.log(
    `ratio engine/PostGIS, end to end in CPU time: ${e2e.cpuRatio.toFixed(2)}× (what a busy machine's wall times hide; the engine's threads may use both cores)`,
  );
  console.log(`total lot area difference: ${(areaDiff * 100).toFixed(3)} % (target ≤ 0.5 %)`);
  console.log(
    `lots only in engine: ${onlyOurs.length}, only in PostGIS: ${onlyTheirs.length}; largest single-lot area difference ${worstLot.diff.toFixed(2)} m²`,
  );
  console.log(`engine peak RSS: ${peakRssMb.toFixed(0)} MB (target ≤ 2048 MB; includes the generated data)`);
  console.log(
    `engine stages (summed over threads, last run): ${JSON.stringify(Object.fromEntries(Object.entries(engine!.summary.ms).map(([k, v]) => [k, Math.round(v)])))}`,
  );
  const ok = e2e.ratio <= 1 && e2e.areaDiff <= 0.005 && areaDiff <= 0.005 && peakRssMb <= 2048;
  console.log(ok ? 'RESULT: all targets met' : 'RESULT: a target was missed');
  process.exitCode = ok ? 0 : 1;
} finally {
  cluster.stop();
  rmSync(workdir, { recursive: true, force: true });
}
