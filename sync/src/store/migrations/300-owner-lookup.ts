import type { Migration } from './index.js';

/**
 * The owner lookup's tables: the persistent queue (jobs and every request that asked for them),
 * the append-only audit log, the owners found (personal data: names and orgnr, never national
 * identity numbers), the retention bookkeeping, and the webhook signatures seen (replay guard).
 */
export const ownerLookupMigration: Migration = {
  version: 300,
  name: 'owner lookup: queue, audit log, owners, retention, webhook replay guard',
  up(db) {
    db.exec(`
      CREATE TABLE owner_lookup_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        tomt_id TEXT NOT NULL,
        record_id TEXT,
        kommunenummer TEXT NOT NULL,
        parcels_json TEXT NOT NULL,
        matrikkelenhet_id TEXT,
        purpose TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'not-configured')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        requested_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        owner_count INTEGER,
        message TEXT
      );
      CREATE INDEX owner_lookup_jobs_by_lot ON owner_lookup_jobs (tomt_id, state, finished_at);
      CREATE INDEX owner_lookup_jobs_by_state ON owner_lookup_jobs (state, next_attempt_at, id);

      CREATE TABLE owner_lookup_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id INTEGER NOT NULL REFERENCES owner_lookup_jobs (id),
        requested_at TEXT NOT NULL,
        requested_by TEXT,
        via TEXT NOT NULL,
        joined INTEGER NOT NULL
      );
      CREATE INDEX owner_lookup_requests_by_job ON owner_lookup_requests (job_id);

      CREATE TABLE owner_lookup_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        job_id INTEGER NOT NULL UNIQUE,
        tomt_id TEXT NOT NULL,
        record_id TEXT,
        parcels TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        purpose TEXT NOT NULL,
        outcome TEXT NOT NULL,
        owner_count INTEGER,
        detail TEXT
      );
      CREATE TRIGGER owner_lookup_audit_is_append_only_update BEFORE UPDATE ON owner_lookup_audit
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_audit is append-only'); END;
      CREATE TRIGGER owner_lookup_audit_is_append_only_delete BEFORE DELETE ON owner_lookup_audit
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_audit is append-only'); END;

      CREATE TABLE lot_owners (
        ownership_id TEXT NOT NULL,
        tomt_id TEXT NOT NULL,
        record_id TEXT,
        job_id INTEGER NOT NULL,
        parcel TEXT NOT NULL,
        matrikkel_person_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        organisasjonsnummer TEXT,
        share TEXT,
        role TEXT NOT NULL,
        registered INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        current INTEGER NOT NULL,
        PRIMARY KEY (ownership_id, tomt_id)
      );
      CREATE INDEX lot_owners_by_lot ON lot_owners (tomt_id, current);

      CREATE TABLE owner_retention_marks (
        tomt_id TEXT PRIMARY KEY,
        record_id TEXT,
        first_seen_at TEXT NOT NULL,
        erased_at TEXT
      );

      CREATE TABLE owner_webhook_signatures (
        signature TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `);
  },
};
