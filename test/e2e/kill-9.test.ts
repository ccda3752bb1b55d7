import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncedRecordStore } from '../../sync/src/store/airtable-records.js';
import { openStore } from '../../sync/src/store/database.js';
import { countLots } from '../../sync/src/store/lots.js';
import { lastRun } from '../../sync/src/store/runs.js';
import { doubleWithBase } from '../doubles/airtable/harness.js';
import type { AirtableDouble } from '../doubles/airtable/server.js';
import { aasLots, random } from '../fixtures/crm/lots.js';
import { runCli, type Child } from './fixtures/child.js';

const LOTS = 40;
const KILLS = 10;
const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Every lot goes to Airtable, whatever its tier: the test is about crashes, not the Airtable policy.
const rulesFile = path.join(dir, 'rules.json');
writeFileSync(rulesFile, JSON.stringify({ airtable: { minTier: 'D' } }));

describe('kill -9 in the middle of runs', () => {
  it(`${KILLS} runs killed at random points, then one full run: no duplicate, no lost lot`, async () => {
    const rnd = random(2026);
    let current: { child: Child; killAtRequest: number | null; seen: number } | null = null;
    const double: AirtableDouble = await doubleWithBase({
      rateLimit: { requestsPerSecond: 10, windowMs: 1000, penaltyMs: 30_000 },
      onRequest: () => {
        if (!current || current.killAtRequest === null) return;
        current.seen += 1;
        // The request has arrived and will be processed; its answer reaches a dead client.
        if (current.seen === current.killAtRequest) current.child.process.kill('SIGKILL');
      },
    });
    const env = (round: number, drop: number[]) => ({
      DATA_DIR: dir,
      RULES_FILE: rulesFile,
      AIRTABLE_TOKEN: double.token,
      AIRTABLE_BASE_ID: double.baseId,
      AIRTABLE_API_URL: double.url,
      AIRTABLE_REQUESTS_PER_SECOND: '5',
      LOG_LEVEL: 'warn',
      FIXTURE_LOTS: String(LOTS),
      FIXTURE_VARIANT: String(round),
      FIXTURE_DROP: drop.join(','),
    });

    let kills = 0;
    for (let round = 1; kills < KILLS && round <= 3 * KILLS; round += 1) {
      // Every run changes every score and loses a different tenth of the lots (they come back later).
      const drop = Array.from({ length: LOTS }, (_, i) => i).filter((i) => i % 10 === round % 10);
      const byRequest = round % 2 === 0;
      const child = runCli(['run', '--kommune', '3218'], env(round, drop));
      current = { child, killAtRequest: byRequest ? 1 + Math.floor(rnd() * 6) : null, seen: 0 };
      const timer = byRequest ? null : setTimeout(() => child.process.kill('SIGKILL'), 600 + rnd() * 1800);
      const exit = await child.exit;
      if (timer) clearTimeout(timer);
      current = null;
      if (exit.signal === 'SIGKILL') kills += 1;
      else expect(exit.code, child.stderr.join('')).toBe(0);
    }
    expect(kills).toBe(KILLS);

    const final = runCli(['run', '--kommune', '3218'], env(100, []));
    const exit = await final.exit;
    expect(exit.code, final.stderr.join('')).toBe(0);

    const lots = aasLots({ count: LOTS, variant: 100 });
    const records = double.records('Tomter');
    const perId = new Map<string, number>();
    for (const record of records) {
      const id = record.fields['Tomt-ID'] as string;
      perId.set(id, (perId.get(id) ?? 0) + 1);
    }
    expect([...perId.values()].filter((n) => n > 1)).toEqual([]);
    expect(new Set(perId.keys())).toEqual(new Set(lots.map((l) => l.tomtId)));
    const byId = new Map(records.map((r) => [r.fields['Tomt-ID'] as string, r]));
    for (const lot of lots) {
      const fields = byId.get(lot.tomtId)!.fields;
      expect(fields.Score).toBe(Math.round(lot.score.total));
      expect(fields.Status).toBe('Ny');
      expect(fields['Utgått dato']).toBeUndefined();
    }

    const db = openStore(path.join(dir, 'tomtejakt.sqlite'));
    expect(countLots(db)).toEqual({ active: LOTS, vanished: 0 });
    const synced = syncedRecordStore(db).get(
      'Tomter',
      lots.map((l) => l.tomtId),
    );
    for (const lot of lots) expect(synced.get(lot.tomtId)?.recordId).toBe(byId.get(lot.tomtId)!.id);
    expect(lastRun(db)).toMatchObject({ status: 'ok' });
    // Killed runs that had started are closed as interrupted, none is left "running".
    const open = db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").get() as { n: number };
    expect(open.n).toBe(0);
    db.close();
    await double.close();
  }, 120_000);
});
