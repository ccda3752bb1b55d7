import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../sync/src/store/database.js';
import { countLots } from '../../sync/src/store/lots.js';
import { runCli } from '../helpers/run-cli.js';

/** No .env at all: the bundled sample kommune through the real sources, engine and scoring. */
const env = () => ({
  DATA_DIR: mkdtempSync(path.join(tmpdir(), 'embedded-')),
  // kommuneinfo is unreachable here; fail fast to the bundled boundary.
  KOMMUNEINFO_URL: 'http://127.0.0.1:9/kommuneinfo/v1',
  HTTP_MAX_RETRIES: '0',
});

describe('the embedded default (no credentials)', () => {
  it('runs the production pipeline on the sample kommune, stores the lots and prints scores', async () => {
    const settings = env();
    const first = await runCli(['run'], settings);
    expect(first.stderr).not.toMatch(/Unexpected error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Kommune 3218: \d+ candidate zones/);
    expect(first.stdout).toMatch(/A \(80–100\)/);
    expect(first.stdout).toMatch(/Top 10:/);
    const db = openStore(path.join(settings.DATA_DIR, 'tomtejakt.sqlite'));
    const stored = countLots(db);
    db.close();
    expect(stored.active).toBeGreaterThan(300);

    const second = await runCli(['run'], settings);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/3218\s+Ås\s+ok\s+\d+\s+0\s+0\s+0/);
  });
});
