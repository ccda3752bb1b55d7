import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations/index.js';

export type Db = Database.Database;

/**
 * Opens the embedded store and brings its schema up to date. WAL journaling keeps readers (the
 * map page) working while a run writes; each migration runs in its own transaction, so a crash
 * leaves the schema at the last whole version. `secure_delete` zeroes what is deleted, so erased
 * personal data does not linger in the file's free space.
 */
export function openStore(file: string, options: { migrations?: Migration[] } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted content (owner names erased by retention) is overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  migrate(db, options.migrations ?? migrations);
  return db;
}

export function migrate(db: Db, list: Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  );
  const versions = list.map((m) => m.version);
  if (new Set(versions).size !== versions.length)
    throw new Error(`duplicate migration versions: ${versions.join(', ')}`);
  const ran: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    // Two processes starting on a new store (the service and a CLI command) both read "not
    // applied": each migration takes the write lock first and looks again under it.
    const appliedHere = db
      .transaction(() => {
        if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version))
          return false;
        migration.up(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          new Date().toISOString(),
        );
        return true;
      })
      .immediate();
    if (appliedHere) ran.push(migration.version);
  }
  return ran;
}

/**
 * A private in-memory copy of the store (for dry runs: the same code, nothing kept). A WAL
 * database's header (bytes 18–19 = 2) cannot be opened in memory, so the copy is marked as a
 * rollback-journal database.
 */
export function copyStoreInMemory(db: Db): Db {
  const image = db.serialize();
  image[18] = 1;
  image[19] = 1;
  const copy = new Database(image);
  copy.pragma('foreign_keys = ON');
  return copy;
}

/**
 * After personal data was erased: rebuilds the file (VACUUM, so no stale copy from before
 * `secure_delete` was on survives in free space) and folds the write-ahead log back into it
 * (the WAL still holds the pages as they were). `busy` is true when a reader kept the WAL from
 * being emptied; the next erasure tries again.
 */
export function scrubErasedData(db: Db): { vacuumed: boolean; busy: boolean; problem: string | null } {
  let vacuumed = false;
  let problem: string | null = null;
  try {
    db.exec('VACUUM');
    vacuumed = true;
  } catch (error) {
    problem = `VACUUM failed: ${(error as Error).message}`;
  }
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  return { vacuumed, busy: (checkpoint?.busy ?? 0) !== 0, problem };
}
