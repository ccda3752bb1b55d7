import type { Migration } from './index.js';

/**
 * One owner of each lookup (issue 14, point 2): every `start` process holds a lease it renews on a
 * heartbeat, and a running job names the lease it runs under, so a second process never takes a
 * job a live one holds and takes a dead one's only after its lease expires. Each run of the
 * Matrikkel calls gets its own append-only audit line (`owner_lookup_calls`), written in the same
 * transaction as the claim, so a call whose line cannot be written is never made. No write path
 * can replace an audit row: `INSERT OR REPLACE` deletes the old row without firing the DELETE
 * trigger, so a BEFORE INSERT trigger refuses any insert that would collide with an existing row.
 */
export const migration310OwnerLookupLeases: Migration = {
  version: 310,
  name: 'owner lookup: process leases, one audit line per Matrikkel call, audit rows never replaced',
  up(db) {
    db.exec(`
      ALTER TABLE owner_lookup_jobs ADD COLUMN lease_holder TEXT;

      CREATE TABLE owner_lookup_leases (
        holder TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        renewed_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );

      CREATE TABLE owner_lookup_calls (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        job_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        tomt_id TEXT NOT NULL,
        parcels TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        purpose TEXT NOT NULL,
        lease_holder TEXT NOT NULL,
        UNIQUE (job_id, attempt)
      );
      CREATE TRIGGER owner_lookup_calls_is_append_only_update BEFORE UPDATE ON owner_lookup_calls
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_calls is append-only'); END;
      CREATE TRIGGER owner_lookup_calls_is_append_only_delete BEFORE DELETE ON owner_lookup_calls
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_calls is append-only'); END;
      CREATE TRIGGER owner_lookup_calls_is_never_replaced BEFORE INSERT ON owner_lookup_calls
      WHEN EXISTS (SELECT 1 FROM owner_lookup_calls
                   WHERE id = NEW.id OR (job_id = NEW.job_id AND attempt = NEW.attempt))
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_calls is append-only: this call already has its line'); END;

      CREATE TRIGGER owner_lookup_audit_is_never_replaced BEFORE INSERT ON owner_lookup_audit
      WHEN EXISTS (SELECT 1 FROM owner_lookup_audit WHERE id = NEW.id OR job_id = NEW.job_id)
      BEGIN SELECT RAISE(ABORT, 'owner_lookup_audit is append-only: this lookup already has its line'); END;
    `);
  },
};
