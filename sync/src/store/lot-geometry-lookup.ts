import { existsSync } from 'node:fs';
import type { AreaGeometry } from '../domain/geometry.js';
import { openStore } from './database.js';
import { getLot } from './lots.js';

/**
 * A lot's EPSG:25833 geometry by tomt_id, read from the store (for `tomtejakt verify`). The store
 * is opened for the one look-up and never created: no store means no lot.
 */
export function createStoreLotGeometryLookup(storePath: () => string) {
  return {
    async geometryOf(tomtId: string): Promise<AreaGeometry | null> {
      const file = storePath();
      if (!existsSync(file)) return null;
      const db = openStore(file);
      try {
        return getLot(db, tomtId)?.record.geometry ?? null;
      } finally {
        db.close();
      }
    },
  };
}
