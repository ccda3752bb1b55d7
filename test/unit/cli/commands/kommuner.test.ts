import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../sync/src/cli/main.js';
import { runKommuneRefresh } from '../../../../sync/src/jobs/kommune-refresh.js';
import { openStore } from '../../../../sync/src/store/database.js';
import { createKommuneRankingStore } from '../../../../sync/src/store/kommune-ranking.js';
import { startSsbHarness } from '../../../doubles/ssb/harness.js';

let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-kommuner-'));
  const h = await startSsbHarness();
  const db = openStore(path.join(dir, 'store.sqlite'));
  await runKommuneRefresh({
    ssb: h.ssb,
    klass: h.klass,
    store: createKommuneRankingStore(db),
    rules: h.rules,
    refreshDays: 7,
    clock: h.clock,
  });
  db.close();
  await h.close();
  Object.assign(process.env, {
    STORE_PATH: path.join(dir, 'store.sqlite'),
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
  });
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    process.exitCode = undefined;
    const code = await main(['node', 'tomtejakt', ...args]);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

describe('tomtejakt kommuner', () => {
  it('prints the best n as a table and writes every factor to CSV', async () => {
    const csv = path.join(dir, 'ranking.csv');
    const { code, out } = await run('kommuner', '--top', '5', '--csv', csv);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Kommunerangering fra SSB, oppdatert 2026-03-10 \(357 kommuner\)$/);
    expect(lines[1]).toMatch(
      /Rang\s+Endring\s+Nr\s+Kommune\s+Fylke\s+Folketall\s+Score\s+Topp 50\s+Konfidens\s+Hvorfor/,
    );
    // The best 5 of the top 50, each with its population and why it is in.
    const rows = lines.slice(3, 8);
    expect(rows.every((l) => /\s\d[\d ]*\s+\d+\.\d\s+ja\s+\S+\s+topp 50 \(nr\. \d+\): /.test(l))).toBe(true);
    // … and below, the better-ranked kommuner left out, with why (here Kvitsøy, 579 inhabitants).
    const skipped = lines.slice(8).join('\n');
    if (skipped)
      expect(skipped).toMatch(
        /Rangert høyere, men ikke i topp 50[\s\S]*under minstegrensen på 10 000 innbyggere/,
      );
    const csvRows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(csvRows).toHaveLength(1 + 5);
    expect(csvRows[0]).toMatch(
      /^kommunenummer,kommune,fylke,rang,forrige_rang,score,topp,konfidens,manglende,folketall,under_minstegrense,hvorfor,befolkningsvekst_verdi,/,
    );
    expect(csvRows[0]!.split(',')).toHaveLength(12 + 9 * 3);
  });

  it('explains one kommune in Norwegian (--explain)', async () => {
    const { code, out } = await run('kommuner', '--explain', '1508');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Ålesund \(1508\) er nr\. \d+ av 357 med score \d+,\d av 100 – /);
    expect(lines).toContain('Folketall: 59 663.');
    expect(out).toMatch(
      /Befolkningsvekst: egne tall for dagens grenser 2021–2023 \(kommunen ble delt 2024\)\./,
    );
    expect(out).toMatch(/^Konfidens: /m);
    expect(out).toMatch(/Tallene er fra SSB, hentet 2026-03-10\./);
    expect((await run('kommuner', '--explain', '15')).code).toBe(1);
    expect((await run('kommuner', '--explain', '9998')).code).toBe(1);
  });

  it('has --help, and answers bad input with exit code 1', async () => {
    const help = await run('kommuner', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--top <n>/);
    expect(help.out).toMatch(/--refresh/);
    expect((await run('kommuner', '--top', '0')).code).toBe(1);
  });

  it('prints who entered and left the top 50, with the date (--changes)', async () => {
    const { code, out } = await run('kommuner', '--changes');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('Endringer i topp 50');
    expect(lines[1]).toMatch(/^Dato\s+Endring\s+Nr\s+Kommune\s+Rang\s+Rang før$/);
    // The first ranking: every top-50 kommune entered that day, best first.
    expect(lines.slice(3)).toHaveLength(50);
    expect(lines[3]).toMatch(/^2026-03-10\s+inn\s+\d{4}\s+.*\s1\s+–$/);
    expect(lines.slice(3).every((l) => /^2026-03-10\s+inn\s/.test(l))).toBe(true);
  });

  it('ranks from the bundled SSB snapshot when the store has none, and says how old the figures are', async () => {
    process.env.STORE_PATH = path.join(dir, 'empty.sqlite');
    try {
      const { code, out } = await run('kommuner', '--top', '3');
      expect(code).toBe(0);
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(
        /^Kommunerangering fra det innebygde SSB-øyeblikksbildet datert \d{4}-\d{2}-\d{2} \(357 kommuner; \d+ dager gammelt\)$/,
      );
      expect(lines[1]).toMatch(
        /^Nyeste år i tallene: Befolkningsvekst 2026 \(07459\), Framskrevet vekst 2050 \(14288\)/,
      );
      expect(lines[2]).toMatch(/^Mangler i øyeblikksbildet \(mangler for alle kommuner\): .*Boligbygging/);
      expect(lines[3]).toMatch(/tomtejakt kommuner --refresh/);
      const db = openStore(path.join(dir, 'empty.sqlite'));
      const store = createKommuneRankingStore(db);
      expect(store.latestRanking()!.refresh.source).toBe('snapshot');
      expect(store.lastSuccessful({ source: 'ssb' })).toBeNull();
      db.close();
    } finally {
      process.env.STORE_PATH = path.join(dir, 'store.sqlite');
    }
  });

  it('with --refresh and SSB out of reach on a fresh store: the snapshot ranking, exit 2', async () => {
    Object.assign(process.env, {
      STORE_PATH: path.join(dir, 'unreachable.sqlite'),
      SSB_API_URL: 'http://127.0.0.1:9/api/pxwebapi/v2',
      KLASS_API_URL: 'http://127.0.0.1:9/api/klass/v1',
      HTTP_MAX_RETRIES: '0',
      HTTP_TIMEOUT_MS: '2000',
    });
    try {
      const { code, out } = await run('kommuner', '--refresh', '--top', '1');
      expect(code).toBe(2);
      expect(out).toMatch(/^Kommunerangering fra det innebygde SSB-øyeblikksbildet/);
    } finally {
      process.env.STORE_PATH = path.join(dir, 'store.sqlite');
      for (const key of ['SSB_API_URL', 'KLASS_API_URL', 'HTTP_MAX_RETRIES', 'HTTP_TIMEOUT_MS'])
        delete process.env[key];
    }
  });
});
