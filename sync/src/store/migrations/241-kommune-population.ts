import type { Migration } from './index.js';

/**
 * Market size (issue 12, point 2): each ranked kommune's population and whether it is under the
 * rule file's minimum population for the top 50 (still ranked and shown, marked).
 */
export const migration241KommunePopulation: Migration = {
  version: 241,
  name: 'kommune population and the minimum-population mark',
  up(db) {
    db.exec(`
      ALTER TABLE kommune_score ADD COLUMN population REAL;
      ALTER TABLE kommune_score ADD COLUMN below_min_population INTEGER NOT NULL DEFAULT 0
        CHECK (below_min_population IN (0, 1));
    `);
  },
};
