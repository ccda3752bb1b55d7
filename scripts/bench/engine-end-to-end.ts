/**
 * The end-to-end half of `npm run bench:engine`: the engine as the service runs it (a fresh
 * `tomtejakt run --kommune …` process over the kommune's files, into a fresh store) against
 * PostGIS loading the same files, indexing, querying and writing its result tables.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineRules } from '../../sync/src/config/engine-rules.js';
import { openStore } from '../../sync/src/store/database.js';
import { startKommuneinfoDouble } from '../../test/doubles/kommuneinfo/server.js';
import { processCpuSeconds, type PostgisCluster } from '../postgis/cluster.js';
import type { KommuneFiles } from './engine-files.js';
import { loadFiles } from './postgis-load.js';
import { indexSql, rulesSql, schemaSql } from './postgis-rules.js';

const CLI = path.resolve('sync/bin/tomtejakt.js');
/**
 * The comparison is the lot engine's (PostGIS fetches nothing either), so the run is kept offline:
 * the national constraint layers are switched off by a rule file, and Entur's stop service is a
 * closed local port, as is SSB's tettsted service, with no retries (refused at once: Sentralitet
 * from the representative point alone). Left on, they measure the
 * network, and without one the farmland sampling of 8,941 lots waits out its retries (minutes).
 */
