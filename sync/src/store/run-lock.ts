import { hostname } from 'node:os';
import type { Db } from './database.js';

export interface LockHolder {
  pid: number;
  host: string;
  acquiredAt: string;
}

/** Whether a process id is alive on this machine (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A named lock in the store so two processes (the service and a `tomtejakt run`) never run the
 * nightly job at once. A holder that died (kill -9, crash) on this host is taken over; a holder
 * on another host is respected.
 */
export function acquireRunLock(
  db: Db,
  name: string,
  options: { now: string; pid?: number; isAlive?: (pid: number) => boolean },
): { acquired: true } | { acquired: false; holder: LockHolder } {
  const pid = options.pid ?? process.pid;
  const host = hostname();
  const alive = options.isAlive ?? isProcessAlive;
  return db
    .transaction(() => {
      const holder = db
        .prepare('SELECT pid, host, acquired_at AS acquiredAt FROM run_lock WHERE name = ?')
        .get(name) as LockHolder | undefined;
      if (holder && !(holder.host === host && (holder.pid === pid || !alive(holder.pid)))) {
        return { acquired: false as const, holder };
      }
      db.prepare('INSERT OR REPLACE INTO run_lock (name, pid, host, acquired_at) VALUES (?, ?, ?, ?)').run(
        name,
        pid,
        host,
        options.now,
      );
      return { acquired: true as const };
    })
    .immediate();
}

export function releaseRunLock(db: Db, name: string, pid: number = process.pid): void {
  db.prepare('DELETE FROM run_lock WHERE name = ? AND pid = ? AND host = ?').run(name, pid, hostname());
}
