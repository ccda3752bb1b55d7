import type { Migration } from './index.js';

/**
 * Owner enrichment (issue 14, point 6): the Enhetsregisteret's answer per organisation number
 * (kept `developers.cacheDays`, so the open API is asked once a week at most), and the lots marked
 * "Utbygger eier" / "Utbygger nabo" with the company.
 */
export const migration351OwnerEnrichment: Migration = {
  version: 351,
  name: 'owner enrichment: Enhetsregisteret answers, Utbygger marks',
  up(db) {
    db.exec(`
      CREATE TABLE enhet_cache (
        organisasjonsnummer TEXT PRIMARY KEY,
        fetched_at TEXT NOT NULL,
        answer TEXT NOT NULL
      );
      CREATE TABLE lot_developer_marks (
        tomt_id TEXT PRIMARY KEY,
        mark TEXT NOT NULL CHECK (mark IN ('eier', 'nabo')),
        organisasjonsnummer TEXT NOT NULL,
        company TEXT NOT NULL,
        marked_at TEXT NOT NULL
      );
    `);
  },
};
