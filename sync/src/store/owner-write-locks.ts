import type { Db } from './database.js';

/**
 * Locks on the Eiere records (by Eier-ID) a lookup is writing. Airtable replaces a link array on
 * write, so reading an owner's lot links and writing them back must never overlap with another
 * writer of the same record, in this process or another on the same store. All of a lookup's
 * keys are taken at once or none, so two lookups never hold half of each other's keys.
 */
export function tryLockOwnerRecords(
  db: Db,
  keys: string[],
  holder: string,
  now: Date,
  ttlMs: number,
): boolean {
  const at = now.toISOString();
  const lock = db.transaction((): boolean => {
    const held = db.prepare('SELECT holder FROM owner_write_locks WHERE key = ? AND expires_at > ?');
    for (const key of keys) {
      const row = held.get(key, at) as { holder: string } | undefined;
      if (row && row.holder !== holder) return false;
    }
    const take = db.prepare(
      `INSERT INTO owner_write_locks (key, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
    );
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    for (const key of keys) take.run(key, holder, expires);
    return true;
  });
  return lock.immediate();
}

export function unlockOwnerRecords(db: Db, holder: string): void {
  db.prepare('DELETE FROM owner_write_locks WHERE holder = ?').run(holder);
}

/** Releases some of a holder's locks (the ones it no longer needs), keeping the rest. */
export function unlockSomeOwnerRecords(db: Db, holder: string, keys: string[]): void {
  const release = db.prepare('DELETE FROM owner_write_locks WHERE holder = ? AND key = ?');
  db.transaction(() => {
    for (const key of keys) release.run(holder, key);
  })();
}
