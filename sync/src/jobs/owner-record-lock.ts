import type { Db } from '../store/database.js';
import { tryLockOwnerRecords, unlockOwnerRecords } from '../store/owner-write-locks.js';

export interface OwnerRecordLockOptions {
  /** Who holds the locks (this process's lease and the job), for the store's bookkeeping. */
  holder: string;
  signal?: AbortSignal;
  now?: () => Date;
  /** A holder that died frees its locks after this long. */
  ttlMs?: number;
  /** How often a waiting writer looks again. */
  pollMs?: number;
}

/**
 * Runs `write` holding the locks on these Eiere records (Eier-IDs), waiting while another writer
 * holds any of them: the read-links-then-write of one owner record is serialised whatever the
 * concurrency, across processes too. The locks go when `write` ends, however it ends.
 */
export async function withOwnerRecordLocks<T>(
  db: Db,
  keys: string[],
  options: OwnerRecordLockOptions,
  write: () => Promise<T>,
): Promise<T> {
  if (keys.length === 0) return write();
  await lockOwnerRecords(db, keys, options);
  try {
    return await write();
  } finally {
    unlockOwnerRecords(db, options.holder);
  }
}

/** Takes the locks on these Eiere records for `holder`, waiting while another holder has any of them. */
export async function lockOwnerRecords(
  db: Db,
  keys: string[],
  options: OwnerRecordLockOptions,
): Promise<void> {
  const now = options.now ?? (() => new Date());
  const sorted = [...new Set(keys)].sort();
  while (!tryLockOwnerRecords(db, sorted, options.holder, now(), options.ttlMs ?? LOCK_TTL_MS)) {
    options.signal?.throwIfAborted();
    await waitFor(options.pollMs ?? 25, options.signal);
  }
}

/** A holder that died frees its locks after this long. */
export const LOCK_TTL_MS = 120_000;

function waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
