import type { Db } from './database.js';

/**
 * One line per owner lookup: when, who asked, which lot and parcels, for what purpose, and the
 * outcome. It never holds owner names (the outcome counts them). The table refuses UPDATE and
 * DELETE (triggers in migration 300), so the log is append-only.
 */
export interface AuditEntry {
  at: string;
  jobId: number;
  tomtId: string;
  recordId: string | null;
  /** "3218-12/34, 3218-12/35" */
  parcels: string;
  /** Who asked; several people joining one lookup are listed in order, separated by "; ". */
  requestedBy: string;
  purpose: string;
  outcome: 'done' | 'failed' | 'not-configured';
  ownerCount: number | null;
  detail: string | null;
}

interface AuditRow {
  at: string;
  job_id: number;
  tomt_id: string;
  record_id: string | null;
  parcels: string;
  requested_by: string;
  purpose: string;
  outcome: AuditEntry['outcome'];
  owner_count: number | null;
  detail: string | null;
}

export function appendAudit(db: Db, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO owner_lookup_audit
     (at, job_id, tomt_id, record_id, parcels, requested_by, purpose, outcome, owner_count, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.at,
    entry.jobId,
    entry.tomtId,
    entry.recordId,
    entry.parcels,
    entry.requestedBy,
    entry.purpose,
    entry.outcome,
    entry.ownerCount,
    entry.detail,
  );
}

export function listAudit(db: Db, filter: { tomtIds?: string[]; since?: string } = {}): AuditEntry[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.tomtIds) {
    // An empty list gives `tomt_id IN ()`, which SQLite accepts and which matches nothing.
    where.push(`tomt_id IN (${filter.tomtIds.map(() => '?').join(', ')})`);
    args.push(...filter.tomtIds);
  }
  if (filter.since) {
    where.push('at >= ?');
    args.push(filter.since);
  }
  const rows = db
    .prepare(
      `SELECT * FROM owner_lookup_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
    )
    .all(...args) as AuditRow[];
  return rows.map((row) => ({
    at: row.at,
    jobId: row.job_id,
    tomtId: row.tomt_id,
    recordId: row.record_id,
    parcels: row.parcels,
    requestedBy: row.requested_by,
    purpose: row.purpose,
    outcome: row.outcome,
    ownerCount: row.owner_count,
    detail: row.detail,
  }));
}

/**
 * One line per run of the Matrikkel calls of a lookup (an attempt), written before the calls in
 * the transaction that claims the job (table `owner_lookup_calls`, append-only by triggers in
 * migration 310). A lookup retried, or taken over from a dead process, has one line per run; its
 * outcome is in the lookup's line above.
 */
export interface CallLine {
  at: string;
  jobId: number;
  attempt: number;
  tomtId: string;
  parcels: string;
  requestedBy: string;
  purpose: string;
  /** The process lease the calls ran under. */
  leaseHolder: string;
}

export function appendCallLine(db: Db, line: CallLine): void {
  db.prepare(
    `INSERT INTO owner_lookup_calls (at, job_id, attempt, tomt_id, parcels, requested_by, purpose, lease_holder)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    line.at,
    line.jobId,
    line.attempt,
    line.tomtId,
    line.parcels,
    line.requestedBy,
    line.purpose,
    line.leaseHolder,
  );
}

export function listCallLines(db: Db, filter: { jobId?: number } = {}): CallLine[] {
  return db
    .prepare(
      `SELECT at, job_id AS jobId, attempt, tomt_id AS tomtId, parcels, requested_by AS requestedBy, purpose,
         lease_holder AS leaseHolder
       FROM owner_lookup_calls ${filter.jobId !== undefined ? 'WHERE job_id = ?' : ''} ORDER BY id`,
    )
    .all(...(filter.jobId !== undefined ? [filter.jobId] : [])) as CallLine[];
}
