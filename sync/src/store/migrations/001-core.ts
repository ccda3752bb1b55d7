import type { Migration } from './index.js';

/**
 * The store core: runs and their per-kommune outcomes, lots with geometry and content
 * fingerprints, the Airtable record each synced key maps to, and the lock that keeps runs from
 * overlapping across processes.
 */
export const coreMigration: Migration = {
  version: 1,
  name: 'core: runs, lots, airtable records, run lock',
  up(db) {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted')),
        trigger TEXT NOT NULL,
        dry_run INTEGER NOT NULL DEFAULT 0,
        airtable INTEGER NOT NULL DEFAULT 0,
        pid INTEGER,
        airtable_requests INTEGER NOT NULL DEFAULT 0,
        summary TEXT
      );

      CREATE TABLE run_kommuner (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kommunenummer TEXT NOT NULL,
        kommune_navn TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')),
        failed_stage TEXT,
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, kommunenummer)
      );

      CREATE TABLE lots (
        tomt_id TEXT PRIMARY KEY,
        kommunenummer TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'vanished')),
        fingerprint TEXT NOT NULL,
        lot TEXT NOT NULL,
        geometry TEXT NOT NULL,
        content TEXT NOT NULL,
        score REAL,
        tier TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        first_run_id INTEGER,
        last_run_id INTEGER,
        vanished_at TEXT,
        vanished_reason TEXT,
        revived_at TEXT,
        times_vanished INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX lots_by_kommune ON lots (kommunenummer, state);

      CREATE TABLE airtable_records (
        table_name TEXT NOT NULL,
        key TEXT NOT NULL,
        record_id TEXT NOT NULL,
        field_hashes TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (table_name, key)
      );

      CREATE TABLE run_lock (
        name TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      );
    `);
  },
};
