import type { Env } from '../config/env.js';
import type { Rules } from '../config/rules.js';
import { airtableClientFromEnv } from '../crm/airtable/from-env.js';
import type { AirtableClient } from '../crm/airtable/client.js';
import { createPostgisMirror, type PostgisMirror } from '../export/postgis/mirror.js';
import type { Db } from '../store/database.js';
import { messageOf } from '../util/errors.js';
import { openStoreAt } from './store-location.js';
import type { Logger } from '../util/logger.js';
import type { Progress } from '../util/progress.js';

/** What a command or the service works with: its configuration, the store and the clients it opened. */
export interface AppResources {
  env: Env;
  rules: Rules;
  logger: Logger;
  progress: Progress;
  db: Db;
  /** null when Airtable is not configured. */
  airtable: AirtableClient | null;
  /** The PostGIS mirror (POSTGIS_URL); null when not configured. */
  postgis: PostgisMirror | null;
  /** Something else to close with the resources (a pipeline's HTTP clients), before the clients and the store. */
  own(name: string, close: () => void | Promise<void>): void;
  /** Closes everything owned, then Airtable, then the store: each exactly once, however often this is called. */
  close(): Promise<void>;
}

type ResourceBase = Pick<AppResources, 'env' | 'rules' | 'logger' | 'progress'>;

/**
 * Opens the store (where DATA_DIR and STORE_PATH say, checked first), and the Airtable client and
 * PostGIS mirror the configuration asks for.
 */
export function openResources(base: ResourceBase): AppResources {
  const db = openStoreAt(base.env);
  const { POSTGIS_URL: url, POSTGIS_SCHEMA: schema } = base.env;
  const postgis = url ? createPostgisMirror({ url, schema }) : null;
  if (postgis)
    base.logger.info(`PostGIS mirror: each run mirrors lots and kommune scores to ${postgis.target}`);
  return appResources({ ...base, db, airtable: airtableClientFromEnv(base.env, base.logger), postgis });
}

/** Resources around a store and client opened elsewhere (tests: an in-memory store, a client for a double). */
export function appResources(
  input: ResourceBase & Pick<AppResources, 'db' | 'airtable'> & { postgis?: PostgisMirror | null },
): AppResources {
  const { db, airtable, postgis = null, ...base } = input;
  const owned: Array<{ name: string; close: () => void | Promise<void> }> = [];
  let closing: Promise<void> | null = null;
  const closeAll = async () => {
    for (const { name, close } of owned.reverse()) await closeQuietly(name, close, base.logger);
    if (airtable) await closeQuietly('airtable', () => airtable.close(), base.logger);
    if (postgis) await closeQuietly('postgis', () => postgis.close(), base.logger);
    db.close();
  };
  return {
    ...base,
    db,
    airtable,
    postgis,
    own: (name, close) => void owned.push({ name, close }),
    close: () => (closing ??= closeAll()),
  };
}

/** A client that fails to close must not keep the store open: log it and go on. */
async function closeQuietly(name: string, close: () => void | Promise<void>, logger: Logger): Promise<void> {
  try {
    await close();
  } catch (error) {
    logger.warn(`closing ${name} failed`, { error: messageOf(error) });
  }
}
