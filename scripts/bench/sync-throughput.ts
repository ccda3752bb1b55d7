/**
 * `npm run bench:sync [-- --lots 5000]`: how fast the lot sync fills an empty Tomter table, against
 * the local Airtable double enforcing Airtable's limit (5 requests/s per base, 30 s penalty after
 * a 429). Baseline: Airtable's own ceiling, 5 requests/s × 10 records = 50 records/s. Then an
 * immediate second run, which must send no write at all.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAirtableClient } from '../../sync/src/crm/airtable/client.js';
import { BaseLimiter } from '../../sync/src/crm/airtable/base-limiter.js';
import { syncKommuneLots } from '../../sync/src/crm/tomter/tomter-sync.js';
import { runNightly } from '../../sync/src/jobs/nightly.js';
import { defaultRules } from '../../sync/src/config/rules.js';
import { syncedRecordStore } from '../../sync/src/store/airtable-records.js';
import { lotsOfKommune } from '../../sync/src/store/lots.js';
import { openStore } from '../../sync/src/store/database.js';
import { createLogger } from '../../sync/src/util/logger.js';
import { doubleWithBase } from '../../test/doubles/airtable/harness.js';
import { aasLots, fixtureStages } from '../../test/fixtures/crm/lots.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const LOTS = arg('lots', 5000);
const RPS = arg('rps', 4.8);
const CEILING = 5 * 10;

// Every lot goes to Airtable (tier D or better): the benchmark measures writing, not the policy.
const rules = { ...defaultRules(), airtable: { minTier: 'D' as const, keepTouched: true } };

const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-bench-'));
const logger = createLogger({ level: 'warn' });
const double = await doubleWithBase({
  rateLimit: { requestsPerSecond: 5, windowMs: 1000, penaltyMs: 30_000 },
});
const client = createAirtableClient({
  apiUrl: double.url,
  token: double.token,
  baseId: double.baseId,
  limiter: new BaseLimiter(RPS),
  logger,
});
const db = openStore(path.join(dir, 'store.sqlite'));
try {
  console.log(
    `Airtable sync throughput: ${LOTS} lots in Ås (3218), local Airtable double enforcing 5 requests/s per base`,
  );
  console.log(
    `baseline: Airtable's ceiling, 5 requests/s × 10 records = ${CEILING} records/s; client limiter ${RPS} requests/s`,
  );
  const lots = aasLots({ count: LOTS });
  const stages = fixtureStages(() => lots);
  const prepared = performance.now();
  await runNightly({
    db,
    stages,
    kommuner: ['3218'],
    airtable: null,
    rules,
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger,
  });
  console.log(
    `store: ${LOTS} lots found, lot records built and stored in ${((performance.now() - prepared) / 1000).toFixed(1)} s`,
  );

  const started = performance.now();
  const synced = await syncKommuneLots({
    client,
    state: syncedRecordStore(db),
    lots: lotsOfKommune(db, '3218'),
    kommunenummer: '3218',
    policy: rules.airtable,
    timeZone: 'Europe/Oslo',
    logger,
  });
  const seconds = (performance.now() - started) / 1000;
  const created = synced.result.created.length;
  const rate = created / seconds;
  const limited = double.requests.filter((r) => r.status === 429).length;
  console.log(
    `initial sync: ${created} records created in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} records/s ` +
      `(${(rate / CEILING).toFixed(2)} × ceiling), ${double.requests.length} requests, ${limited} answered 429`,
  );

  double.clearRequests();
  const second = await runNightly({
    db,
    stages,
    kommuner: ['3218'],
    airtable: client,
    rules,
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger,
  });
  console.log(
    `second run: ${double.writeRequests().length} write requests, ${double.requests.length} requests in all ` +
      `(${second.totals.airtableUnchanged} records unchanged)`,
  );
  const verdict = rate >= 45 && limited === 0 && double.writeRequests().length === 0;
  console.log(verdict ? 'target met: ≥ 45 records/s, no 429, no writes on the second run' : 'TARGET MISSED');
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/sync-throughput.json',
    JSON.stringify(
      {
        lots: LOTS,
        seconds,
        recordsPerSecond: rate,
        ceiling: CEILING,
        rateLimited: limited,
        secondRunWrites: double.writeRequests().length,
      },
      null,
      2,
    ),
  );
  process.exitCode = verdict ? 0 : 1;
} finally {
  await client.close();
  await double.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
