import type { OwnerLookupWriter } from '../crm/owners/writer.js';
import type { Db } from '../store/database.js';
import { forgetWaitingLot, noteWaitingLots } from '../store/owner-lookup-waiting.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { failedMessage } from './owner-lookup-messages.js';

export interface SweepReport {
  at: string;
  /** Lots in "Forespurt" or "Pågår" now. */
  waiting: number;
  /** Lots set to "Feilet" by this sweep (tomtIds). */
  failed: string[];
  /** Why the sweep could not run (Airtable unreachable …), or null. */
  error: string | null;
}

/** The Norwegian reason a stuck lot is given. */
export function stuckMessage(minutes: number): string {
  return failedMessage(
    `ingen oppslag kom i gang innen ${minutes} minutter (bestillingen nådde trolig ikke Tomtejakt). Trykk «Prøv igjen»`,
  );
}

/**
 * Never stuck: a lot waiting in "Forespurt" or "Pågår" with no lookup queued or running, and none
 * asked for, for OWNER_LOOKUP_STUCK_MINUTES since the sweep first saw it waiting, is set to
 * "Feilet" with the reason, so the team sees it and can ask again (an Airtable automation
 * triggered on "matches conditions" would not fire again by itself).
 */
export async function sweepStuckLookups(options: {
  db: Db;
  writer: OwnerLookupWriter;
  stuckMinutes: number;
  now: Date;
  logger: Logger;
}): Promise<SweepReport> {
  const { db, writer, stuckMinutes, now, logger } = options;
  const report: SweepReport = { at: now.toISOString(), waiting: 0, failed: [], error: null };
  try {
    const lots = noteWaitingLots(db, await writer.lotsWaitingForLookup(), now);
    report.waiting = lots.length;
    const cutoff = now.getTime() - stuckMinutes * 60_000;
    for (const lot of lots) {
      if (lot.live) continue;
      const since = Math.max(
        Date.parse(lot.firstSeenAt),
        lot.lastRequestAt ? Date.parse(lot.lastRequestAt) : 0,
      );
      if (since > cutoff) continue;
      await writer.markFailed(lot.recordId, stuckMessage(stuckMinutes));
      forgetWaitingLot(db, lot.tomtId);
      report.failed.push(lot.tomtId);
      logger.warn('owner lookup stuck: lot set to Feilet', { tomtId: lot.tomtId, minutes: stuckMinutes });
    }
  } catch (error) {
    report.error = messageOf(error);
    logger.error('the sweep for stuck owner lookups failed; it runs again', { error: report.error });
  }
  return report;
}
