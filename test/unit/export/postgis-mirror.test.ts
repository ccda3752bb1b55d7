import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScoredLot } from '../../../sync/src/domain/lot.js';
import { createPostgisMirror, type PostgisMirror } from '../../../sync/src/export/postgis/mirror.js';
import { migratePostgis, POSTGIS_MIGRATIONS } from '../../../sync/src/export/postgis/migrations.js';
import { LOT_MIRROR_COLUMNS, type MirrorKommune } from '../../../sync/src/export/postgis/rows.js';
import { runNightly, type NightlyOptions } from '../../../sync/src/jobs/nightly.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { knownLotsOf, lotsOfKommune } from '../../../sync/src/store/lots.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { postgisInstalled, startPostgis, type PostgisCluster } from '../../../scripts/postgis/cluster.js';
import { everyLotRules, fixtureStages, kommuneLots } from '../../fixtures/crm/lots.js';

/**
 * The PostGIS mirror against a real PostgreSQL + PostGIS: a throwaway cluster this file starts
 * from Debian's packages (scripts/postgis/cluster.ts). Without them the tests are skipped, and
 * their name says how to install them.
 */
const missing = postgisInstalled()
  ? null
  : 'PostgreSQL + PostGIS are not installed; run `npm run postgis:install` (apt-get install postgresql postgis)';
if (missing) console.warn(`PostGIS mirror tests skipped: ${missing}`);

let cluster: PostgisCluster;
let admin: pg.Client;
let schemaNo = 0;
let schema: string;
let db: Db;
let mirror: PostgisMirror;

const KOMMUNER = ['3218', '3207'];

function options(lotsOf: (k: string) => ScoredLot[], extra: Partial<NightlyOptions> = {}): NightlyOptions {
  return {
    db,
    stages: fixtureStages(lotsOf),
    kommuner: [...KOMMUNER],
    airtable: null,
    postgis: mirror,
    rules: everyLotRules(),
    timeZone: 'Europe/Oslo',
    trigger: 'cli',
    logger: createMemoryLogger(),
    ...extra,
  };
}

/** Each row's id and the transaction that last wrote it: unchanged only if nothing wrote it. */
async function rowVersions(table: string, key: string): Promise<Map<string, string>> {
  const rows = await admin.query<{ key: string; xmin: string }>(
    `SELECT ${key} AS key, xmin::text AS xmin FROM ${schema}.${table}`,
  );
  return new Map(rows.rows.map((r) => [r.key, r.xmin]));
}

