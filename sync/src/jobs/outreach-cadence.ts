import type { OutreachRules } from '../config/outreach-rules.js';
import type { ContactedLotsGateway } from '../crm/outreach/contacted-lots.js';
import { localDate } from '../crm/tomter/dates.js';
import { decideCadence } from '../domain/outreach.js';
import type { Db } from '../store/database.js';
import {
  cadenceMemories,
  overdueOutreachSteps,
  saveCadenceRead,
  type CadenceObservation,
} from '../store/outreach.js';
import type { Logger } from '../util/logger.js';

export interface OutreachReport {
  at: string;
  /** Lots in the start status now. */
  contacted: number;
  /** Lots whose next step was filled in now. */
  filled: number;
  /** Lots left alone because Neste handling or its date is set. */
  fieldSet: number;
  /** Lots whose every step has been done. */
  finished: number;
  /** Next actions past their date (after this read). */
  overdue: number;
  dryRun: boolean;
}

/**
 * One pass of the outreach cadence: reads the lots in the start status ("Kontaktet"), fills the
 * next step where "Neste handling" and its date are both empty, and records what it saw, so the
 * weekly report can list overdue steps (store `overdueOutreachSteps`). The service runs it on
 * OUTREACH_CRON; `tomtejakt owners outreach` runs it once.
 */
export async function runOutreachCadence(input: {
  db: Db;
  lots: ContactedLotsGateway;
  rules: OutreachRules;
  now: Date;
  timeZone: string;
  logger: Logger;
  dryRun?: boolean;
}): Promise<OutreachReport> {
  const { db, rules } = input;
  const at = input.now.toISOString();
  const today = localDate(at, input.timeZone);
  const contacted = await input.lots.read(rules.startStatus);
  const memories = cadenceMemories(db);
  const observations: CadenceObservation[] = [];
  const counts = { filled: 0, fieldSet: 0, finished: 0 };
  for (const lot of contacted) {
    const { startedOn, decision } = decideCadence(lot, memories.get(lot.tomtId) ?? null, rules.steps, today);
    if (decision.kind === 'fill') counts.filled += 1;
    else if (decision.reason === 'field-set') counts.fieldSet += 1;
    else counts.finished += 1;
    const written =
      decision.kind === 'fill' ? { step: decision.step, action: decision.action, on: decision.on } : null;
    observations.push({ lot, startedOn, written });
  }
  const dryRun = input.dryRun ?? false;
  if (!dryRun) {
    // Airtable first: a failed write leaves the store as it was, and the next pass tries again.
    await input.lots.fill(
      observations.flatMap((o) => (o.written ? [{ recordId: o.lot.recordId, ...o.written }] : [])),
    );
    saveCadenceRead(db, observations, at);
  }
  const report = {
    at,
    contacted: contacted.length,
    ...counts,
    overdue: overdueOutreachSteps(db, today).length,
    dryRun,
  };
  input.logger.info('outreach cadence', { ...report });
  return report;
}
