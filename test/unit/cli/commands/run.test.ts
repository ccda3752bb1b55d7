import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRunCommand } from '../../../../sync/src/cli/commands/run.js';
import { main } from '../../../../sync/src/cli/main.js';
import { runKommuneRefresh } from '../../../../sync/src/jobs/kommune-refresh.js';
import type { RunSummary } from '../../../../sync/src/jobs/nightly.js';
import { openStore } from '../../../../sync/src/store/database.js';
import { createKommuneRankingStore, type StoredKommune } from '../../../../sync/src/store/kommune-ranking.js';
import { startSsbHarness } from '../../../doubles/ssb/harness.js';
import { aasLots, fixtureStages } from '../../../fixtures/crm/lots.js';

let dir: string;
let top: StoredKommune[];
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-run-'));
  const h = await startSsbHarness();
  const db = openStore(path.join(dir, 'store.sqlite'));
  const store = createKommuneRankingStore(db);
  await runKommuneRefresh({
    ssb: h.ssb,
    klass: h.klass,
    store,
    rules: h.rules,
    refreshDays: 7,
    clock: h.clock,
  });
  top = store.latestRanking()!.kommuner.filter((k) => k.top);
  db.close();
  await h.close();
});
afterEach(() => {
  process.env = { ...saved };
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** `tomtejakt run …` with fixture stages (Ås lots), as production would run with sources configured or not. */
async function run(args: string[], options: { sampleKommune: string | null; env?: Record<string, string> }) {
  for (const key of Object.keys(process.env))
    if (/^(AIRTABLE_|KOMMUNER|STORE_PATH|DATA_DIR|SOURCES_FILE|NAP_)/.test(key)) delete process.env[key];
  Object.assign(process.env, {
    STORE_PATH: path.join(dir, 'store.sqlite'),
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
  });
  Object.assign(process.env, options.env);
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const command = createRunCommand(async () => ({
    stages: fixtureStages((k) => (k === '3218' ? aasLots({ count: 4 }) : [])),
    sampleKommune: options.sampleKommune,
  }));
  try {
    process.exitCode = undefined;
    const code = await main(['node', 'tomtejakt', 'run', '--json', ...args], [command]);
    return { code, summary: JSON.parse(out) as RunSummary };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

const numbers = (summary: RunSummary) => summary.kommuner.map((k) => k.kommunenummer);
const topNumbers = () => top.map((k) => k.kommune.kommunenummer);

describe('tomtejakt run with a kommune ranking in the store', () => {
  it('covers the top 50 when KOMMUNER is not set, each with its rank as the reason', async () => {
    const { code, summary } = await run([], { sampleKommune: null });
    expect(code).toBe(0);
    expect(numbers(summary)).toEqual(topNumbers());
    expect(summary.selection!.kommuner.map((k) => k.reasons)).toEqual(
      top.map((k) => [`top 50 (rank ${k.rank})`]),
    );
  });

  it('adds KOMMUNER to the top 50', async () => {
    const outside = '3212'; // Nesodden, far from the top 50
    expect(topNumbers()).not.toContain(outside);
    const { summary } = await run([], {
      sampleKommune: null,
      env: { KOMMUNER: `${outside},${topNumbers()[0]}` },
    });
    expect(numbers(summary)).toEqual([outside, ...topNumbers()]);
    expect(summary.selection!.kommuner[0]!.reasons).toEqual(['KOMMUNER']);
    expect(summary.selection!.kommuner[1]!.reasons).toEqual([`top 50 (rank ${top[0]!.rank})`, 'KOMMUNER']);
  });

  it('runs exactly --kommune', async () => {
    const { summary } = await run(['--kommune', '3218,4601'], {
      sampleKommune: null,
      env: { KOMMUNER: '3207' },
    });
    expect(numbers(summary)).toEqual(['3218', '4601']);
    expect(summary.selection!.kommuner.map((k) => k.reasons)).toEqual([['--kommune'], ['--kommune']]);
  });

  it('with no sources configured still runs the sample kommune alone, and says why the top 50 is not run', async () => {
    const { code, summary } = await run([], { sampleKommune: '3218' });
    expect(code).toBe(0);
    expect(numbers(summary)).toEqual(['3218']);
    expect(summary.selection!.kommuner[0]!.reasons).toContain('the sample kommune');
    expect(summary.selection!.notes[0]).toMatch(/top 50 is not run/);
    expect(summary.totals.lotsFound).toBe(4);
  });
});