const OFFLINE_RULES = { lotScore: { constraints: { nationalLayers: { enabled: false } } } };
const CLOSED_PORT_URL = 'http://127.0.0.1:9/graphql';
// The child's CPU time (all its threads), printed as its main thread exits: on a busy machine wall
// time is not the whole story. The preload runs in every worker thread too, and a thread's exit
// printed the process's CPU so far (the first line, which was read: parcels read, nothing computed).
const CPU_PRELOAD = `data:text/javascript,import{isMainThread}from'node:worker_threads';if(isMainThread)process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('BENCH_CPU_US='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

export interface EndToEnd {
  times: number[];
  /** CPU seconds of each run: the engine's process and threads; PostGIS's server processes, ogr2ogr and psql. */
  cpu: number[];
  /** `zone lokalId|matrikkelnummertekst` → lot area (m²), of the last run. */
  lots: Map<string, number>;
  lotsWithPlans: number;
  /** Where the time went in the last run (the engine's stage lines; PostGIS: load, index, query). */
  breakdown: string[];
  /** The 1-minute load average as each run ended: on a shared machine the wall times follow it. */
  loads: number[];
}

function cliRun(
  env: Record<string, string>,
  kommunenummer: string,
): Promise<{ ms: number; cpuS: number; log: string[] }> {
  return timedNode([CLI, 'run', '--kommune', kommunenummer, '--json'], env);
}

/** A fresh Node process, timed from spawn to exit, with its CPU time (all threads). */
function timedNode(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ ms: number; cpuS: number; log: string[] }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', CPU_PRELOAD, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else
        resolve({
          ms: performance.now() - started,
          cpuS: Number(/BENCH_CPU_US=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1e6,
          log: stderr.split('\n'),
        });
    });
  });
}

/** Each run a fresh process and a fresh store; the lots are read from the last run's store. */
export async function runEngineEndToEnd(
  files: KommuneFiles,
  kommunenummer: string,
  runs: number,
): Promise<EndToEnd> {
  const kommuneinfo = await startKommuneinfoDouble();
  const times: number[] = [];
  const loads: number[] = [];
  const cpu: number[] = [];
  let breakdown: string[] = [];
  let lots = new Map<string, number>();
  let lotsWithPlans = 0;
  try {
    for (let i = 0; i < runs; i += 1) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-e2e-'));
      try {
        const rulesFile = path.join(dataDir, 'offline-rules.json');
        writeFileSync(rulesFile, JSON.stringify(OFFLINE_RULES));
        const run = await cliRun(
          {
            DATA_DIR: dataDir,
            SOURCES_FILE: files.sourcesFile,
            KOMMUNEINFO_URL: kommuneinfo.url,
            RULES_FILE: rulesFile,
            ENTUR_JOURNEY_PLANNER_URL: CLOSED_PORT_URL,
            SSB_TETTSTED_WFS_URL: CLOSED_PORT_URL,
            // A refused connection is a transient error: without this, each waits out its retries.
            HTTP_MAX_RETRIES: '0',
          },
          kommunenummer,
        );
        times.push(run.ms);
        loads.push(loadavg()[0]!);
        cpu.push(run.cpuS);
        breakdown = run.log.filter((l) => /\(\d+(\.\d+)? s\)$/.test(l)).map((l) => l.trim());
        ({ lots, lotsWithPlans } = storedLots(path.join(dataDir, 'tomtejakt.sqlite')));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await kommuneinfo.close();
  }
  return { times, cpu, lots, lotsWithPlans, breakdown, loads };
}

const LOTS_PROCESS = path.resolve('scripts/bench/engine-lots-process.mjs');

/**
 * The engine's own part end to end, each run a fresh process: the files read, the lots found and
 * written as GeoJSON (engine-lots-process.mjs), without the nightly run's scoring and store.
 */
export async function runEngineLotsOnly(
  files: KommuneFiles,
  kommunenummer: string,
  runs: number,
): Promise<EndToEnd> {
  const result: EndToEnd = {
    times: [],
    cpu: [],
    lots: new Map(),
    lotsWithPlans: 0,
    breakdown: [],
    loads: [],
  };
  for (let i = 0; i < runs; i += 1) {
    const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-lots-'));
    try {
      const out = path.join(dir, 'lots.geojson');
      const run = await timedNode([
        LOTS_PROCESS,
        files.kommuneplan,
        files.reguleringsplan,
        files.parcels,
        kommunenummer,
        out,
      ]);
      result.times.push(run.ms);
      result.cpu.push(run.cpuS);
      result.loads.push(loadavg()[0]!);
      const written = JSON.parse(readFileSync(out, 'utf8')) as {
        features: Array<{
          properties: {
            zone: string;
            matrikkelnummertekst: string;
            arealM2: number;
            planarbeidPagar: string[];
          };
        }>;
      };
      const lots = written.features.map((f) => f.properties);
      result.lots = new Map(lots.map((l) => [`${l.zone}|${l.matrikkelnummertekst}`, l.arealM2]));
      result.lotsWithPlans = lots.filter((l) => l.planarbeidPagar.length).length;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

function storedLots(file: string): { lots: Map<string, number>; lotsWithPlans: number } {
  const db = openStore(file);
  try {
    const rows = db.prepare(`SELECT record FROM lots WHERE state = 'active'`).all() as Array<{
      record: string;
    }>;
    const records = rows.map(
      (r) =>
        JSON.parse(r.record) as {
          zone: { lokalId: string };
          matrikkelnummertekst: string;
          arealM2: number;
          planarbeidPagar: string[];
        },
    );
    return {
      lots: new Map(records.map((l) => [`${l.zone.lokalId}|${l.matrikkelnummertekst}`, l.arealM2])),
      lotsWithPlans: records.filter((l) => l.planarbeidPagar.length).length,
    };
  } finally {
    db.close();
  }
}

/** Each run from empty tables: load the files, index, query, write the result tables. */
export function runPostgisEndToEnd(
  cluster: PostgisCluster,
  files: KommuneFiles,
  rules: EngineRules,
  runs: number,
): EndToEnd {
  const workdir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-e2e-sql-'));
  chmodSync(workdir, 0o755); // psql runs as the postgres user
  const write = (name: string, sql: string) => {
    const file = path.join(workdir, name);
    writeFileSync(file, sql);
    return file;
  };
  const indexFile = write('index.sql', indexSql());
  const rulesFile = write('rules.sql', rulesSql(rules));
  const times: number[] = [];
  const loads: number[] = [];
  const cpu: number[] = [];
  let breakdown: string[] = [];
  // The server's processes and ours' children (ogr2ogr, psql): all the CPU the PostGIS side used.
  const cpuNow = () =>
    cluster.serverCpuSeconds() + processCpuSeconds('self', true) - processCpuSeconds('self', false);
  try {
    for (let i = 0; i < runs; i += 1) {
      cluster.psql(`DROP TABLE IF EXISTS opportunity, lots, lot_plans;${schemaSql()}`);
      const cpuBefore = cpuNow();
      const load = loadFiles(cluster, files);
      const index = cluster.timeFile(indexFile);
      const query = cluster.timeFile(rulesFile);
      times.push(load + index + query);
      loads.push(loadavg()[0]!);
      cpu.push(cpuNow() - cpuBefore);
      breakdown = [
        `load files ${s(load)}, index + analyze ${s(index)}, rule queries + result tables ${s(query)}`,
      ];
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  const lots = new Map<string, number>();
  for (const line of cluster.psql('SELECT lokalid, mnr, area FROM lots;', { csv: true }).trim().split('\n')) {
    if (!line) continue;
    const [lokalid, mnr, area] = line.split(',');
    lots.set(`${lokalid}|${mnr}`, Number(area));
  }
  const lotsWithPlans = Number(cluster.psql('SELECT count(*) FROM lot_plans;').trim());
  return { times, cpu, lots, lotsWithPlans, breakdown, loads };
}

const loadText = (x: number) => x.toFixed(1);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Two measurements of one side as one: the runs of both, the results and breakdown of the later. */
export function laterRuns(earlier: EndToEnd | null, later: EndToEnd): EndToEnd {
  if (!earlier) return later;
  return {
    ...later,
    times: [...earlier.times, ...later.times],
    cpu: [...earlier.cpu, ...later.cpu],
    loads: [...earlier.loads, ...later.loads],
  };
}

/** Times, ratio and results side by side. */
export function endToEndComparison(engine: EndToEnd, postgis: EndToEnd) {
  const ratio = median(engine.times) / median(postgis.times);
  const cpuRatio = median(engine.cpu) / median(postgis.cpu);
  const areaDiff = Math.abs(sum(engine.lots) - sum(postgis.lots)) / sum(postgis.lots);
  const onlyEngine = [...engine.lots.keys()].filter((k) => !postgis.lots.has(k)).length;
  const onlyPostgis = [...postgis.lots.keys()].filter((k) => !engine.lots.has(k)).length;
  const row = (label: string, a: string | number, b: string | number) =>
    `${label.padEnd(25)}${String(a).padEnd(14)}${b}`;
  const lines = [
    row('', 'engine', 'PostGIS'),
    row(`time (median of ${engine.times.length})`, s(median(engine.times)), s(median(postgis.times))),
    row('runs', `${engine.times.map(s).join(', ')}  `, postgis.times.map(s).join(', ')),
    row(
      'load average (1 min)',
      `${engine.loads.map(loadText).join(', ')}  `,
      postgis.loads.map(loadText).join(', '),
    ),
    row(`CPU (median of ${engine.cpu.length})`, s(median(engine.cpu) * 1000), s(median(postgis.cpu) * 1000)),
    row(
      'CPU per run',
      `${engine.cpu.map((c) => s(c * 1000)).join(', ')}  `,
      postgis.cpu.map((c) => s(c * 1000)).join(', '),
    ),
    row('lots', engine.lots.size, postgis.lots.size),
    row('lot area (m²)', sum(engine.lots).toFixed(0), sum(postgis.lots).toFixed(0)),
    row('lots with plans in prog.', engine.lotsWithPlans, postgis.lotsWithPlans),
    `engine, last run: ${engine.breakdown.join('; ')}`,
    `PostGIS, last run: ${postgis.breakdown.join('; ')}`,
    `end to end: lot area difference ${(areaDiff * 100).toFixed(3)} %; lots only in engine: ${onlyEngine}, only in PostGIS: ${onlyPostgis}`,
  ];
  return { ratio, cpuRatio, areaDiff, lines };
}
