import type { Db } from './database.js';

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';
/** `resume`: the service (or `tomtejakt run --resume`) continues a run that was killed or stopped half-way. */
export type RunTrigger = 'schedule' | 'cli' | 'first-start' | 'resume';

export interface RunRow {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  trigger: RunTrigger;
  dryRun: boolean;
  airtable: boolean;
  pid: number | null;
  airtableRequests: number;
  summary: unknown;
  /** The kommuner the run set out to cover, in order (null for runs from before resumable runs). */
  kommuner: string[] | null;
  /** The run this one resumes. */
  resumes: number | null;
}

interface RawRun {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  trigger: RunTrigger;
  dry_run: number;
  airtable: number;
  pid: number | null;
  airtable_requests: number;
  summary: string | null;
  kommuner: string | null;
  resumes: number | null;
}

const toRun = (row: RawRun): RunRow => ({
  id: row.id,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  status: row.status,
  trigger: row.trigger,
  dryRun: row.dry_run === 1,
  airtable: row.airtable === 1,
  pid: row.pid,
  airtableRequests: row.airtable_requests,
  summary: row.summary ? (JSON.parse(row.summary) as unknown) : null,
  kommuner: row.kommuner ? (JSON.parse(row.kommuner) as string[]) : null,
  resumes: row.resumes,
});

export function startRun(
  db: Db,
  run: {
    startedAt: string;
    trigger: RunTrigger;
    airtable: boolean;
    pid?: number;
    kommuner?: string[];
    resumes?: number | null;
  },
): number {
  const result = db
    .prepare(
      `INSERT INTO runs (started_at, status, trigger, airtable, pid, kommuner, resumes)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.startedAt,
      'running',
      run.trigger,
      run.airtable ? 1 : 0,
      run.pid ?? process.pid,
      run.kommuner ? JSON.stringify(run.kommuner) : null,
      run.resumes ?? null,
    );
  return Number(result.lastInsertRowid);
}

export function finishRun(
  db: Db,
  id: number,
  result: {
    finishedAt: string;
    status: Exclude<RunStatus, 'running'>;
    airtableRequests: number;
    summary: unknown;
  },
): void {
  db.prepare(
    'UPDATE runs SET finished_at = ?, status = ?, airtable_requests = ?, summary = ? WHERE id = ?',
  ).run(result.finishedAt, result.status, result.airtableRequests, JSON.stringify(result.summary), id);
}

/**
 * Runs still "running" whose process is gone (killed, crashed) are closed as interrupted, so
 * health and history never show a run that will not finish.
 */
export function closeInterruptedRuns(db: Db, isAlive: (pid: number) => boolean, now: string): number[] {
  const close = db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ?");
  return deadRuns(db, isAlive).map((run) => {
    close.run(now, run.id);
    return run.id;
  });
}

/** Runs still marked "running" whose process is gone: they will never finish by themselves. */
export function deadRuns(db: Db, isAlive: (pid: number) => boolean): RunRow[] {
  const open = db.prepare("SELECT * FROM runs WHERE status = 'running' ORDER BY id").all() as RawRun[];
  return open.filter((run) => run.pid !== process.pid && (run.pid === null || !isAlive(run.pid))).map(toRun);
}

export function lastRun(db: Db, options: { finishedOnly?: boolean } = {}): RunRow | null {
  const row = db
    .prepare(
      `SELECT * FROM runs WHERE dry_run = 0 ${options.finishedOnly ? "AND status != 'running'" : ''}
       ORDER BY id DESC LIMIT 1`,
    )
    .get() as RawRun | undefined;
  return row ? toRun(row) : null;
}

export function getRun(db: Db, id: number): RunRow | null {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
  return row ? toRun(row) : null;
}

export function countRuns(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
}
