import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import { formatRunSummary } from '../../../sync/src/jobs/nightly-summary.js';
import { FilePlanSource } from '../../../sync/src/sources/files/file-sources.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { lotsOfKommune } from '../../../sync/src/store/lots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { everyLotRules, fixtureStages, kommuneLots } from '../../fixtures/crm/lots.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tomtejakt-suspicious-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

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
