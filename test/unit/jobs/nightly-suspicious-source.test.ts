import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthReport } from '../../../sync/src/app/health.js';
import { ScheduledJob } from '../../../sync/src/app/scheduled-job.js';
import { loadEnv } from '../../../sync/src/config/env.js';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import type { ScoredLot } from '../../../sync/src/domain/lot.js';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { FilePlanSource } from '../../../sync/src/sources/files/file-sources.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { lotsOfKommune } from '../../../sync/src/store/lots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { ConfigError } from '../../../sync/src/util/errors.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../doubles/airtable/server.js';
import { everyLotRules, fixtureStages, kommuneLots } from '../../fixtures/crm/lots.js';
import { runCli } from '../../helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-suspicious-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let db: Db;
let storePath: string;
let double: AirtableDouble | undefined;
let client: AirtableClient | undefined;
beforeEach(() => {
  storePath = path.join(mkdtempSync(path.join(dir, 'store-')), 'store.sqlite');
  db = openStore(storePath);
});
afterEach(async () => {
  await client?.close();
  await double?.close();
  client = undefined;
  double = undefined;
  db.close();
});

let clock = Date.parse('2026-03-02T01:00:00Z');
const tick = () => new Date((clock += 86_400_000));
const byKommune = (k: string) => kommuneLots(k, { count: 5 });

function options(extra: Partial<NightlyOptions> = {}): NightlyOptions {
  return {
    db,
    stages: fixtureStages(byKommune),
    kommuner: ['3207', '3218'],
    airtable: null,
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    now: tick,
    ...extra,
  };
}

/** A reguleringsplan as some plan viewers export it: every property nested, no objekttypenavn to read. */
function nestedPlanFile(): string {
  const square = (x: number) => [
    [
      [x, 6610000],
      [x + 50, 6610000],
      [x + 50, 6610050],
      [x, 6610050],
      [x, 6610000],
    ],
  ];
  const file = path.join(dir, 'regulering-3207.geojson');
  writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
      features: [0, 1, 2].map((i) => ({
        type: 'Feature',
        properties: { egenskaper: { objekttypenavn: 'RpArealformålOmråde', arealformål: 1110 } },
        geometry: { type: 'Polygon', coordinates: square(260000 + i * 100) },
      })),
    }),
  );
  return file;
}

describe('nightly run: a source that suddenly says nothing usable', () => {
  it('keeps the kommune’s last good lots, reports it with the file and the reason, and does the others', async () => {
    await runNightly(options());
    const source = new FilePlanSource({ reguleringsplan: nestedPlanFile() }, 'filer');
    const stages = fixtureStages(byKommune);
    const load = stages.loadKommuneData.bind(stages);
    stages.loadKommuneData = async (kommunenummer, stageOptions) => {
      const data = await load(kommunenummer, stageOptions);
      if (kommunenummer !== '3207') return data;
      const fetched = await source.fetchKommune(kommunenummer, 'reguleringsplan');
      return { ...data, reguleringsplan: fetched.features };
    };
    const summary = await runNightly(options({ stages }));
    expect(summary.kommuner.map((k) => [k.kommunenummer, k.outcome, k.failedStage])).toEqual([
      ['3207', 'failed', 'load'],
      ['3218', 'ok', null],
    ]);
    expect(summary.kommuner[0]!.error).toMatch(
      /regulering-3207\.geojson: none of its 3 feature\(s\) could be used: 3 × no objekttypenavn/,
    );
    expect(lotsOfKommune(db, '3207').map((l) => l.state)).toEqual(Array(5).fill('active'));
    expect(formatRunSummary(summary).join('\n')).toMatch(
      /3207 .* failed[\s\S]*failed at load: .*regulering-3207/,
    );
  });
});

/** The kommune's plan areas as the engine measures them: 300 daa of candidate zones, 120 daa regulated. */
const AREAS = { zoneAreaM2: 300_000, subtractedAreaM2: 120_000 };

/** Stages whose engine summary reports `areas` for 3207 (the other kommune keeps AREAS), and lots `lotsOf`. */
function stagesMeasuring(areas: typeof AREAS, lotsOf: (k: string) => ScoredLot[] = byKommune) {
  const stages = fixtureStages(lotsOf);
  const find = stages.findLots.bind(stages);
  stages.findLots = async (data, stageOptions) => {
    const found = await find(data, stageOptions);
    return { ...found, summary: data.kommune.kommunenummer === '3207' ? areas : AREAS };
  };
  return stages;
}

const nobodyRuns = () =>
  new ScheduledJob({
    name: 'nightly',
    cron: '0 2 * * *',
    timeZone: 'Europe/Oslo',
    run: async () => null,
    logger: createMemoryLogger(),
  });

const healthOf = () => {
  const nightly = nobodyRuns();
  return healthReport({ db, airtable: false, nightly, jobs: [nightly], parts: [] }).body;
};

