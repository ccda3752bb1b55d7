import type { Migration } from './index.js';

/**
 * Where a ranking's figures came from (issue 12, point 7): `ssb` for a refresh from the SSB API,
 * `snapshot` for the embedded default ranked from the bundled SSB snapshot, with the snapshot's
 * date. A snapshot ranking never counts as a fresh SSB refresh (SSB_REFRESH_DAYS).
 */
export const migration240KommuneSnapshot: Migration = {
  version: 240,
  name: 'kommune ranking source (SSB or the bundled snapshot) and figures date',
  up(db) {
    db.exec(`
      ALTER TABLE kommune_refresh ADD COLUMN source TEXT NOT NULL DEFAULT 'ssb' CHECK (source IN ('ssb', 'snapshot'));
      ALTER TABLE kommune_refresh ADD COLUMN figures_date TEXT;
    `);
  },
};
