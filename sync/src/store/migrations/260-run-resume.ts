import type { Migration } from './index.js';

/**
 * Resumable nightly runs (issue 13, point 1): a run keeps the kommuner it set out to cover, in
 * order, so a run killed half-way can be resumed at its first unfinished kommune; a resuming run
 * names the run it continues.
 */
export const migration260RunResume: Migration = {
  version: 260,
  name: 'nightly runs keep their kommune list and what they resume',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN kommuner TEXT;
      ALTER TABLE runs ADD COLUMN resumes INTEGER REFERENCES runs(id);
    `);
  },
};
