/**
 * A throwaway PostgreSQL + PostGIS cluster for benchmarks and the PostGIS mirror's tests: Debian's
 * packages (installed with apt-get when missing: `npm run postgis:install`), a fresh data
 * directory, a free port, removed again on stop.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PostgisCluster {
  port: number;
  /** A connection URL for node-postgres (Unix socket in the cluster's directory, trust auth). */
  url: string;
  /** The same for GDAL's PostgreSQL driver (ogr2ogr's `PG:` data source). */
  gdal: string;
  /** Runs SQL through psql and returns stdout. */
  psql(sql: string, options?: { csv?: boolean }): string;
  /** Runs a SQL file (ON_ERROR_STOP) and returns wall-clock milliseconds. */
  timeFile(file: string): number;
  versions(): string;
  /** CPU seconds the server's processes have used so far (postmaster, its live and its exited children). */
  serverCpuSeconds(): number;
  stop(): void;
}

const TICKS = 100; // USER_HZ, the unit of /proc/<pid>/stat's times on Linux

/** utime + stime (+ cutime + cstime with `children`) of a process, in seconds; 0 when it is gone. */
export function processCpuSeconds(pid: number | 'self', children: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11..14]: utime, stime, cutime, cstime (stat(5) fields 14–17)
    const times = fields.slice(11, children ? 15 : 13).map(Number);
    return times.reduce((a, b) => a + b, 0) / TICKS;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (version && existsSync(path.join(root, version, 'bin', 'initdb')))
    return path.join(root, version, 'bin');
  throw new Error('PostgreSQL is not installed');
}

/** Whether PostgreSQL and the PostGIS extension are installed (nothing is installed by asking). */
export function postgisInstalled(): boolean {
  try {
    postgresBin();
    return readdirSync('/usr/share/postgresql').some((v) =>
      existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`),
    );
  } catch {
    return false;
  }
}

/** Installs Debian's postgresql and postgis (and gdal-bin for ogr2ogr, when `gdal`) when missing. */
export function ensurePostgisInstalled(options: { gdal?: boolean } = {}): void {
  const gdalMissing = () => options.gdal === true && spawnSync('ogr2ogr', ['--version']).status !== 0;
  if (postgisInstalled() && !gdalMissing()) return;
  const packages = ['postgresql', 'postgis', ...(options.gdal ? ['gdal-bin'] : [])];
  console.error(`Installing ${packages.join(', ')} with apt-get (Debian packages)…`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!postgisInstalled() || gdalMissing()) throw new Error('PostGIS installation failed');
}

/** PostgreSQL refuses to run as root: run its programs as the postgres user when we are root. */
function asPostgres(command: string, args: string[]): string[] {
  return process.getuid?.() === 0
    ? ['runuser', '-u', 'postgres', '--', command, ...args]
    : [command, ...args];
}

function run(command: string, args: string[], input?: string): string {
  const [cmd, ...rest] = asPostgres(command, args);
  const result = spawnSync(cmd!, rest, { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

export function startPostgis(): PostgisCluster {
  ensurePostgisInstalled();
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = 54_000 + Math.floor(Math.random() * 1000);
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  // -l: the server must not inherit our stdout pipe, or waiting for pg_ctl never ends.
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c shared_buffers=512MB -c work_mem=256MB -c fsync=off -c synchronous_commit=off`,
    '-w',
    'start',
  ]);
  const psqlArgs = (extra: string[]) => [
    '-h',
    dir,
    '-p',
    String(port),
    '-U',
    'postgres',
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    ...extra,
  ];
  const cluster: PostgisCluster = {
    port,
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    gdal: `PG:host=${dir} port=${port} user=postgres dbname=postgres`,
    psql: (sql, options = {}) =>
      run(
        path.join(bin, 'psql'),
        psqlArgs(options.csv ? ['--csv', '-t', '-f', '-'] : ['-A', '-t', '-f', '-']),
        sql,
      ),
    timeFile: (file) => {
      chmodSync(file, 0o644);
      const started = performance.now();
      run(path.join(bin, 'psql'), psqlArgs(['-f', file]));
      return performance.now() - started;
    },
    versions: () =>
      cluster
        .psql(
          "SELECT 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version();",
        )
        .trim(),
    serverCpuSeconds: () => {
      const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const live = childrenOf(pid).reduce((sum, child) => sum + processCpuSeconds(child, false), 0);
      return processCpuSeconds(pid, true) + live;
    },
    stop: () => {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  cluster.psql('CREATE EXTENSION postgis;');
  return cluster;
}
