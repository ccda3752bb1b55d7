import type { LotReader } from '../server/lots-api.js';
import type { Db } from '../store/database.js';
import { activeLots, getLot } from '../store/lots.js';

/** The map's lots, read from the store. */
export function storeLotReader(db: Db): LotReader {
  return { active: () => activeLots(db), byId: (tomtId) => getLot(db, tomtId) };
}
