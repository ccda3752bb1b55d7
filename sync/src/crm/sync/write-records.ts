import PQueue from 'p-queue';
import type { SyncedRecord, SyncedRecordStore } from '../../store/airtable-records.js';
import type { StageProgress } from '../../util/progress.js';
import { MAX_RECORDS_PER_REQUEST } from '../airtable/client.js';
import { AirtableError } from '../airtable/errors.js';
import type { AirtableRecordsClient, UpsertResult } from '../airtable/types.js';
import { createWrite } from './plan.js';
import type { DesiredRecord, FailedRecord, PlannedWrite } from './types.js';

export interface WriteContext {
  client: AirtableRecordsClient;
  state: SyncedRecordStore;
  table: string;
  keyField: string;
  /** The desired records, to re-create one the team deleted. */
  byKey: Map<string, DesiredRecord>;
  concurrency: number;
  /** Whether a record the team deleted may be made again (not when this sync's creates were held back). */
  recreate: boolean;
  progress: StageProgress;
  now: () => string;
}

export interface WriteOutcome {
  created: string[];
  updated: string[];
  /** Records deleted in Airtable that are not to be created again. */
  notInAirtable: string[];
  failed: FailedRecord[];
  /** The error that stopped the writes (not about one record), or null. */
  fatal: unknown;
}

/**
 * Sends the writes by upsert in requests of 10, `concurrency` in flight, storing each request's
 * outcome as soon as it lands. Never throws: an error that is not about one record stops the
 * remaining requests and is returned as `fatal`.
 */
export async function writeRecords(context: WriteContext, writes: PlannedWrite[]): Promise<WriteOutcome> {
  return new RecordWriter(context).writeAll(writes);
}

class RecordWriter {
  private readonly queue: PQueue;
  private readonly created: string[] = [];
  private readonly updated: string[] = [];
  private readonly notInAirtable: string[] = [];
  private readonly failed: FailedRecord[] = [];
  private fatal: unknown = null;

  constructor(private readonly context: WriteContext) {
    this.queue = new PQueue({ concurrency: context.concurrency });
  }

  async writeAll(writes: PlannedWrite[]): Promise<WriteOutcome> {
    // Stryker disable next-line EqualityOperator: a last, empty chunk upserts no record: the client sends no request, and nothing is stored or counted
    for (let i = 0; i < writes.length; i += MAX_RECORDS_PER_REQUEST)
      this.send(writes.slice(i, i + MAX_RECORDS_PER_REQUEST));
    await this.queue.onIdle();
    const { created, updated, notInAirtable, failed, fatal } = this;
    return { created, updated, notInAirtable, failed, fatal };
  }

  private send(chunk: PlannedWrite[]): void {
    void this.queue.add(async () => {
      try {
        if (this.fatal) return;
        await this.sendChunk(chunk);
      } catch (error) {
        this.stop(error);
      }
    });
  }

  private async sendChunk(chunk: PlannedWrite[]): Promise<void> {
    this.markPending(chunk);
    let response: UpsertResult;
    try {
      response = await this.upsert(chunk);
    } catch (error) {
      if (!isRecordRejection(error)) throw error;
      // One bad value or one deleted record rejects the whole request: isolate it.
      if (chunk.length > 1) for (const write of chunk) this.send([write]);
      else this.recordRejected(chunk[0]!, error);
      return;
    }
    this.recordLanded(chunk, response);
  }

  private markPending(chunk: PlannedWrite[]): void {
    // Only known records: a new record has no id to store yet.
    const known = chunk.filter((w) => w.recordId !== null);
    this.context.state.save(
      this.context.table,
      known.map((w) => ({
        key: w.key,
        recordId: w.recordId!,
        fieldHashes: w.pendingHashes,
        syncedAt: this.context.now(),
      })),
    );
  }

  private upsert(chunk: PlannedWrite[]): Promise<UpsertResult> {
    const { client, table, keyField } = this.context;
    // Known records go by id (an upsert never creates for an id); new ones merge on the key.
    return client.upsert(
      table,
      chunk.map((w) => ({
        // A known record goes by id (an upsert never creates for an id); a new one merges on the key.
        ...(w.recordId ? { id: w.recordId } : {}),
        fields: { [keyField]: w.key, ...w.fields },
      })),
      [keyField],
    );
  }

  private recordLanded(chunk: PlannedWrite[], response: UpsertResult): void {
    const ids = new Map<unknown, string>(
      response.records.map((r) => [r.fields[this.context.keyField], r.id]),
    );
    const saved: SyncedRecord[] = [];
    for (const write of chunk) {
      const id = ids.get(write.key);
      if (!id) continue;
      saved.push({ key: write.key, recordId: id, fieldHashes: write.hashes, syncedAt: this.context.now() });
      // A write with a record id only updates that record (Airtable never creates for an id).
      (write.kind === 'create' ? this.created : this.updated).push(write.key);
    }
    this.context.state.save(this.context.table, saved);
    this.context.progress.tick(chunk.length);
  }

  /**
   * A single write Airtable refused. A record deleted in Airtable (by the team) is made again in
   * full when it may be created, and otherwise remembered as absent; anything else is reported.
   */
  private recordRejected(write: PlannedWrite, error: AirtableError): void {
    const deleted =
      write.recordId !== null && (error.status === 404 || error.airtable.type === 'ROW_DOES_NOT_EXIST');
    const record = this.context.byKey.get(write.key)!;
    if (!deleted) this.failed.push({ key: write.key, message: error.message });
    else if (record.create === false || !this.context.recreate) {
      this.context.state.save(this.context.table, [
        { key: write.key, recordId: '', fieldHashes: {}, syncedAt: this.context.now() },
      ]);
      this.notInAirtable.push(write.key);
    } else this.send([createWrite(record)]);
  }

  private stop(error: unknown): void {
    if (this.fatal) return;
    this.fatal = error;
    this.queue.clear();
  }
}

const isRecordRejection = (error: unknown): error is AirtableError =>
  error instanceof AirtableError && (error.status === 422 || error.status === 404);
