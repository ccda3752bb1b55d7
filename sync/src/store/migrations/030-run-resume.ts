import type { Migration } from './index.js';

/**
 * Resumable nightly runs (issue 13, point 1): a run keeps the kommuner it set out to cover, in
 * order, so a run killed half-way can be resumed at its first unfinished kommune; a resuming run
 * names the run it continues. Each kommune's stored lots keep the version of the inputs they were
 * computed from, so a night with no change reads and computes nothing again.
 */
export const migration030RunResume: Migration = {
  version: 30,
  name: 'nightly runs keep their kommune list and what they resume; kommuner their input version',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN kommuner TEXT;
      ALTER TABLE runs ADD COLUMN resumes INTEGER REFERENCES runs(id);
      CREATE TABLE kommune_inputs (
        kommunenummer TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        run_id INTEGER
      );
    `);
  },
};
