import type { Migration } from './index.js';

/**
 * The shrink guard (issue 17): each kommune's regulated and candidate-zone area at its last good
 * run, and a change held as suspicious ("mistenkelig endring") until a person accepts it.
 */
export const migration040PlanShrinkGuard: Migration = {
  version: 40,
  name: 'plan areas of the last good run per kommune, and suspicious changes held until accepted',
  up(db) {
    db.exec(`
      CREATE TABLE kommune_plan_measure (
        kommunenummer TEXT PRIMARY KEY,
        zone_area_m2 REAL NOT NULL,
        regulated_area_m2 REAL NOT NULL,
        run_id INTEGER,
        measured_at TEXT NOT NULL
      );
      CREATE TABLE kommune_suspect_change (
        kommunenummer TEXT PRIMARY KEY,
        zone_area_m2 REAL NOT NULL,
        regulated_area_m2 REAL NOT NULL,
        reason TEXT NOT NULL,
        run_id INTEGER,
        detected_at TEXT NOT NULL,
        accepted_at TEXT,
        accepted_by TEXT
      );
    `);
  },
};
