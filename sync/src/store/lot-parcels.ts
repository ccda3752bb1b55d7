import type { LocalLotParcelsLookup, LotParcels, LotParcelsLookup } from '../domain/lot-parcels.js';
import type { Db } from './database.js';
import { getLot } from './lots.js';

/**
 * The owner lookup's view of a lot, read from the store: its parcels (from the stored lot) and
 * its Airtable record id (from the sync's bookkeeping). A local read, as the webhook needs.
 * `table` is the Airtable table the lots are synced to (Tomter).
 */
export function createStoreLotParcelsLookup(db: Db, table: string): LotParcelsLookup {
  return storeLotParcels(db, table);
}

/** The same lookup, typed as the local read it is (for the scheduled jobs, which do not await it). */
export function storeLotParcels(db: Db, table: string): LocalLotParcelsLookup {
  const recordIdOf = db.prepare('SELECT record_id FROM airtable_records WHERE table_name = ? AND key = ?');
  const keyOf = db.prepare('SELECT key FROM airtable_records WHERE table_name = ? AND record_id = ?');
  const byTomtId = (tomtId: string): LotParcels | null => {
    const stored = getLot(db, tomtId);
    if (!stored) return null;
    const row = recordIdOf.get(table, tomtId) as { record_id: string } | undefined;
    return {
      tomtId,
      recordId: row?.record_id || null,
      kommunenummer: stored.kommunenummer,
      matrikkelenheter: stored.record.matrikkelenheter,
      matrikkelenhetId: stored.record.matrikkelenhetId,
    };
  };
  return {
    byTomtId,
    byRecordId(recordId) {
      if (!recordId) return null;
      const row = keyOf.get(table, recordId) as { key: string } | undefined;
      return row ? byTomtId(row.key) : null;
    },
  };
}