describe.skipIf(missing)(`PostGIS mirror${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    cluster = startPostgis();
    admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    cluster?.stop();
  });
  beforeEach(() => {
    schema = `mirror_test_${(schemaNo += 1)}`;
    db = openStore(':memory:');
    mirror = createPostgisMirror({ url: cluster.url, schema });
  });
  afterEach(async () => {
    await mirror.close();
    db.close();
  });

  it('mirrors every lot of a run in EPSG:25833 with GiST indexes, under a versioned schema', async () => {
    const summary = await runNightly(options((k) => kommuneLots(k, { count: 30 })));
    expect(summary.kommuner.map((k) => k.error)).toEqual([null, null]);
    expect(summary.totals.postgisWritten).toBe(60);
    const rows = await admin.query<{ kommunenummer: string; n: string; srid: number; type: string }>(
      `SELECT kommunenummer, count(*) AS n, min(ST_SRID(geom)) AS srid, min(GeometryType(geom)) AS type
       FROM ${schema}.lots GROUP BY kommunenummer ORDER BY kommunenummer`,
    );
    expect(rows.rows).toEqual([
      { kommunenummer: '3207', n: '30', srid: 25833, type: 'MULTIPOLYGON' },
      { kommunenummer: '3218', n: '30', srid: 25833, type: 'MULTIPOLYGON' },
    ]);
    // The polygons are the store's: their area is the lot's, the label point lies inside.
    const stored = lotsOfKommune(db, '3218')[0]!;
    const lot = await admin.query<{ area: number; inside: boolean; score: number; state: string }>(
      `SELECT ST_Area(geom) AS area, ST_Contains(geom, label_point) AS inside, score, state
       FROM ${schema}.lots WHERE tomt_id = $1`,
      [stored.tomtId],
    );
    expect(lot.rows[0]).toMatchObject({
      inside: true,
      score: Math.round(stored.record.score.total),
      state: 'active',
    });
    expect(lot.rows[0]!.area).toBeCloseTo(stored.record.arealM2, 0);
    const indexes = await admin.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gist%' ORDER BY 1`,
      [schema],
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['lots_geom_gist', 'lots_label_point_gist']);
    const versions = await admin.query(`SELECT version FROM ${schema}.schema_migrations`);
    expect(versions.rows).toEqual(POSTGIS_MIGRATIONS.map((m) => ({ version: m.version })));
    expect(summary.postgis).toMatchObject({ lotRows: 60, error: null });
  });

  it('writes nothing on a run with no change, and only the changed and vanished lots on the next', async () => {
    const lots = (k: string) => kommuneLots(k, { count: 20 });
    await runNightly(options(lots));
    const before = await rowVersions('lots', 'tomt_id');

    const again = await runNightly(options(lots));
    expect(again.totals.postgisWritten).toBe(0);
    expect(again.postgis).toMatchObject({ lotRows: 0, kommuneRows: 0 });
    expect(await rowVersions('lots', 'tomt_id')).toEqual(before);

    // Ås: other scores for every lot and its last lot gone; the other kommune as it was.
    const changed = (k: string) => (k === '3218' ? kommuneLots(k, { count: 19, variant: 1 }) : lots(k));
    const third = await runNightly(options(changed));
    expect(third.kommuner.map((k) => [k.kommunenummer, k.counts.postgisWritten])).toEqual([
      ['3218', 20],
      ['3207', 0],
    ]);
    const after = await rowVersions('lots', 'tomt_id');
    const rewritten = [...after].filter(([id, xmin]) => before.get(id) !== xmin).map(([id]) => id);
    expect(rewritten.sort()).toEqual(
      knownLotsOf(db, '3218')
        .map((l) => l.tomtId)
        .sort(),
    );
    const gone = await admin.query(
      `SELECT tomt_id, vanished_reason FROM ${schema}.lots WHERE state = 'vanished'`,
    );
    expect(gone.rows).toHaveLength(1);
    expect(gone.rows[0].vanished_reason).toBeTruthy();
  });

  it('commits each kommune on its own: a kommune that fails to write leaves nothing half-written', async () => {
    await runNightly(options((k) => kommuneLots(k, { count: 5 }), { kommuner: ['3207'] }));
    // 1,500 lots (two batches) whose last is a point, which the MultiPolygon column refuses: the first batch must not stay.
    const many = kommuneLots('3218', { count: 1500 });
    await runNightly(options(() => many, { kommuner: ['3218'], postgis: null }));
    const stored = lotsOfKommune(db, '3218');
    const broken = (ids: string[]) =>
      stored
        .filter((l) => ids.includes(l.tomtId))
        .map((l, i, all) =>
          i === all.length - 1
            ? { ...l, record: { ...l.record, geometry: { type: 'Point', coordinates: [0, 0] } as never } }
            : l,
        );
    await expect(mirror.mirrorLots('3218', knownLotsOf(db, '3218'), broken)).rejects.toThrow(
      /^PostGIS mirror \(.* schema mirror_test_\d+\): Geometry type \(MultiPoint\) does not match column type \(MultiPolygon\)/,
    );
    const counts = await admin.query(
      `SELECT kommunenummer, count(*)::int AS n FROM ${schema}.lots GROUP BY 1 ORDER BY 1`,
    );
    expect(counts.rows).toEqual([{ kommunenummer: '3207', n: 5 }]);
    // The next try (here: the whole store) brings it in step.
    const whole = await mirror.mirrorLots('3218', knownLotsOf(db, '3218'), () => stored);
    expect(whole).toEqual({ written: 1500, deleted: 0 });
  });

  it('mirrors the kommune scores, rewriting only the kommuner whose figures changed', async () => {
    const kommune = (nr: string, score: number, rank: number): MirrorKommune => ({
      kommunenummer: nr,
      navn: `Kommune ${nr}`,
      fylkesnummer: nr.slice(0, 2),
      fylkesnavn: null,
      score,
      rank,
      top: rank <= 50,
      confidence: 'høy',
      weightShare: 1,
      population: 20_000,
    });
    const first = [kommune('3218', 71.5, 1), kommune('3207', 60, 2), kommune('0301', 55, 3)];
    expect(await mirror.mirrorKommuner(first)).toEqual({ written: 3, deleted: 0 });
    const before = await rowVersions('kommuner', 'kommunenummer');
    expect(await mirror.mirrorKommuner(first)).toEqual({ written: 0, deleted: 0 });
    expect(await rowVersions('kommuner', 'kommunenummer')).toEqual(before);
    const next = [kommune('3218', 71.5, 1), kommune('3207', 61, 2)];
    expect(await mirror.mirrorKommuner(next)).toEqual({ written: 1, deleted: 1 });
    const rows = await admin.query(`SELECT kommunenummer, score FROM ${schema}.kommuner ORDER BY 1`);
    expect(rows.rows).toEqual([
      { kommunenummer: '3207', score: 61 },
      { kommunenummer: '3218', score: 71.5 },
    ]);
  });

  it('applies each schema version once, and the writer fills exactly the columns the schema has', async () => {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      expect(await migratePostgis(client, schema)).toEqual(POSTGIS_MIGRATIONS.map((m) => m.version));
      expect(await migratePostgis(client, schema)).toEqual([]);
      const later = {
        version: 2,
        name: 'a later change',
        sql: (s: string) => `ALTER TABLE ${s}.lots ADD note text`,
      };
      expect(await migratePostgis(client, schema, [...POSTGIS_MIGRATIONS, later])).toEqual([2]);
      const columns = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'lots'`,
        [schema],
      );
      expect(columns.rows.map((c) => c.column_name).sort()).toEqual(
        [...LOT_MIRROR_COLUMNS.map((c) => c.name), 'geom', 'label_point', 'note'].sort(),
      );
    } finally {
      await client.end();
    }
  });
});

describe('PostGIS mirror out of reach', () => {
  it('fails the kommune at the postgis stage, naming where, and keeps its lots in the store', async () => {
    const store = openStore(':memory:');
    const unreachable = createPostgisMirror({ url: 'postgresql://gis@127.0.0.1:1/gis', schema: 'tomtejakt' });
    try {
      const summary = await runNightly({
        db: store,
        stages: fixtureStages((k) => kommuneLots(k, { count: 3 })),
        kommuner: ['3218'],
        airtable: null,
        postgis: unreachable,
        rules: everyLotRules(),
        timeZone: 'Europe/Oslo',
        trigger: 'cli',
        logger: createMemoryLogger(),
      });
      expect(summary.status).toBe('failed');
      expect(summary.kommuner[0]).toMatchObject({ outcome: 'failed', failedStage: 'postgis' });
      expect(summary.kommuner[0]!.error).toMatch(
        /^PostGIS mirror \(127\.0\.0\.1:1\/gis schema tomtejakt\): .*ECONNREFUSED/,
      );
      expect(lotsOfKommune(store, '3218')).toHaveLength(3);
    } finally {
      await unreachable.close();
      store.close();
    }
  });
});
