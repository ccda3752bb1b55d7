import type { Migration } from './index.js';

/**
 * Never stuck (issue 14, point 4): when the sweep first saw a lot waiting in "Forespurt" (or
 * "Pågår") with no live lookup. Airtable keeps no date for a state change, so the sweep notes it;
 * a lot still waiting OWNER_LOOKUP_STUCK_MINUTES later, with no lookup asked for since, is failed
 * with the reason.
 */
export const migration312OwnerLookupStuck: Migration = {
  version: 312,
  name: 'owner lookup: lots seen waiting with no live lookup',
  up(db) {
    db.exec(`
      CREATE TABLE owner_lookup_waiting (
        tomt_id TEXT PRIMARY KEY,
        record_id TEXT NOT NULL,
        first_seen_at TEXT NOT NULL
      );
    `);
  },
};
