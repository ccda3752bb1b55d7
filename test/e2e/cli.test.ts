import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../sync/src/cli/main.js';
import { startAirtableDouble, type AirtableDouble } from '../doubles/airtable/server.js';
import { runCli } from './fixtures/child.js';
import { fixtureCommands, type FixtureRun } from './fixtures/fixture-pipeline.js';

let dir: string;
let double: AirtableDouble | undefined;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-cli-'));
  for (const key of Object.keys(process.env))
    if (/^(AIRTABLE_|KOMMUNER|STORE_PATH|DATA_DIR)/.test(key)) delete process.env[key];
  process.env.DATA_DIR = dir;
  process.env.LOG_LEVEL = 'warn';
  // Every lot goes to Airtable: these tests are about the CLI and the sync, not the Airtable policy.
  process.env.RULES_FILE = path.join(dir, 'rules.json');
  writeFileSync(process.env.RULES_FILE, JSON.stringify({ airtable: { minTier: 'D' } }));
});
afterEach(async () => {
  process.env = { ...saved };
  await double?.close();
  double = undefined;
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

/** Runs the CLI in this process and returns its exit code and what it printed on stdout. */
async function cli(args: string[], run: FixtureRun = { count: 30 }) {
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  process.exitCode = undefined;
  const code = await main(['node', 'tomtejakt', ...args], fixtureCommands(run));
  process.exitCode = undefined;
  vi.restoreAllMocks();
  return { code, out: out.join('') };
}

async function withAirtable() {
  double = await startAirtableDouble({
    rateLimit: { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000 },
  });
  Object.assign(process.env, {
    AIRTABLE_TOKEN: double.token,
    AIRTABLE_BASE_ID: double.baseId,
    AIRTABLE_API_URL: double.url,
  });
  return double;
}

describe('tomtejakt CLI', () => {
  it('has --help for start, run and setup-base', async () => {
    for (const command of ['start', 'run', 'setup-base']) {
      const { code, out } = await cli([command, '--help']);
      expect(code).toBe(0);
      expect(out).toContain(`Usage: tomtejakt ${command}`);
    }
  });

  it('setup-base, run, run again: the second run writes nothing; a dry run prints the plan', async () => {
    await withAirtable();
    const setup = await cli(['setup-base']);
    expect(setup.code).toBe(0);
    expect(setup.out).toContain('Tomter: created table with 50 fields');
    expect(setup.out).toContain('Eiere.Tomter: created link to Tomter (counterpart Tomter.Eiere)');
    expect((await cli(['setup-base'])).out).toMatch(
      /0 change\(s\) made, \d+ field\(s\) already right, 0 difference/,
    );

    const first = await cli(['run', '--kommune', '3218']);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Run 1: ok/);
    expect(first.out).toMatch(/3218\s+Ås\s+ok\s+30\s+30/);
    expect(double!.records('Tomter')).toHaveLength(30);

    double!.clearRequests();
    const second = await cli(['run']);
    expect(second.out).toMatch(/Airtable: 0 requests \(0 writes, 0 rate-limited\)/);
    // Before the run it reads the team's Prioritet pins (one list of Kommuner); the run itself sends nothing.
    expect(double!.requests.map((r) => [r.kind, decodeURIComponent(r.path).split('/').at(-1)])).toEqual([
      ['list', 'Kommuner'],
    ]);
    expect(second.out).toMatch(/3218\s+Ås\s+ok\s.* the sample kommune$/m);

    const dry = await cli(['run', '--dry-run'], { count: 32, variant: 1, drop: [0] });
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Dry run (nothing written)');
    expect(dry.out).toMatch(/3218 would create \(2\)/);
    expect(dry.out).toMatch(/3218 would update \(29\)/);
    expect(dry.out).toMatch(/3218 would mark as gone \(Utgått\) \(1\)/);
    expect(double!.writeRequests()).toHaveLength(0);
    expect(double!.records('Tomter')).toHaveLength(30);
    expect(double!.requests.filter((r) => r.status === 429)).toHaveLength(0);
    // setup-base and the first run write near Airtable's 5 requests/s: on a loaded machine the
    // double can see a burst, answer 429, and the CLI then rightly waits Airtable's 30 s pause.
  }, 120_000);

  it('runs on the store alone without Airtable settings, and says so', async () => {
    const errors: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    process.env.LOG_LEVEL = 'info';
    const { code, out } = await cli(['run', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'ok', airtable: false, totals: { lotsNew: 30 } });
    expect(errors.join('')).toMatch(/Airtable is not configured .* store only/);
  });

  it('rejects a bad kommune list and a half-configured Airtable with exit 1', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await cli(['run', '--kommune', '32x8'])).code).toBe(1);
    process.env.AIRTABLE_TOKEN = 'patSOMETHING';
    expect((await cli(['run'])).code).toBe(1);
    expect((await cli(['setup-base'])).code).toBe(1);
  });

  it('start serves the map and health, and SIGTERM lets it finish and exit 0', async () => {
    const child = runCli(['start'], {
      DATA_DIR: dir,
      PORT: '0',
      FIXTURE_LOTS: '12',
    });
    await expect
      .poll(() => child.stdout.join(''), { timeout: 20_000, interval: 100 })
      .toMatch(/Map: (http:\/\/\S+)\//);
    const url = /Map: (http:\/\/\S+?)\//.exec(child.stdout.join(''))![1]!;
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${url}/health`)).json()) as { lots: { active: number } }).lots.active,
        {
          timeout: 20_000,
        },
      )
      .toBe(12);
    child.process.kill('SIGTERM');
    const exit = await child.exit;
    expect(exit.code).toBe(0);
    expect(child.stderr.join('')).toMatch(/SIGTERM received[\s\S]*Stopped/);
  }, 40_000);
});
