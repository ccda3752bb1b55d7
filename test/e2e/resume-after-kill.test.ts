import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../sync/src/store/database.js';
import { kommuneResultsOf } from '../../sync/src/store/run-kommuner.js';
import { runCli, type Child } from './fixtures/child.js';

const KOMMUNER = ['3218', '3207', '3212', '3216', '3220', '3222'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-resume-'));
  dirs.push(dir);
  return dir;
}

const env = (dir: string) => ({
  DATA_DIR: dir,
  PORT: '0',
  KOMMUNER: KOMMUNER.join(','),
  FIXTURE_LOTS: '30',
  FIXTURE_KOMMUNER: KOMMUNER.filter((k) => k !== '3218').join(','),
  FIXTURE_FIND_DELAY_MS: '400',
  KOMMUNEINFO_URL: 'http://127.0.0.1:9',
});

/** Resolves with the first log line matching `pattern` (the child logs to stderr). */
function lineOf(child: Child, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no line ${pattern} in:\n${child.stderr.join('')}`)),
      timeoutMs,
    );
    const check = () => {
      const line = child.stderr
        .join('')
        .split('\n')
        .find((l) => pattern.test(l));
      if (line === undefined) return;
      clearTimeout(timer);
      child.process.stderr!.off('data', check);
      resolve(line);
    };
    child.process.stderr!.on('data', check);
    check();
  });
}

function lotsIn(dir: string) {
  const db = openStore(path.join(dir, 'tomtejakt.sqlite'));
  try {
    return db.prepare('SELECT tomt_id, kommunenummer, state, fingerprint FROM lots ORDER BY tomt_id').all();
  } finally {
    db.close();
  }
}

describe('a service killed half-way through its first-start run', () => {
  it('resumes at the next start without redoing finished kommuner, and ends with the lots of an uninterrupted run', async () => {
    const dir = dataDir();
    const first = runCli(['start'], env(dir));
    await lineOf(first, /Kommune 3207 done \(2\/6, ETA/);
    first.process.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');

    const restart = runCli(['start'], env(dir));
    const url = (await lineOf(restart, /Service started/)).match(/health=(http:\/\/\S+)/)![1]!;
    await lineOf(restart, /Run 1 stopped before its end: resuming it at kommune 3212 \(2 of 6 done\)/);
    const during = (await (await fetch(url)).json()) as {
      status: string;
      run: { done: number; total: number };
    };
    expect(during.run).toMatchObject({ total: 6 });
    await lineOf(restart, /Kommune 3222 done \(6\/6, ETA 0 s\)/);
    await lineOf(restart, /Run 2: ok/);
    const after = (await (await fetch(url)).json()) as {
      status: string;
      run: unknown;
      lastRun: { status: string };
    };
    expect(after).toMatchObject({ status: 'ok', run: null, lastRun: { status: 'ok' } });
    restart.process.kill('SIGTERM');
    expect((await restart.exit).code).toBe(0);

    const db = openStore(path.join(dir, 'tomtejakt.sqlite'));
    const runs = db.prepare('SELECT id, status, trigger, resumes FROM runs ORDER BY id').all();
    expect(runs).toEqual([
      { id: 1, status: 'interrupted', trigger: 'first-start', resumes: null },
      { id: 2, status: 'ok', trigger: 'resume', resumes: 1 },
    ]);
    expect(kommuneResultsOf(db, 1).map((k) => [k.kommunenummer, k.outcome])).toEqual([
      ['3218', 'ok'],
      ['3207', 'ok'],
    ]);
    // The resumed run did only the kommuner left: none was redone.
    expect(kommuneResultsOf(db, 2).map((k) => k.kommunenummer)).toEqual(KOMMUNER.slice(2));
    db.close();

    const reference = dataDir();
    const uninterrupted = runCli(['run', '--kommune', KOMMUNER.join(',')], env(reference));
    expect((await uninterrupted.exit).code, uninterrupted.stderr.join('')).toBe(0);
    const lots = lotsIn(dir);
    expect(lots).toHaveLength(KOMMUNER.length * 30);
    expect(lots).toEqual(lotsIn(reference));
  }, 120_000);
});
