import type { Migration } from './index.js';

/**
 * Plan evidence for Byggevilje (issue 12, point 3): per scanned kommune, the latest good nightly
 * run's figures on its own plans (recently regulated housing land, the kommuneplan's reserve). One
 * row per kommune, replaced by each run that measured it; a failed run leaves the row as it was.
 */
export const migration250KommunePlanEvidence: Migration = {
  version: 250,
  name: 'kommune plan evidence from the nightly run',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS kommune_plan_evidence (
        kommunenummer TEXT PRIMARY KEY,
        run_id INTEGER,
        run_date TEXT NOT NULL,
        years INTEGER NOT NULL CHECK (years > 0),
        recently_regulated_m2 REAL NOT NULL CHECK (recently_regulated_m2 >= 0),
        reserve_m2 REAL NOT NULL CHECK (reserve_m2 >= 0)
      );
    `);
  },
};
