import { messageOf } from '../util/errors.js';

/** Whether an error is SQLite refusing a read or write (full disk, I/O error, busy, read-only …). */
export function isStoreFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && code.startsWith('SQLITE_')) ||
    (error as Error | null)?.name === 'UncommittedWriteError'
  );
}

/** A store failure named for the operator: the SQLite code says whether the disk is full. */
export function storeFailureReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') return `the disk holding the store is full (SQLITE_FULL): ${messageOf(error)}`;
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
    return `the store cannot write to its disk (${code}): ${messageOf(error)}`;
  return typeof code === 'string' ? `${code}: ${messageOf(error)}` : messageOf(error);
}
