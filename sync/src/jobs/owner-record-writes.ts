import type { OwnerLookupWriter, OwnerRecordLinks, OwnersToWrite } from '../crm/owners/writer.js';
import type { Db } from '../store/database.js';
import {
  tryLockOwnerRecords,
  unlockOwnerRecords,
  unlockSomeOwnerRecords,
} from '../store/owner-write-locks.js';
import { knownOwnershipIds } from '../store/owners.js';
import { unique } from '../util/collections.js';
import { createCoalescer } from '../util/coalescer.js';
import { LOCK_TTL_MS, lockOwnerRecords } from './owner-record-lock.js';

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
  /**
   * How long the locks on records just written are kept (default 2 s): a lookup of another lot on
   * the same property within that time writes them without reading their links again.
   */
  keepLocksMs?: number;
}

export interface OwnerRecordWrites {
  write(write: OwnerRecordWrite): Promise<void>;
  /** Releases the locks kept (on stop, so a restarted service need not wait for them to expire). */
  release(): void;
}

/** See OwnerRecordWritesOptions.keepLocksMs. */
export const KEEP_LOCKS_MS = 2_000;

/**
 * The Eiere writes of all lookups in this process, coalesced: while one batch is being written,
 * the lookups that finish wait and then go together, holding the locks on all their Eiere records
 * (across processes too); an owner several of them hold is written once with all their lots
 * linked. The locks on the records written are kept a moment after (keepLocksMs): while they are
 * held no other writer of this service can change those records, so their links are the ones
 * this process wrote, and the next lot of the same property adds its link without a read.
 */
export function createOwnerRecordWrites(options: OwnerRecordWritesOptions): OwnerRecordWrites {
  const { db } = options;
  const holder = `${options.holder}/owners`;
  const keepMs = options.keepLocksMs ?? KEEP_LOCKS_MS;
  /** The records written while the locks have been held since: what their links are now. */
  let held = new Map<string, OwnerRecordLinks>();
  /** When each lock this process holds was last taken (for a batch). */
  let lockedAt = new Map<string, number>();
  let releaseTimer: NodeJS.Timeout | undefined;

  function release(): void {
    clearTimeout(releaseTimer);
    held = new Map();
    lockedAt = new Map();
    try {
      unlockOwnerRecords(db, holder);
    } catch {
      // A store that cannot be written: the locks expire on their own (LOCK_TTL_MS).
    }
  }

  /** All of the batch's locks; never waits while holding kept ones (two processes would wait on each other). */
  async function lock(keys: string[], waiting: OwnerRecordWrite[]): Promise<void> {
    clearTimeout(releaseTimer);
    releaseIdle(keys);
    if (!tryLockOwnerRecords(db, [...keys].sort(), holder, options.now(), LOCK_TTL_MS)) {
      release();
      await lockOwnerRecords(db, keys, { holder, now: options.now, signal: whenAllAborted(waiting) });
    }
    const at = options.now().getTime();
    for (const key of keys) lockedAt.set(key, at);
  }

  /** While busy with other records, a kept lock goes after keepMs as when idle (others may wait for it). */
  function releaseIdle(keys: string[]): void {
    const before = options.now().getTime() - keepMs;
    const batch = new Set(keys);
    const idle = [...lockedAt].filter(([key, at]) => at < before && !batch.has(key)).map(([key]) => key);
    if (idle.length === 0) return;
    unlockSomeOwnerRecords(db, holder, idle);
    for (const key of idle) {
      lockedAt.delete(key);
      held.delete(key);
    }
  }

  const write = createCoalescer<OwnerRecordWrite>(async (waiting) => {
    const live = waiting.filter((w) => !w.signal.aborted);
    const keys = unique(
      live.flatMap((w) => [...w.owners.ownerships.map((o) => o.id), ...w.owners.formerIds]),
    );
    const outcomes = new Map<OwnerRecordWrite, unknown>();
    if (live.length > 0) {
      try {
        await lock(keys, live);
        const writes = live.filter((w) => !w.signal.aborted);
        const known = knownOwnershipIds(db, keys);
        for (const [w, outcome] of await writeAllOrEachAlone(options.writer, writes, known, held))
          outcomes.set(w, outcome);
      } catch (error) {
        release();
        throw error;
      }
      releaseTimer = setTimeout(release, keepMs);
      releaseTimer.unref();
    }
    return waiting.map((w) => (outcomes.has(w) ? outcomes.get(w) : abortReason(w.signal)));
  });
  return { write, release };
}

/**
 * All lots in one write; if Airtable refuses it, each lot alone, so one bad lot fails only its own
 * lookup. A refused batch may have written some records already, so the lots alone read all
 * their owners' links first (a record the store does not know of yet may now exist), and the
 * records are no longer taken as known. `held` is updated with what was written.
 */
async function writeAllOrEachAlone(
  writer: OwnerLookupWriter,
  writes: OwnerRecordWrite[],
  known: Set<string>,
  held: Map<string, OwnerRecordLinks>,
): Promise<Map<OwnerRecordWrite, unknown>> {
  const outcomes = new Map<OwnerRecordWrite, unknown>();
  try {
    const written = await writer.writeOwnerRecordsFor(
      writes.map((w) => withPossiblyExisting(w, known)),
      held,
    );
    for (const [id, record] of written) held.set(id, record);
  } catch (error) {
    for (const w of writes) for (const o of w.owners.ownerships) held.delete(o.id);
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

/** Aborts once every one of them is aborted (a batch stops waiting only when none of it wants to go on). */
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
