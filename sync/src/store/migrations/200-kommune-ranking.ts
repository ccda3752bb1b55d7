import type { Migration } from './index.js';

/** The kommune ranking (issue 5): every refresh is kept, so a change in rank can be shown. */
export const migration200KommuneRanking: Migration = {
  version: 200,
  name: 'kommune ranking refreshes, scores and factors',
  up(db) {
    db.exec(`
      CREATE TABLE kommune_refresh (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
        trigger TEXT NOT NULL,
        kommune_source TEXT,
        requests INTEGER NOT NULL DEFAULT 0,
        tables_json TEXT NOT NULL DEFAULT '[]',
        warnings_json TEXT NOT NULL DEFAULT '[]',
        rules_json TEXT,
        error TEXT
      );
      CREATE INDEX kommune_refresh_status ON kommune_refresh (status, id);

      CREATE TABLE kommune_score (
        refresh_id INTEGER NOT NULL REFERENCES kommune_refresh (id) ON DELETE CASCADE,
        kommunenummer TEXT NOT NULL,
        navn TEXT NOT NULL,
        fylkesnummer TEXT NOT NULL,
        fylkesnavn TEXT,
        score REAL,
        rank INTEGER,
        top INTEGER NOT NULL CHECK (top IN (0, 1)),
        confidence TEXT NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
        weight_share REAL NOT NULL,
        missing_json TEXT NOT NULL,
        PRIMARY KEY (refresh_id, kommunenummer)
      );
      CREATE INDEX kommune_score_kommune ON kommune_score (kommunenummer, refresh_id);

      CREATE TABLE kommune_factor (
        refresh_id INTEGER NOT NULL,
        kommunenummer TEXT NOT NULL,
        factor TEXT NOT NULL,
        weight REAL NOT NULL,
        raw REAL,
        year TEXT,
        normalised REAL,
        points REAL NOT NULL,
        detail_json TEXT NOT NULL,
        missing TEXT,
        PRIMARY KEY (refresh_id, kommunenummer, factor),
        FOREIGN KEY (refresh_id, kommunenummer) REFERENCES kommune_score (refresh_id, kommunenummer) ON DELETE CASCADE
      );
    `);
  },
};
