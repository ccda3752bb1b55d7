import type { LotRef, OwnerLookupWriter } from '../crm/owners/writer.js';
import { scrubErasedData, type Db } from '../store/database.js';
import { dueForErasure, markErased, retentionMarks, updateRetentionMarks } from '../store/owner-retention.js';
import {
  eraseLotOwners,
  lotsSharingOwnership,
  ownersOfLot,
  vanishedLotsWithOwners,
} from '../store/owners.js';
import { messageOf } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export interface RetentionReport {
  dryRun: boolean;
  /** Lots marked "Ikke aktuell" in Airtable now (null without Airtable: statuses unknown). */
  markedNow: number | null;
  /** Of those, seen for the first time by this run (their clock starts today). */
  newlyMarked: number;
  /** Lots no longer marked (taken back into the pipeline), whose clock was reset. */
  unmarked: number;
  /** Lots whose owner data was (or, in a dry run, would be) erased, and why. */
  erased: Array<{ tomtId: string; ownerRows: number; because: 'ikke-aktuell' | 'vanished' }>;
  /** After an erasure: whether the store file was rebuilt and its log emptied (no name left in it). */
  scrub: { vacuumed: boolean; busy: boolean; problem: string | null } | null;
  /** What this run could not look at, and why (e.g. no Airtable: only vanished lots are handled). */
  note: string | null;
}

export interface RetentionOptions {
  db: Db;
  writer: OwnerLookupWriter | null;
  retentionDays: number;
  now: Date;
  logger: Logger;
  dryRun: boolean;
  /** Eiere records being rewritten are locked by the lookups; retention takes the same locks. */
  lock?: <T>(keys: string[], write: () => Promise<T>) => Promise<T>;
}

interface Due {
  tomtId: string;
  recordId: string | null;
  because: 'ikke-aktuell' | 'vanished';
}

/**
 * Retention (OWNER_RETENTION_DAYS): a lot's owner data is removed from the store and Airtable once
 * the lot has been "Ikke aktuell" in Airtable for that many days, or has vanished from the plan
 * data (Utgått) that long ago; the second rule needs no Airtable, so retention runs without it.
 * An Eiere record other lots still hold is only unlinked from this lot; one held by this lot alone
 * has every personal field cleared, including the team's contact notes. The audit log stays (it
 * holds no owner names). After an erasure the store file is scrubbed of the erased names.
 */
export async function runOwnerRetention(options: RetentionOptions): Promise<RetentionReport> {
  const { db, writer, now, dryRun, retentionDays } = options;
  const report: RetentionReport = {
    dryRun,
    markedNow: null,
    newlyMarked: 0,
    unmarked: 0,
    erased: [],
    scrub: null,
    note: writer
      ? null
      : 'Airtable is not configured: "Ikke aktuell" is unknown, so only lots vanished from the plan data are handled',
  };
  const marked = writer ? await notRelevantLots(writer, db, now, dryRun, report) : [];
  const markedIds = new Set(marked.map((m) => m.tomtId));
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const due: Due[] = [
    ...dueForErasure(db, now, retentionDays)
      .filter((m) => markedIds.has(m.tomtId))
      .map((m) => ({
        tomtId: m.tomtId,
        recordId: m.recordId ?? marked.find((x) => x.tomtId === m.tomtId)?.recordId ?? null,
        because: 'ikke-aktuell' as const,
      })),
    ...vanishedLotsWithOwners(db, cutoff)
      .filter((lot) => !markedIds.has(lot.tomtId))
      .map((lot) => ({ ...lot, because: 'vanished' as const })),
  ];
  for (const lot of due) {
    const rows = ownersOfLot(db, lot.tomtId);
    report.erased.push({ tomtId: lot.tomtId, ownerRows: rows.length, because: lot.because });
    if (!dryRun) await eraseLot(options, lot, markedIds);
  }
  if (!dryRun && report.erased.length > 0) report.scrub = scrubErasedData(db);
  return report;
}

/** Notes the lots marked "Ikke aktuell" now (their clock starts the first time they are seen). */
async function notRelevantLots(
  writer: OwnerLookupWriter,
  db: Db,
  now: Date,
  dryRun: boolean,
  report: RetentionReport,
): Promise<LotRef[]> {
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
  return marked;
}

async function eraseLot(options: RetentionOptions, lot: Due, markedIds: Set<string>): Promise<void> {
  const { db, writer, now, logger, retentionDays } = options;
  const rows = ownersOfLot(db, lot.tomtId);
  const clear: string[] = [];
  const unlink: string[] = [];
  for (const row of rows) {
    const elsewhere = lotsSharingOwnership(db, row.ownershipId, lot.tomtId).filter(
      (o) => !markedIds.has(o.tomtId),
    );
    (elsewhere.length > 0 ? unlink : clear).push(row.ownershipId);
  }
  const dateText = now.toISOString().slice(0, 10);
  const why =
    lot.because === 'vanished'
      ? `tomten utgikk for mer enn ${retentionDays} dager siden`
      : `tomten har vært «Ikke aktuell» i mer enn ${retentionDays} dager`;
  const erase = async () => {
    if (writer && lot.recordId)
      await writer.eraseOwners(lot.recordId, {
        clear,
        unlink,
        message: `Eierdata slettet ${dateText}: ${why}.`,
      });
    eraseLotOwners(db, lot.tomtId);
    markErased(db, lot.tomtId, now);
  };
  try {
    await (options.lock ? options.lock([...clear, ...unlink], erase) : erase());
    logger.info('owner data erased (retention)', {
      tomtId: lot.tomtId,
      ownerRows: rows.length,
      because: lot.because,
    });
  } catch (error) {
    logger.error('owner data could not be erased; will try again next run', {
      tomtId: lot.tomtId,
      error: messageOf(error),
    });
  }
}
