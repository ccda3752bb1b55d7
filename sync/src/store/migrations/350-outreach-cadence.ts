import type { Migration } from './index.js';

/**
 * Outreach cadence (issue 14, point 7): per lot in "Kontaktet", day 0 (Airtable keeps no date for
 * a status change, so the service notes the day it first sees it), the last step it wrote, and
 * "Neste handling" with its date as last read, for the weekly report's overdue steps.
 */
export const migration350OutreachCadence: Migration = {
  version: 350,
  name: 'outreach cadence: lots in Kontaktet, their day 0, step and next action',
  up(db) {
    db.exec(`
      CREATE TABLE outreach_lots (
        tomt_id TEXT PRIMARY KEY,
        record_id TEXT NOT NULL,
        kommunenummer TEXT,
        started_on TEXT NOT NULL,
        step INTEGER,
        next_action TEXT,
        next_on TEXT,
        next_by_service INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL,
        seen_at TEXT NOT NULL
      );
      CREATE INDEX outreach_lots_due ON outreach_lots (active, next_on);
    `);
  },
};
