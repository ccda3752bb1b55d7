import type { OwnerLookupWriter } from '../crm/owners/writer.js';
import type { Db } from '../store/database.js';
import { dueForErasure, markErased, retentionMarks, updateRetentionMarks } from '../store/owner-retention.js';
import { eraseLotOwners, lotsSharingOwnership, ownersOfLot } from '../store/owners.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export interface RetentionReport {
  dryRun: boolean;
  /** Lots marked "Ikke aktuell" in Airtable now. */
  markedNow: number;
  /** Of those, seen for the first time by this run (their clock starts today). */
  newlyMarked: number;
  /** Lots no longer marked (taken back into the pipeline), whose clock was reset. */
  unmarked: number;
  /** Lots whose owner data was (or, in a dry run, would be) erased. */
  erased: Array<{ tomtId: string; ownerRows: number }>;
  skipped: string | null;
}

/**
 * Retention (OWNER_RETENTION_DAYS): once a lot has been "Ikke aktuell" for that many days, its
 * owner data is removed from the store and Airtable. An Eiere record other lots still hold is
 * only unlinked from this lot; one held by this lot alone has every personal field cleared,
 * including the team's contact notes. The audit log stays (it holds no owner names).
 */
export async function runOwnerRetention(options: {
  db: Db;
  writer: OwnerLookupWriter | null;
  retentionDays: number;
  now: Date;
  logger: Logger;
  dryRun: boolean;
}): Promise<RetentionReport> {
  const { db, writer, now, logger, dryRun, retentionDays } = options;
  const report: RetentionReport = {
    dryRun,
    markedNow: 0,
    newlyMarked: 0,
    unmarked: 0,
    erased: [],
    skipped: null,
  };
  if (!writer) {
    report.skipped =
      'Airtable is not configured, so lot statuses ("Ikke aktuell") are unknown; nothing was erased';
    return report;
  }
  const marked = await writer.lotsMarkedNotRelevant();
  report.markedNow = marked.length;
  if (dryRun) {
    const known = new Set(retentionMarks(db).map((m) => m.tomtId));
    report.newlyMarked = marked.filter((m) => !known.has(m.tomtId)).length;
  } else {
    const { added, cleared } = updateRetentionMarks(db, marked, now);
    report.newlyMarked = added;
    report.unmarked = cleared;
  }
  const markedIds = new Set(marked.map((m) => m.tomtId));
  const due = dueForErasure(db, now, retentionDays).filter((m) => markedIds.has(m.tomtId));
  const dateText = now.toISOString().slice(0, 10);
  for (const mark of due) {
    const rows = ownersOfLot(db, mark.tomtId);
    report.erased.push({ tomtId: mark.tomtId, ownerRows: rows.length });
    if (dryRun) continue;
    const recordId = mark.recordId ?? marked.find((m) => m.tomtId === mark.tomtId)?.recordId ?? null;
    const clear: string[] = [];
    const unlink: string[] = [];
    for (const row of rows) {
      const elsewhere = lotsSharingOwnership(db, row.ownershipId, mark.tomtId).filter(
        (o) => !markedIds.has(o.tomtId),
      );
      (elsewhere.length > 0 ? unlink : clear).push(row.ownershipId);
    }
    try {
      if (recordId) {
        await writer.eraseOwners(recordId, {
          clear,
          unlink,
          message: `Eierdata slettet ${dateText}: tomten har vært «Ikke aktuell» i mer enn ${retentionDays} dager.`,
        });
      }
      eraseLotOwners(db, mark.tomtId);
      markErased(db, mark.tomtId, now);
      logger.info('owner data erased (retention)', { tomtId: mark.tomtId, ownerRows: rows.length });
    } catch (error) {
      logger.error('owner data could not be erased; will try again next run', {
        tomtId: mark.tomtId,
        error: messageOf(error),
      });
    }
  }
  return report;
}
