import type { Db } from '../../store/database.js';
import { lotsOfKommune } from '../../store/lots.js';
import { syncedRecordStore } from '../../store/airtable-records.js';
import type { Logger } from '../../util/logger.js';
import type { Progress } from '../../util/progress.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { fieldRef, formulaString } from '../airtable/formula.js';
import { TomterField, tomterTable } from '../schema/tomter.js';
import { syncTable, type TableSyncResult } from '../sync/table-sync.js';
import { desiredTomterRecord } from './desired.js';

export interface KommuneLotSync {
  result: TableSyncResult;
  /** Vanished lots whose record got Utgått dato/årsak (and Status "Utgått" when it was "Ny"). */
  markedGone: number;
}

/**
 * Brings one kommune's lots in the store into Airtable's Tomter table (the generic table sync,
 * scoped to the kommune's records).
 */
export async function syncKommuneLots(options: {
  db: Db;
  client: AirtableRecordsClient;
  kommunenummer: string;
  timeZone: string;
  dryRun?: boolean;
  logger?: Logger;
  progress?: Progress;
}): Promise<KommuneLotSync> {
  const lots = lotsOfKommune(options.db, options.kommunenummer);
  const result = await syncTable({
    client: options.client,
    state: syncedRecordStore(options.db),
    spec: tomterTable,
    desired: lots.map((lot) => desiredTomterRecord(lot, options.timeZone)),
    scopeFormula: `${fieldRef(TomterField.kommunenummer)}=${formulaString(options.kommunenummer)}`,
    label: `Airtable Tomter ${options.kommunenummer}`,
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  const vanished = new Set(lots.filter((l) => l.state === 'vanished').map((l) => l.tomtId));
  const markedGone = result.updated.filter((key) => vanished.has(key)).length;
  return { result, markedGone };
}
