import type { Migration } from './index.js';

/**
 * Change alerts (issue 15): one row per finding, its stable key the primary key so a rerun adds
 * nothing; read by time (the weekly report) and by lot (the map panel). `webhook_sent_at` marks the
 * alerts the incoming webhook has had. `kommune_kommuneplan_seen` keeps, per scanned kommune, the
 * kommuneplaner its last good run saw, so the next run can tell a new one.
 */
export const migration400Alerts: Migration = {
  version: 400,
  name: 'change alerts, and the kommuneplaner each kommune’s last good run saw',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alerts (
        key TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        run_id INTEGER,
        created_at TEXT NOT NULL,
        kommunenummer TEXT NOT NULL,
        lot_id TEXT,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        details TEXT NOT NULL,
        webhook_sent_at TEXT
      );
      CREATE INDEX IF NOT EXISTS alerts_created_at ON alerts (created_at);
      CREATE INDEX IF NOT EXISTS alerts_lot_id ON alerts (lot_id);
      CREATE TABLE IF NOT EXISTS kommune_kommuneplan_seen (
        kommunenummer TEXT PRIMARY KEY,
        plans TEXT NOT NULL,
        run_id INTEGER,
        seen_at TEXT NOT NULL
      );
    `);
  },
};
