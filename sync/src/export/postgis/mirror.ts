import type pg from 'pg';
import { rowsOutOfStep } from './diff.js';
import { inTransaction, migratePostgis, quoteIdent } from './migrations.js';
import {
  KOMMUNE_MIRROR_COLUMNS,
  kommuneValues,
  LOT_MIRROR_COLUMNS,
  lotValues,
  type MirrorColumn,
  type MirrorKey,
  type MirrorKommune,
  type MirrorLot,
} from './rows.js';

/** What one call wrote: rows inserted or updated, and rows deleted. Both 0: the mirror was in step. */
export interface MirrorWrite {
  written: number;
  deleted: number;
}

/**
 * The PostGIS mirror of the store's results (POSTGIS_URL), for QGIS: lots and kommune scores in
 * EPSG:25833. The store stays the only source of truth: the mirror is brought in step from it,
 * compared by each row's state and fingerprint, so a run that changed nothing writes nothing and
 * a kommune missed once (PostGIS down) is caught up by the next run.
 */
export interface PostgisMirror {
  /**
   * Brings one kommune's lots in step with `known` (the store's keys), in one transaction;
   * `load` gives the full lots of the ids that must be written.
   */
  mirrorLots(
    kommunenummer: string,
    known: MirrorKey[],
    load: (tomtIds: string[]) => MirrorLot[],
  ): Promise<MirrorWrite>;
  /** Brings the kommune scores in step with the newest ranking, in one transaction. */
  mirrorKommuner(kommuner: MirrorKommune[]): Promise<MirrorWrite>;
  /** Where it writes, for logs (never the password). */
  readonly target: string;
  close(): Promise<void>;
}

const BATCH = 1000;

/** Opens a mirror; the connection and the schema's migrations wait until the first write. */
export function createPostgisMirror(options: { url: string; schema: string }): PostgisMirror {
  // pg is loaded with the first write: a run without POSTGIS_URL never pays its start-up.
  let pool: Promise<pg.Pool> | null = null;
  const poolOf = () =>
    (pool ??= import('pg').then(({ default: driver }) => {
      const opened = new driver.Pool({ connectionString: options.url, max: 1 });
      // An idle client that loses its server must not take the process down.
      opened.on('error', () => undefined);
      return opened;
    }));
  const s = quoteIdent(options.schema);
  const target = `${targetOf(options.url)} schema ${options.schema}`;
  let migrated: Promise<void> | null = null;

  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await (await poolOf()).connect().catch((error: unknown) => {
      throw mirrorError(target, error);
    });
    try {
      migrated ??= migratePostgis(client, options.schema).then(() => undefined);
      await migrated.catch((error: unknown) => {
        migrated = null;
        throw error;
      });
      return await work(client);
    } catch (error) {
      throw mirrorError(target, error);
    } finally {
      client.release();
    }
  };

  return {
    target,
    mirrorLots: (kommunenummer, known, load) =>
      withClient(async (client) => {
        const mirrored = await client.query<MirrorKey>(
          `SELECT tomt_id AS "tomtId", state, fingerprint FROM ${s}.lots WHERE kommunenummer = $1`,
          [kommunenummer],
        );
        const { write, remove } = rowsOutOfStep(known, mirrored.rows);
        if (!write.length && !remove.length) return { written: 0, deleted: 0 };
        const lots = write.length ? load(write) : [];
        return inTransaction(client, async () => {
          for (let i = 0; i < lots.length; i += BATCH) await upsertLots(client, s, lots.slice(i, i + BATCH));
          if (remove.length)
            await client.query(`DELETE FROM ${s}.lots WHERE kommunenummer = $1 AND tomt_id = ANY($2)`, [
              kommunenummer,
              remove,
            ]);
          return { written: lots.length, deleted: remove.length };
        });
      }),
    mirrorKommuner: (kommuner) =>
      withClient(async (client) => {
        const mirrored = await client.query<{ kommunenummer: string; fingerprint: string }>(
          `SELECT kommunenummer, fingerprint FROM ${s}.kommuner`,
        );
        const rows = new Map(kommuner.map((k) => [k.kommunenummer, kommuneValues(k)]));
        const { write, remove } = rowsOutOfStep(
          [...rows].map(([tomtId, cells]) => ({
            tomtId,
            state: 'active',
            fingerprint: String(cells.at(-1)),
          })),
          mirrored.rows.map((m) => ({
            tomtId: m.kommunenummer,
            state: 'active',
            fingerprint: m.fingerprint,
          })),
        );
        if (!write.length && !remove.length) return { written: 0, deleted: 0 };
        return inTransaction(client, async () => {
          if (write.length)
            await upsert(
              client,
              `${s}.kommuner`,
              KOMMUNE_MIRROR_COLUMNS,
              write.map((k) => rows.get(k)!),
            );
          if (remove.length)
            await client.query(`DELETE FROM ${s}.kommuner WHERE kommunenummer = ANY($1)`, [remove]);
          return { written: write.length, deleted: remove.length };
        });
      }),
    close: async () => {
      if (pool) await (await pool).end();
    },
  };
}

type Cell = string | number | boolean | null;

/**
 * One INSERT … ON CONFLICT over one array per column (one round trip per batch); the first column
 * is the key. A column with `from` is computed from its array by that SQL (the array's alias: `v`).
 */
async function upsert(
  client: pg.ClientBase,
  table: string,
  columns: Array<MirrorColumn & { from?: (v: string) => string }>,
  rows: Cell[][],
): Promise<void> {
  const names = columns.map((c) => quoteIdent(c.name));
  const aliases = columns.map((_, i) => `c${i}`);
  const unnest = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const select = columns.map((c, i) => (c.from ? c.from(aliases[i]!) : aliases[i]));
  await client.query(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${select.join(', ')} FROM unnest(${unnest}) AS t(${aliases.join(', ')})
     ON CONFLICT (${names[0]}) DO UPDATE SET ${names
       .slice(1)
       .map((n) => `${n} = EXCLUDED.${n}`)
       .join(', ')}`,
    columns.map((_, i) => rows.map((r) => r[i] ?? null)),
  );
}

const LOT_GEOMETRY_COLUMNS = [
  {
    name: 'geom',
    type: 'text',
    from: (v: string) => `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${v}), 25833))`,
  },
  { name: 'label_point', type: 'text', from: (v: string) => `ST_GeomFromEWKT(${v})` },
] as const;

async function upsertLots(client: pg.ClientBase, s: string, lots: MirrorLot[]): Promise<void> {
  const rows = lots
    .map(lotValues)
    .map((v) => [...v.cells, v.geometry, `SRID=25833;POINT(${v.east} ${v.north})`]);
  await upsert(client, `${s}.lots`, [...LOT_MIRROR_COLUMNS, ...LOT_GEOMETRY_COLUMNS], rows);
}

/** host:port/database of a connection URL, without user or password. */
export function targetOf(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get('host') ?? parsed.hostname;
    return `${host}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return '(unparsable POSTGIS_URL)';
  }
}

function mirrorError(target: string, error: unknown): Error {
  if (error instanceof Error && error.message.startsWith('PostGIS mirror')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`PostGIS mirror (${target}): ${message}`, { cause: error });
}
