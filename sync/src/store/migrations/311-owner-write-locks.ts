import type { Migration } from './index.js';

/**
 * No lost owner link (issue 14, point 1): Airtable replaces a link array on write, so the
 * read-links-then-write of one Eiere record must never overlap with another. A lookup holds a
 * lock on every Eier-ID it writes (across processes, as the store is shared), with an expiry so a
 * holder that died frees them.
 */
export const migration311OwnerWriteLocks: Migration = {
  version: 311,
  name: 'owner lookup: locks on the Eiere records a lookup is writing',
  up(db) {
    db.exec(`
      CREATE TABLE owner_write_locks (
        key TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX owner_write_locks_by_holder ON owner_write_locks (holder);
    `);
  },
};