const dataadvarsel = () =>
  double!.records('Kommuner').find((r) => r.fields.Kommunenummer === '3207')?.fields.Dataadvarsel;

describe('nightly run: the shrink guard ("mistenkelig endring")', () => {
  it('holds a kommune whose regulated area shrinks by more than 20 %, marks it everywhere, and goes on with the others', async () => {
    double = await doubleWithBase();
    client = clientFor(double, { requestsPerSecond: 1000 });
    await runNightly(options({ stages: stagesMeasuring(AREAS), airtable: client }));
    const before = lotsOfKommune(db, '3207').map((l) => l.tomtId);

    // Tonight the source lost most of the regulated plans: the engine would find more lots.
    const more = (k: string) => kommuneLots(k, { count: k === '3207' ? 9 : 5 });
    const shrunk = { zoneAreaM2: 300_000, subtractedAreaM2: 40_000 };
    const summary = await runNightly(options({ stages: stagesMeasuring(shrunk, more), airtable: client }));

    expect(summary.kommuner.map((k) => [k.kommunenummer, k.outcome, k.failedStage])).toEqual([
      ['3207', 'failed', 'guard'],
      ['3218', 'ok', null],
    ]);
    expect(summary.kommuner[0]!.error).toMatch(
      /^mistenkelig endring: regulated area shrank 67 % \(120 daa → 40 daa\) since the last good run; the previous lots are kept\. .*tomtejakt accept --kommune 3207$/,
    );
    expect(lotsOfKommune(db, '3207').map((l) => l.tomtId)).toEqual(before);
    expect(formatRunSummary(summary).join('\n')).toMatch(
      /\n {2}held: mistenkelig endring: regulated area shrank 67 %/,
    );
    const health = healthOf();
    expect(health.status).toBe('degraded');
    expect(health.suspiciousChanges).toEqual([
      expect.objectContaining({
        kommunenummer: '3207',
        marked: 'mistenkelig endring',
        accept: 'tomtejakt accept --kommune 3207',
      }),
    ]);
    expect(dataadvarsel()).toMatch(/^mistenkelig endring: regulated area shrank 67 %/);

    // Held again the next night, until a person accepts it.
    const again = await runNightly(options({ stages: stagesMeasuring(shrunk, more), airtable: client }));
    expect(again.kommuner[0]!.failedStage).toBe('guard');
    const accepted = await runCli(['accept', '--kommune', '3207'], { STORE_PATH: storePath, DATA_DIR: dir });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/Accepted for kommune 3207: regulated area shrank 67 %/);

    const after = await runNightly(options({ stages: stagesMeasuring(shrunk, more), airtable: client }));
    expect(after.kommuner.map((k) => k.outcome)).toEqual(['ok', 'ok']);
    expect(lotsOfKommune(db, '3207').filter((l) => l.state === 'active')).toHaveLength(9);
    expect(healthOf().suspiciousChanges).toBeUndefined();
    expect(dataadvarsel() ?? '').toBe('');
    // The accepted areas are the new baseline: the same figures pass from now on.
    const next = await runNightly(options({ stages: stagesMeasuring(shrunk, more) }));
    expect(next.kommuner[0]!.outcome).toBe('ok');
  });

  it('holds shrinking candidate zones too, lets a shrink within SUSPICIOUS_SHRINK_PERCENT pass, and refuses a bad value naming the key', async () => {
    await runNightly(options({ stages: stagesMeasuring(AREAS) }));
    const zonesGone = await runNightly(
      options({ stages: stagesMeasuring({ zoneAreaM2: 200_000, subtractedAreaM2: 120_000 }) }),
    );
    expect(zonesGone.kommuner[0]!.error).toMatch(/candidate zones shrank 33 % \(300 daa → 200 daa\)/);
    const lenient = await runNightly(
      options({
        stages: stagesMeasuring({ zoneAreaM2: 200_000, subtractedAreaM2: 120_000 }),
        suspiciousShrinkPercent: 40,
      }),
    );
    expect(lenient.kommuner[0]!.outcome).toBe('ok');
    expect(loadEnv({ source: { SUSPICIOUS_SHRINK_PERCENT: '35' } }).SUSPICIOUS_SHRINK_PERCENT).toBe(35);
    expect(() => loadEnv({ source: { SUSPICIOUS_SHRINK_PERCENT: 'lots' } })).toThrow(ConfigError);
    expect(() => loadEnv({ source: { SUSPICIOUS_SHRINK_PERCENT: 'lots' } })).toThrow(
      /SUSPICIOUS_SHRINK_PERCENT/,
    );
  });

  it('accept refuses a kommune with nothing held, naming it', async () => {
    const refused = await runCli(['accept', '--kommune', '3207'], { STORE_PATH: storePath, DATA_DIR: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/kommune 3207 has no change held as suspicious/);
  });
});
