import type { LotReader } from '../server/lots-api.js';
import { alertsOfLot } from '../store/alerts.js';
import type { Db } from '../store/database.js';
import { activeLots, getLot } from '../store/lots.js';

/** The map's lots and their change alerts, read from the store. */
export function storeLotReader(db: Db): LotReader {
  return {
    active: () => activeLots(db),
    byId: (tomtId) => getLot(db, tomtId),
    alertsOf: (tomtId) => alertsOfLot(db, tomtId),
  };
}
