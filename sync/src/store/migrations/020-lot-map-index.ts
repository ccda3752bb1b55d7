import type { Migration } from './index.js';
import { backfillLotMap } from '../lot-map.js';

/**
 * The map index (issue 13, point 3): per lot what the map filters and draws (score, tier,
 * confidence, plans in progress, gnr/bnr, label point), its two simplified lon/lat outlines apart
 * (`lot_map_shape`, so clustering a whole region reads small rows only) and an R*Tree over its
 * lon/lat box, so the map answers by bounding box without reading lot records.
 * `lot_map_version` counts the writes that changed the map; caches key on it. Existing lots are
 * indexed here.
 */
export const migration020LotMapIndex: Migration = {
  version: 20,
  name: 'lot map index (R*Tree) for the map API',
  up(db) {
    db.exec(`
      CREATE TABLE lot_map (
        id INTEGER PRIMARY KEY,
        tomt_id TEXT NOT NULL UNIQUE,
        kommunenummer TEXT NOT NULL,
        kommune_navn TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'vanished')),
        score INTEGER NOT NULL,
        tier TEXT NOT NULL,
        confidence TEXT NOT NULL,
        plan_work INTEGER NOT NULL,
        matrikkel TEXT NOT NULL,
        gnr INTEGER,
        bnr INTEGER,
        lon REAL NOT NULL,
        lat REAL NOT NULL,
        changed_run_id INTEGER,
        changed_at TEXT NOT NULL
      );
      CREATE INDEX lot_map_matrikkel ON lot_map (gnr, bnr);
      CREATE INDEX lot_map_kommune ON lot_map (kommunenummer);
      CREATE TABLE lot_map_shape (
        id INTEGER PRIMARY KEY REFERENCES lot_map (id) ON DELETE CASCADE,
        coarse TEXT NOT NULL,
        fine TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE lot_map_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat);
      CREATE TABLE lot_map_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        generation INTEGER NOT NULL,
        run_id INTEGER,
        changed_at TEXT NOT NULL
      );
    `);
    backfillLotMap(db);
  },
};
