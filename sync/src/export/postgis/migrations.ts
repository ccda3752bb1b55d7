import type pg from 'pg';

/**
 * A versioned change of the PostGIS mirror's schema. Released versions are never edited: change
 * the schema with a new one. Tables hold copies of the store, so a migration that changes what a
 * row holds may empty its table; the next run fills it again from the store.
 */
export interface PostgisMigration {
  version: number;
  name: string;
  /** The SQL, for the mirror's schema (already quoted). */
  sql(schema: string): string;
}

export const POSTGIS_MIGRATIONS: PostgisMigration[] = [
  {
    version: 1,
    name: 'lots and kommune scores in EPSG:25833',
    sql: (s) => `
CREATE TABLE ${s}.lots (
  tomt_id text PRIMARY KEY,
  kommunenummer text NOT NULL,
  kommune_navn text,
  state text NOT NULL CHECK (state IN ('active', 'vanished')),
  fingerprint text NOT NULL,
  first_seen timestamptz,
  changed_at timestamptz,
  vanished_at timestamptz,
  vanished_reason text,
  matrikkelnummertekst text,
  gnr integer,
  bnr integer,
  fnr integer,
  snr integer,
  teig_id text,
  areal_m2 double precision,
  eiendom_areal_m2 double precision,
  arealformal integer,
  arealbruk integer,
  arealbruksstatus integer,
  sone_lokalid text,
  kommuneplan_id text,
  omradenavn text,
  mulighet_id text,
  mulighet_areal_m2 double precision,
  eiendommer_i_mulighet integer,
  planarbeid_pagar text,
  sone_reparert integer,
  score integer,
  klasse text,
  konfidens text,
  estimerte_boliger integer,
  kapasitetsmetode text,
  scoreforklaring text,
  geom geometry(MultiPolygon, 25833) NOT NULL,
  label_point geometry(Point, 25833) NOT NULL
);
CREATE INDEX lots_geom_gist ON ${s}.lots USING gist (geom);
CREATE INDEX lots_label_point_gist ON ${s}.lots USING gist (label_point);
CREATE INDEX lots_kommunenummer ON ${s}.lots (kommunenummer);

CREATE TABLE ${s}.kommuner (
  kommunenummer text PRIMARY KEY,
  navn text NOT NULL,
  fylkesnummer text,
  fylkesnavn text,
  score double precision,
  rank integer,
  top boolean NOT NULL,
  confidence text,
  weight_share double precision,
  population integer,
  fingerprint text NOT NULL
);

-- For QGIS: each kommune's score with its active lots and their extent.
CREATE VIEW ${s}.kommune_lots AS
SELECT k.kommunenummer, k.navn, k.score, k.rank, k.top,
       count(l.tomt_id)::integer AS active_lots,
       coalesce(sum(l.areal_m2), 0) AS lot_area_m2,
       ST_SetSRID(ST_Extent(l.geom)::geometry, 25833)::geometry(Geometry, 25833) AS extent
FROM ${s}.kommuner k
LEFT JOIN ${s}.lots l ON l.kommunenummer = k.kommunenummer AND l.state = 'active'
GROUP BY k.kommunenummer;`,
  },
  {
    // Issue 16's range (460–479), so branches adding mirror migrations merge without renumbering.
    version: 460,
    name: 'lots: the estimated value (never part of the score)',
    sql: (s) => `
ALTER TABLE ${s}.lots ADD COLUMN estimert_salgsverdi double precision;
ALTER TABLE ${s}.lots ADD COLUMN tomteverdi_lav double precision;
ALTER TABLE ${s}.lots ADD COLUMN tomteverdi_hoy double precision;
ALTER TABLE ${s}.lots ADD COLUMN verdigrunnlag text;`,
  },
];

/** Quotes an identifier (the schema name comes from configuration). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates the schema and applies the migrations it has not seen, each in its own transaction,
 * under an advisory lock (two processes starting together apply each once). Returns the versions
 * applied now.
 */
export async function migratePostgis(
  client: pg.ClientBase,
  schema: string,
  migrations: PostgisMigration[] = POSTGIS_MIGRATIONS,
): Promise<number[]> {
  const s = quoteIdent(schema);
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`tomtejakt-mirror:${schema}`]);
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const applied = new Set(done.rows.map((r) => r.version));
    const now: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await inTransaction(client, async () => {
        await client.query(migration.sql(s));
        await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      });
      now.push(migration.version);
    }
    return now;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`tomtejakt-mirror:${schema}`]);
  }
}

/** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
