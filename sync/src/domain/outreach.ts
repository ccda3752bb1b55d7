/** One step of the outreach plan (the rule file's `outreach.steps`). */
export interface OutreachStep {
  /** Counted from day 0, the day the lot turned "Kontaktet". */
  day: number;
  /** Norwegian, as the team reads it in "Neste handling". */
  action: string;
}

/** A lot in the start status as read from the CRM: its "Neste handling" and date as the team left them. */
export interface ContactedLot {
  tomtId: string;
  recordId: string;
  kommunenummer: string | null;
  nextAction: string | null;
  /** YYYY-MM-DD */
  nextOn: string | null;
}

/** What the service remembers of a lot's cadence (store table outreach_lots). */
export interface CadenceMemory {
  /** Day 0: the date the service first saw the lot in the start status. */
  startedOn: string;
  /** The index of the last step the service wrote, or null before the first. */
  step: number | null;
  /** Whether the lot was in the start status at the last read (false: it left, and a return starts afresh). */
  active: boolean;
}

export type CadenceDecision =
  | { kind: 'fill'; step: number; action: string; on: string }
  /** Neste handling or its date is set: the team's (or our own unfinished step); never written over. */
  | { kind: 'leave'; reason: 'field-set' }
  /** Every step has been written and done. */
  | { kind: 'leave'; reason: 'finished' };

/**
 * The ownership rule for "Neste handling" and "Neste handling dato": they are team fields, so the
 * service fills them only when both are empty. The team marks a step done by clearing the field;
 * the next read then fills the step after the last one the service wrote, dated from day 0 (so a
 * step done late shows the next one as due, or overdue, as the plan has it). Whatever the team
 * writes there stays, and holds the cadence until the team clears it.
 */
export function decideCadence(
  lot: ContactedLot,
  memory: CadenceMemory | null,
  steps: readonly OutreachStep[],
  today: string,
): { startedOn: string; decision: CadenceDecision } {
  const fresh = !memory || !memory.active;
  const startedOn = fresh ? today : memory.startedOn;
  if (isSet(lot.nextAction) || isSet(lot.nextOn))
    return { startedOn, decision: { kind: 'leave', reason: 'field-set' } };
  const next = fresh || memory.step === null ? 0 : memory.step + 1;
  const step = steps[next];
  if (!step) return { startedOn, decision: { kind: 'leave', reason: 'finished' } };
  return {
    startedOn,
    decision: { kind: 'fill', step: next, action: step.action, on: addDays(startedOn, step.day) },
  };
}

function isSet(value: string | null): boolean {
  return value !== null && value.trim() !== '';
}

/** A calendar date plus whole days (UTC arithmetic on a date has no daylight-saving step). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
