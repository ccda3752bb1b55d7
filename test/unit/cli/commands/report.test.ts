import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../../sync/src/store/database.js';
import { storedReport } from '../../../../sync/src/store/weekly-reports.js';
import { chromiumPath } from '../../../helpers/chromium.js';
import { WEEK, writeReportScenario } from '../../../helpers/report-store.js';
import { runCli } from '../../../helpers/run-cli.js';

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-cli-report-'));
  const storePath = path.join(dir, 'store.sqlite');
  const db = openStore(storePath);
  writeReportScenario(db);
  db.close();
  env = { DATA_DIR: dir, STORE_PATH: storePath, LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tomtejakt report', () => {
  it('explains itself', async () => {
    const { code, stdout } = await runCli(['report', '--help'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('--week <week>');
    expect(stdout).toContain('--pdf <file>');
  });

  it('refuses a week that is not an ISO week (exit 1), naming the option', async () => {
    const { code, stderr } = await runCli(['report', '--week', '2026-49'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('--week');
  });

  it('refuses --pdf without Chromium (exit 1), naming CHROMIUM_PATH', async () => {
    const out = path.join(dir, 'none.pdf');
    const { code, stderr } = await runCli(['report', '--week', WEEK, '--pdf', out], {
      ...env,
      CHROMIUM_PATH: '/nonexistent/chromium',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('CHROMIUM_PATH');
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(!chromiumPath())('makes the week’s report, keeps it and writes the PDF (exit 0)', async () => {
    const out = path.join(dir, 'uke49.pdf');
    const { code, stdout } = await runCli(['report', '--week', WEEK, '--pdf', out], env);
    expect(code).toBe(0);
    expect(stdout).toContain(`Weekly report ${WEEK}:`);
    expect(stdout).toContain('nye tomter i klasse A eller B');
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const db = openStore(env.STORE_PATH!);
    try {
      expect(storedReport(db, WEEK)?.summary).toContain('nye tomter i klasse A eller B');
    } finally {
      db.close();
    }
  });
});
