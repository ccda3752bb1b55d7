import type { Migration } from './index.js';

/**
 * Phase 1 drives phase 2 (issue 12): the dated record of kommuner entering and leaving the top 50,
 * and the team's last known pins (always / never in the nightly run) as last read from the CRM.
 *
 * Rankings stored before this migration get their changes now, refresh by refresh (the first
 * successful refresh: every flagged kommune enters), so the record starts with the first ranking.
 */
export const migration210KommuneSelection: Migration = {
  version: 210,
  name: 'kommune top-50 changes and the team pins of kommuner',
  up(db) {
    db.exec(`
      CREATE TABLE kommune_top_change (
        refresh_id INTEGER NOT NULL REFERENCES kommune_refresh (id) ON DELETE CASCADE,
        kommunenummer TEXT NOT NULL,
        navn TEXT NOT NULL,
        at TEXT NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('entered', 'left')),
        rank INTEGER,
        previous_rank INTEGER,
        PRIMARY KEY (refresh_id, kommunenummer)
      );
      CREATE INDEX kommune_top_change_kommune ON kommune_top_change (kommunenummer, refresh_id);

      CREATE TABLE kommune_pin (
        kommunenummer TEXT PRIMARY KEY,
        pin TEXT NOT NULL CHECK (pin IN ('always', 'never'))
      );
      CREATE TABLE kommune_pin_read (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        read_at TEXT NOT NULL
      );
    `);
    const refreshes = db
      .prepare(`SELECT id, finished_at FROM kommune_refresh WHERE status = 'ok' ORDER BY id`)
      .all() as Array<{ id: number; finished_at: string }>;
    let previous = -1;
    for (const refresh of refreshes) {
      insertChanges.forEach((sql) =>
        db.prepare(sql).run({ refresh: refresh.id, previous, at: refresh.finished_at }),
      );
      previous = refresh.id;
    }
  },
};

/** The changes between two refreshes (kept here as they were: a migration never changes). */
const insertChanges = [
  `INSERT INTO kommune_top_change (refresh_id, kommunenummer, navn, at, change, rank, previous_rank)
   SELECT @refresh, s.kommunenummer, s.navn, @at, 'entered', s.rank, p.rank
   FROM kommune_score s LEFT JOIN kommune_score p ON p.refresh_id = @previous AND p.kommunenummer = s.kommunenummer
   WHERE s.refresh_id = @refresh AND s.top = 1 AND COALESCE(p.top, 0) = 0`,
  `INSERT INTO kommune_top_change (refresh_id, kommunenummer, navn, at, change, rank, previous_rank)
   SELECT @refresh, p.kommunenummer, COALESCE(s.navn, p.navn), @at, 'left', s.rank, p.rank
   FROM kommune_score p LEFT JOIN kommune_score s ON s.refresh_id = @refresh AND s.kommunenummer = p.kommunenummer
   WHERE p.refresh_id = @previous AND p.top = 1 AND COALESCE(s.top, 0) = 0`,
];
