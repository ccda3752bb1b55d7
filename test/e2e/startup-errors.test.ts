import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../sync/src/cli/main.js';
import { runCli } from './fixtures/child.js';
import { fixtureCommands } from './fixtures/fixture-pipeline.js';

/**
 * `tomtejakt start` with a bad HOST, a port in use, or a DATA_DIR / STORE_PATH it cannot use:
 * each ends (the process exits, no thread left behind) with exit 1 and a message naming the key
 * and what to do, never "Unexpected error".
 */
const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-startup-'));
let taken: Server;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
});
afterAll(() => {
  taken.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const child = runCli(['start'], { DATA_DIR: path.join(dir, 'data'), PORT: '0', FIXTURE_LOTS: '3', ...env });
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 100_000);
  const exit = await child.exit;
  clearTimeout(timer);
  return { code: exit.code, stderr: child.stderr.join('') };
}

/** A folder this user may not write to (root writes anywhere its own permissions allow). */
function unwritableFolder(): string {
  if (process.getuid?.() === 0) return '/proc/1';
  const folder = path.join(dir, 'read-only');
  mkdirSync(folder, { recursive: true });
  chmodSync(folder, 0o500);
  return folder;
}

/** The CLI in this process (the store checks end before anything is started). */
async function startInProcess(env: Record<string, string>) {
  const saved = { ...process.env };
  const err: string[] = [];
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => (err.push(String(chunk)), true));
  Object.assign(process.env, { DATA_DIR: path.join(dir, 'data'), PORT: '0', LOG_LEVEL: 'warn', ...env });
  try {
    const code = await main(['node', 'tomtejakt', 'start'], fixtureCommands({ count: 3 }));
    return { code, stderr: err.join('') };
  } finally {
    stderr.mockRestore();
    process.env = saved;
    process.exitCode = undefined;
  }
}

function expectNamedExit(outcome: { code: number | null; stderr: string }, env: object, message: RegExp) {
  // The tail of stderr in the message: a wrong exit code says nothing without it.
  expect(outcome.code, `${JSON.stringify(env)}\n${outcome.stderr.slice(-2000)}`).toBe(1);
  expect(outcome.stderr, JSON.stringify(env)).toMatch(message);
  expect(outcome.stderr, JSON.stringify(env)).not.toContain('Unexpected error');
}

describe('tomtejakt start: start-up errors name the key', () => {
  it('exits 1 naming HOST or PORT when it cannot listen, and the process ends', async () => {
    const port = (taken.address() as AddressInfo).port;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { HOST: 'no-such-host.invalid' },
        /Configuration HOST: "no-such-host\.invalid" is not a name or address/,
      ],
      [
        { HOST: '192.0.2.123' },
        /Configuration HOST: 192\.0\.2\.123 is not an address of this machine; use 127\.0\.0\.1/,
      ],
      [
        { PORT: String(port) },
        new RegExp(
          `Configuration PORT: port ${port} on 127\\.0\\.0\\.1 is in use by another process; stop that process or choose another PORT`,
        ),
      ],
    ];
    const outcomes = await Promise.all(cases.map(([env]) => start(env)));
    outcomes.forEach((outcome, i) => expectNamedExit(outcome, cases[i]![0], cases[i]![1]));
  }, 150_000);

  it('exits 1 naming DATA_DIR or STORE_PATH when the store cannot live there', async () => {
    const aFile = path.join(dir, 'a-file');
    writeFileSync(aFile, 'not a folder');
    const aFolder = path.join(dir, 'a-folder');
    mkdirSync(aFolder);
    const notSqlite = path.join(dir, 'notes.txt');
    writeFileSync(notSqlite, 'x'.repeat(4096));
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { STORE_PATH: aFolder },
        /Configuration STORE_PATH: .*a-folder is a folder; STORE_PATH names the SQLite file/,
      ],
      [
        { STORE_PATH: notSqlite },
        /Configuration STORE_PATH: .*notes\.txt cannot be opened as the store \(SQLITE_NOTADB/,
      ],
      [
        { DATA_DIR: aFile },
        /Configuration DATA_DIR: .*a-file is a file, not a folder; point DATA_DIR at a folder/,
      ],
      [
        { DATA_DIR: unwritableFolder() },
        /Configuration DATA_DIR: the folder .* is not writable by this user/,
      ],
    ];
    for (const [env, message] of cases) expectNamedExit(await startInProcess(env), env, message);
  }, 60_000);
});
