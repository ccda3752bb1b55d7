import { daysBetween, type CadenceMemory, type ContactedLot } from '../domain/outreach.js';
import type { Db } from './database.js';

interface OutreachRow {
  tomt_id: string;
  record_id: string;
  kommunenummer: string | null;
  started_on: string;
  step: number | null;
  next_action: string | null;
  next_on: string | null;
  next_by_service: number;
  active: number;
}

/** What the service remembers of each lot's cadence, by Tomt-ID. */
export function cadenceMemories(db: Db): Map<string, CadenceMemory> {
  const rows = db
    .prepare('SELECT tomt_id, started_on, step, active FROM outreach_lots')
    .all() as OutreachRow[];
  return new Map(
    rows.map((r) => [r.tomt_id, { startedOn: r.started_on, step: r.step, active: r.active === 1 }]),
  );
}

/** One lot as read (and, when `written`, as the service filled it just now). */
export interface CadenceObservation {
  lot: ContactedLot;
  startedOn: string;
  /** The step the service wrote now, or null when it wrote nothing (the step before is kept). */
  written: { step: number; action: string; on: string } | null;
}

/**
 * Records one read of the lots in the start status, in one transaction: each lot's day 0, step and
 * next action as it now stands; a lot no longer among them is marked inactive (it left the status).
 */
export function saveCadenceRead(db: Db, observations: readonly CadenceObservation[], seenAt: string): void {
  const upsert = db.prepare(
    `INSERT INTO outreach_lots
       (tomt_id, record_id, kommunenummer, started_on, step, next_action, next_on, next_by_service, active, seen_at)
     VALUES (@tomtId, @recordId, @kommunenummer, @startedOn, @step, @nextAction, @nextOn, @byService, 1, @seenAt)
     ON CONFLICT (tomt_id) DO UPDATE SET
       record_id = excluded.record_id, kommunenummer = excluded.kommunenummer, started_on = excluded.started_on,
       step = CASE WHEN @written THEN excluded.step WHEN outreach_lots.active = 0 THEN NULL ELSE outreach_lots.step END,
       next_action = excluded.next_action, next_on = excluded.next_on,
       next_by_service = CASE WHEN @written THEN 1
         WHEN outreach_lots.next_by_service = 1 AND outreach_lots.next_action IS excluded.next_action
           AND outreach_lots.next_on IS excluded.next_on THEN 1 ELSE 0 END,
       active = 1, seen_at = excluded.seen_at`,
  );
  db.transaction(() => {
    for (const { lot, startedOn, written } of observations)
      upsert.run({
        tomtId: lot.tomtId,
        recordId: lot.recordId,
        kommunenummer: lot.kommunenummer,
        startedOn,
        step: written?.step ?? null,
        nextAction: written?.action ?? lot.nextAction,
        nextOn: written?.on ?? lot.nextOn,
        byService: written ? 1 : 0,
        written: written ? 1 : 0,
        seenAt,
      });
    db.prepare(
      'UPDATE outreach_lots SET active = 0 WHERE tomt_id NOT IN (SELECT value FROM json_each(?))',
    ).run(JSON.stringify(observations.map((o) => o.lot.tomtId)));
  })();
}

/** A next action on a lot still in the start status whose date has passed. */
export interface OverdueOutreachStep {
  tomtId: string;
  recordId: string;
  kommunenummer: string | null;
  /** "Neste handling" as last read (Norwegian). */
  action: string;
  /** YYYY-MM-DD */
  due: string;
  daysOverdue: number;
  /** Day 0 of the lot's cadence. */
  startedOn: string;
  /** The plan's step (0-based) when the action is the service's own fill, null when the team wrote it. */
  step: number | null;
}

/**
 * Overdue outreach steps for the weekly report: lots in the start status at the last read whose
 * "Neste handling dato" is before `today` (YYYY-MM-DD), most overdue first. As fresh as the last
 * cadence read (OUTREACH_CRON).
 */
export function overdueOutreachSteps(db: Db, today: string): OverdueOutreachStep[] {
  const rows = db
    .prepare(
      `SELECT * FROM outreach_lots WHERE active = 1 AND next_on IS NOT NULL AND next_on < ?
       ORDER BY next_on, tomt_id`,
    )
    .all(today) as OutreachRow[];
  return rows.map((r) => ({
    tomtId: r.tomt_id,
    recordId: r.record_id,
    kommunenummer: r.kommunenummer,
    action: r.next_action ?? '',
    due: r.next_on!,
    daysOverdue: daysBetween(r.next_on!, today),
    startedOn: r.started_on,
    step: r.next_by_service === 1 ? r.step : null,
  }));
}
