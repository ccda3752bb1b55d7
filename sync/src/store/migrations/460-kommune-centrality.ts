import type { Migration } from './index.js';

/**
 * SSB's centrality class per kommune (KLASS 128 "Standard for sentralitet", read through the
 * correspondence from the kommune classification 131), fetched with the kommune ranking; the lot
 * score's capacity picks its density class from it (issue 16).
 */
export const migration460KommuneCentrality: Migration = {
  version: 460,
  name: 'kommune centrality class (SSB KLASS 128)',
  up(db) {
    db.exec(`
      CREATE TABLE kommune_centrality (
        kommunenummer TEXT PRIMARY KEY CHECK (length(kommunenummer) = 4),
        klasse INTEGER NOT NULL CHECK (klasse BETWEEN 1 AND 6),
        klasse_navn TEXT,
        gjelder_dato TEXT NOT NULL,
        hentet TEXT NOT NULL
      );
    `);
  },
};
