import type { OwnerLookupWriter, OwnersToWrite } from '../crm/owners/writer.js';
import type { Db } from '../store/database.js';
import { knownOwnershipIds } from '../store/owners.js';
import { unique } from '../util/collections.js';
import { createCoalescer } from '../util/coalescer.js';
import { withOwnerRecordLocks } from './owner-record-lock.js';

export interface OwnerRecordWrite {
  recordId: string;
  owners: Omit<OwnersToWrite, 'possiblyExisting'>;
  signal: AbortSignal;
  /** Runs while the locks are still held, once the Eiere records are written (the store learns of the owners). */
  afterWrite: () => void;
}

export interface OwnerRecordWritesOptions {
  db: Db;
  writer: OwnerLookupWriter;
  /** This process's lock holder name (the queue's lease holder). */
  holder: string;
  now: () => Date;
}

/**
 * The Eiere writes of all lookups in this process, coalesced: while one batch is being written,
 * the lookups that finish wait and then go together, holding the locks on all their Eiere records
 * (so across processes nothing changes); an owner several of them hold is written once with all
 * their lots linked. Lookups on one property that overlap thus share one read and one upsert
 * instead of taking turns on the record.
 */
export function createOwnerRecordWrites(
  options: OwnerRecordWritesOptions,
): (write: OwnerRecordWrite) => Promise<void> {
  let batches = 0;
  return createCoalescer<OwnerRecordWrite>(async (waiting) => {
    const live = waiting.filter((w) => !w.signal.aborted);
    const keys = unique(
      live.flatMap((w) => [...w.owners.ownerships.map((o) => o.id), ...w.owners.formerIds]),
    );
    const outcomes = new Map<OwnerRecordWrite, unknown>();
    if (live.length > 0) {
      await withOwnerRecordLocks(
        options.db,
        keys,
        { holder: `${options.holder}/owners${++batches}`, signal: whenAllAborted(live), now: options.now },
        async () => {
          const writes = live.filter((w) => !w.signal.aborted);
          const known = knownOwnershipIds(options.db, keys);
          for (const [w, outcome] of await writeAllOrEachAlone(options.writer, writes, known))
            outcomes.set(w, outcome);
        },
      );
    }
    return waiting.map((w) => (outcomes.has(w) ? outcomes.get(w) : abortReason(w.signal)));
  });
}

/**
 * All lots in one write; if Airtable refuses it, each lot alone, so one bad lot fails only its own
 * lookup. A refused batch may have written some records already, so the lots alone read all
 * their owners' links first (a record the store does not know of yet may now exist).
 */
async function writeAllOrEachAlone(
  writer: OwnerLookupWriter,
  writes: OwnerRecordWrite[],
  known: Set<string>,
): Promise<Map<OwnerRecordWrite, unknown>> {
  const outcomes = new Map<OwnerRecordWrite, unknown>();
  try {
    await writer.writeOwnerRecordsFor(writes.map((w) => withPossiblyExisting(w, known)));
  } catch (error) {
    if (writes.length === 1) return outcomes.set(writes[0]!, error);
    for (const w of writes) {
      try {
        await writer.writeOwnerRecordsFor([withPossiblyExisting(w, null)]);
      } catch (alone) {
        outcomes.set(w, alone);
        continue;
      }
      outcomes.set(w, storeOutcome(w));
    }
    return outcomes;
  }
  for (const w of writes) outcomes.set(w, storeOutcome(w));
  return outcomes;
}

/** Only owners the store already knows (from some lot) may have an Eiere record whose links to keep; null: read them all. */
function withPossiblyExisting(write: OwnerRecordWrite, known: Set<string> | null) {
  const ids = write.owners.ownerships.map((o) => o.id);
  return {
    recordId: write.recordId,
    owners: { ...write.owners, possiblyExisting: known ? ids.filter((id) => known.has(id)) : ids },
  };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('the owner write was aborted');
}

function storeOutcome(write: OwnerRecordWrite): unknown {
  try {
    write.afterWrite();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Aborts once every one of the signals has (a batch stops waiting only when none of it wants to go on). */
function whenAllAborted(writes: OwnerRecordWrite[]): AbortSignal {
  const signals = writes.map((w) => w.signal);
  const controller = new AbortController();
  const check = () => {
    if (signals.every((s) => s.aborted)) controller.abort(signals[0]?.reason);
  };
  for (const s of signals) s.addEventListener('abort', check, { once: true });
  check();
  return controller.signal;
}
