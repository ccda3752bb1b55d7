import { hostname } from 'node:os';
import type { Db } from './database.js';

/**
 * Who may run owner lookups: each `start` process holds a lease in the store and renews it on a
 * heartbeat. A running job names the lease it runs under; a job whose lease has expired (its
 * process died or hung) is queued again for whoever is alive. Unlike the nightly run lock, this
 * works without knowing whether a pid is alive, so it also holds across hosts sharing a store.
 */
export interface LeaseHolder {
  holder: string;
  pid: number;
  host: string;
  startedAt: string;
  renewedAt: string;
  expiresAt: string;
}

const expiry = (now: Date, ttlMs: number) => new Date(now.getTime() + ttlMs).toISOString();

/** Takes (or renews) this process's lease; true when the store took the write. */
export function holdLease(db: Db, holder: string, now: Date, ttlMs: number): boolean {
  const at = now.toISOString();
  const result = db
    .prepare(
      `INSERT INTO owner_lookup_leases (holder, pid, host, started_at, renewed_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (holder) DO UPDATE SET renewed_at = excluded.renewed_at, expires_at = excluded.expires_at`,
    )
    .run(holder, process.pid, hostname(), at, at, expiry(now, ttlMs));
  return result.changes === 1;
}

/** Gives the lease up (a clean stop): its jobs are free at once rather than after the expiry. */
export function releaseLease(db: Db, holder: string): void {
  db.prepare('DELETE FROM owner_lookup_leases WHERE holder = ?').run(holder);
}

export function liveLease(db: Db, holder: string, now: Date): boolean {
  return Boolean(
    db
      .prepare('SELECT 1 FROM owner_lookup_leases WHERE holder = ? AND expires_at > ?')
      .get(holder, now.toISOString()),
  );
}

export function leases(db: Db): LeaseHolder[] {
  return db
    .prepare(
      `SELECT holder, pid, host, started_at AS startedAt, renewed_at AS renewedAt, expires_at AS expiresAt
       FROM owner_lookup_leases ORDER BY started_at`,
    )
    .all() as LeaseHolder[];
}

/**
 * Queues again the jobs left running under a lease that has expired (or under none: a store from
 * before leases), and forgets the expired leases. One transaction, so two processes reclaiming at
 * once requeue each job once.
 */
export function reclaimJobsOfExpiredLeases(db: Db, now: Date): number {
  const at = now.toISOString();
  return db.transaction(() => {
    const requeued = db
      .prepare(
        `UPDATE owner_lookup_jobs SET state = 'queued', lease_holder = NULL
         WHERE state = 'running' AND (lease_holder IS NULL OR lease_holder NOT IN
           (SELECT holder FROM owner_lookup_leases WHERE expires_at > ?))`,
      )
      .run(at).changes;
    db.prepare('DELETE FROM owner_lookup_leases WHERE expires_at <= ?').run(at);
    return requeued;
  })();
}

/**
 * At start, jobs left running under this very lease (a queue stopped as by a crash and started
 * again in the same process) are queued again: nothing in this process runs them any more.
 */
export function requeueJobsOfLease(db: Db, holder: string): number {
  return db
    .prepare(
      `UPDATE owner_lookup_jobs SET state = 'queued', lease_holder = NULL WHERE state = 'running' AND lease_holder = ?`,
    )
    .run(holder).changes;
}
