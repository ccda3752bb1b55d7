import type { TrackedLot } from '../../lot-record/lifecycle.js';
import type { SyncedRecordStore } from '../../store/airtable-records.js';
import type { Logger } from '../../util/logger.js';
import type { Progress } from '../../util/progress.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { fieldRef, formulaString } from '../airtable/formula.js';
import { TomterField, tomterTable } from '../schema/tomter.js';
import { syncTable, type DesiredRecord, type TableSyncResult } from '../sync/table-sync.js';
import { tomterCellsOf } from './cells.js';
import { desiredTomterRecord } from './desired.js';

export interface KommuneLotSync {
  result: TableSyncResult;
  /** Vanished lots whose record got Utgått dato/årsak (and Status "Utgått" when it was "Ny"). */
  markedGone: number;
}

export interface KommuneLotSyncOptions {
  client: AirtableRecordsClient;
  state: SyncedRecordStore;
  kommunenummer: string;
  /** Every lot of the kommune the store knows, active and vanished. */
  lots: readonly TrackedLot[];
  timeZone: string;
  dryRun?: boolean;
  logger?: Logger;
  progress?: Progress;
}

/**
 * Brings one kommune's lots into Airtable's Tomter table (the generic table sync, scoped to the
 * kommune's records).
 */
export async function syncKommuneLots(options: KommuneLotSyncOptions): Promise<KommuneLotSync> {
  const desired = desiredRecordsOf(options);
  const result = await syncTable({
    client: options.client,
    state: options.state,
    spec: tomterTable,
    desired,
    scopeFormula: `${fieldRef(TomterField.kommunenummer)}=${formulaString(options.kommunenummer)}`,
    label: `Airtable Tomter ${options.kommunenummer}`,
    dryRun: options.dryRun,
    logger: options.logger,
    progress: options.progress,
  });
  const vanished = new Set(options.lots.filter((l) => l.state === 'vanished').map((l) => l.record.tomtId));
  const markedGone = result.updated.filter((key) => vanished.has(key)).length;
  return { result, markedGone };
}

function desiredRecordsOf(options: KommuneLotSyncOptions): DesiredRecord[] {
  const withoutGeometry: string[] = [];
  const desired = options.lots.map((lot) => {
    const cells = tomterCellsOf(lot.record);
    if (cells[TomterField.geometri] === null) withoutGeometry.push(lot.record.tomtId);
    return desiredTomterRecord(lot, cells, options.timeZone);
  });
  if (withoutGeometry.length)
    options.logger?.warn('Lots too detailed for Airtable even when simplified: Geometri left empty', {
      kommune: options.kommunenummer,
      lots: withoutGeometry.slice(0, 5).join(','),
      count: withoutGeometry.length,
    });
  return desired;
}
