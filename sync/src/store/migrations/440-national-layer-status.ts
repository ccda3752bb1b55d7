import type { Migration } from './index.js';

/**
 * National constraint layers (issue 16 point 1): what became of each layer for each kommune in
 * its latest run — fetched, failed (with the cause) or not available — so the run report, the
 * health page and a reader of the store can tell "no quick clay here" from "quick clay not checked".
 * One row per kommune and layer, replaced by each run that tried it.
 */
export const migration440NationalLayerStatus: Migration = {
  version: 440,
  name: 'national constraint layer status per kommune',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS national_layer_status (
        kommunenummer TEXT NOT NULL,
        layer TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('fetched', 'failed', 'not-available')),
        cause TEXT,
        features INTEGER NOT NULL CHECK (features >= 0),
        fetched_at TEXT,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (kommunenummer, layer)
      );
    `);
  },
};
