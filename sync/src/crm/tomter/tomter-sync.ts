import type { AirtableRules } from '../../config/airtable-rules.js';
import type { TrackedLot } from '../../lot-record/lifecycle.js';
import type { SyncedRecordStore } from '../../store/airtable-records.js';
import type { Logger } from '../../util/logger.js';
import type { Progress } from '../../util/progress.js';
import type { AirtableRecordsClient } from '../airtable/types.js';
import { fieldRef, formulaString } from '../airtable/formula.js';
import { TomterField, tomterTable } from '../schema/tomter.js';
import { syncTable, type DesiredRecord, type TableSyncResult } from '../sync/table-sync.js';
import { tomterCellsOf } from './cells.js';
import { desiredTomterRecord, type PolicyDecision } from './desired.js';
import { belowPolicy, mayCreateRecord, meetsMinTier } from './policy.js';
import { readTouchedKeys } from './touched.js';

export interface KommuneLotSync {
  result: TableSyncResult;
  /** Vanished lots whose record got Utgått dato/årsak (and Status "Utgått" when it was "Ny"). */
  markedGone: number;
  /** Current lots below the policy that Airtable has no record of: kept out (store and map only). */
  leftOut: number;
  /** Current lots below the policy that have a record: kept, updated and marked "Under terskel". */
  markedBelow: number;
}

export interface KommuneLotSyncOptions {
  client: AirtableRecordsClient;
  state: SyncedRecordStore;
  kommunenummer: string;
  /** Every lot of the kommune the store knows, active and vanished. */
  lots: readonly TrackedLot[];
  /** Which lots get a record (the rule file's `airtable` section). */
  policy: AirtableRules;
  /** Asked before any record is created: false holds back all of the kommune's new lots. */
  admitCreates?: (count: number) => Promise<boolean>;
  timeZone: string;
  dryRun?: boolean;
  logger?: Logger;
  progress?: Progress;
}

/**
 * Brings one kommune's lots into Airtable's Tomter table (the generic table sync, scoped to the
 * kommune's records), as the policy decides: new records only for lots worth working, every
 * existing record kept up to date, below-policy ones marked.
 */
export async function syncKommuneLots(options: KommuneLotSyncOptions): Promise<KommuneLotSync> {
  const scopeFormula = `${fieldRef(TomterField.kommunenummer)}=${formulaString(options.kommunenummer)}`;
  const touched = await touchedKeys(options, scopeFormula);
  const decisions = new Map(
    options.lots.map((lot) => [lot.record.tomtId, decisionFor(lot, touched, options.policy)]),
  );
  const result = await syncTable({
    client: options.client,
    state: options.state,
    spec: tomterTable,
    desired: desiredRecordsOf(options, decisions),
    scopeFormula,
    admitCreates: options.admitCreates,
    label: `Airtable Tomter ${options.kommunenummer}`,
    dryRun: options.dryRun,
    logger: options.logger,
    progress: options.progress,
  });
  const vanished = new Set(options.lots.filter((l) => l.state === 'vanished').map((l) => l.record.tomtId));
  const markedGone = result.updated.filter((key) => vanished.has(key)).length;
  return { result, markedGone, ...policyCounts(decisions, result) };
}

function decisionFor(lot: TrackedLot, touched: Set<string>, policy: AirtableRules): PolicyDecision {
  return {
    create: mayCreateRecord(lot, policy),
    belowPolicy: belowPolicy(lot, touched.has(lot.record.tomtId), policy),
  };
}

/**
 * Which of the kommune's records the team has touched, read only when it matters: when touched
 * records are kept and some current lot under the minimum tier has, or may have, a record (the
 * store remembers the lots Airtable has no record of).
 */
async function touchedKeys(options: KommuneLotSyncOptions, scopeFormula: string): Promise<Set<string>> {
  if (!options.policy.keepTouched) return new Set();
  const below = options.lots
    .filter((lot) => lot.state === 'active' && !meetsMinTier(lot.record.score.tier, options.policy))
    .map((lot) => lot.record.tomtId);
  const stored = options.state.get(tomterTable.name, below);
  const mayHaveRecord = below.some((key) => stored.get(key)?.recordId !== '');
  return mayHaveRecord ? readTouchedKeys(options.client, scopeFormula) : new Set();
}

function desiredRecordsOf(
  options: KommuneLotSyncOptions,
  decisions: Map<string, PolicyDecision>,
): DesiredRecord[] {
  const withoutGeometry: string[] = [];
  const desired = options.lots.map((lot) => {
    const cells = tomterCellsOf(lot.record);
    if (cells[TomterField.geometri] === null) withoutGeometry.push(lot.record.tomtId);
    return desiredTomterRecord(lot, cells, options.timeZone, decisions.get(lot.record.tomtId));
  });
  if (withoutGeometry.length)
    options.logger?.warn('Lots too detailed for Airtable even when simplified: Geometri left empty', {
      kommune: options.kommunenummer,
      lots: withoutGeometry.slice(0, 5).join(','),
      count: withoutGeometry.length,
    });
  return desired;
}

function policyCounts(
  decisions: Map<string, PolicyDecision>,
  result: TableSyncResult,
): Pick<KommuneLotSync, 'leftOut' | 'markedBelow'> {
  const absent = new Set(result.notInAirtable);
  let leftOut = 0;
  let markedBelow = 0;
  for (const [key, decision] of decisions) {
    if (decision.belowPolicy === null || decision.create) continue;
    if (absent.has(key)) leftOut += 1;
    else if (decision.belowPolicy) markedBelow += 1;
  }
  return { leftOut, markedBelow };
}
