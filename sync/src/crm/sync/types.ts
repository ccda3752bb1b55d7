import type { SyncedRecordStore } from '../../store/airtable-records.js';
import type { Logger } from '../../util/logger.js';
import type { Progress } from '../../util/progress.js';
import type { AirtableFields, AirtableRecordsClient } from '../airtable/types.js';
import type { TableSpec } from '../schema/types.js';

/**
 * A write to a team field that happens only while the field still holds one of `onlyIf` (null =
 * empty), e.g. Status → "Utgått" only while Status is "Ny". Done once: afterwards the team's value
 * stands.
 */
export interface GuardedWrite {
  field: string;
  value: unknown;
  onlyIf: Array<string | null>;
}

/** What one record of a table should hold, in the fields the sync owns. */
export interface DesiredRecord {
  /** The merge-field (primary field) value. */
  key: string;
  /** Sync-owned fields; null or "" clears a cell. Written when their value changes. */
  fields: AirtableFields;
  /** Sync-owned fields sent along whenever the record is written, never a reason to write it. */
  companions?: AirtableFields;
  /** Team-owned starting values, sent only when the record is created. */
  onCreate?: AirtableFields;
  guarded?: GuardedWrite[];
  /** false: update the record when Airtable has it, never create it. */
  create?: boolean;
}

export interface PlannedWrite {
  key: string;
  kind: 'create' | 'update';
  recordId: string | null;
  /** What is sent (changed fields, companions, onCreate and applied guarded values). */
  fields: AirtableFields;
  changedFields: string[];
  guardsApplied: GuardedWrite[];
  /** Field hashes the store holds once the write succeeded. */
  hashes: Record<string, string>;
  /**
   * Field hashes the store holds while the write is under way: what is being sent is marked
   * unknown, so a crash after Airtable applied the write but before its answer was stored makes
   * the next sync send those fields again instead of trusting a stale hash.
   */
  pendingHashes: Record<string, string>;
}

/** A record reported as not written, with the reason. */
export interface FailedRecord {
  key: string;
  message: string;
}

export interface TableSyncResult {
  table: string;
  created: string[];
  updated: string[];
  unchanged: number;
  /** Keys that Airtable lacks and that were not to be created. */
  notInAirtable: string[];
  /** Keys that were to be created but were held back, all together (`admitCreates` said no). */
  heldBack: string[];
  guardsApplied: Array<{ key: string; field: string; value: unknown }>;
  failed: FailedRecord[];
  /** Every write, planned or done (the dry run prints these). */
  writes: PlannedWrite[];
}

export interface TableSyncOptions {
  client: AirtableRecordsClient;
  state: SyncedRecordStore;
  spec: TableSpec;
  desired: DesiredRecord[];
  /** Narrows look-ups to the part of the table these records live in, e.g. `{Kommunenummer}='3218'`. */
  scopeFormula?: string;
  /** Read, plan and report; write nothing to Airtable or the store. */
  dryRun?: boolean;
  /** Write requests in flight at once (the client's limiter still spaces them). */
  concurrency?: number;
  /**
   * Asked once, after planning, when the sync would create records: false holds every create of
   * this sync back while updates go on, so its new records are made all together or not at all.
   * A record the team deleted is then not made again either.
   */
  admitCreates?: (count: number) => Promise<boolean>;
  logger?: Logger;
  progress?: Progress;
  label?: string;
  now?: () => string;
}
