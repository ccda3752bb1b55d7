import type { TrackedLot } from '../../lot-record/lifecycle.js';
import { LotStatus, TomterField as F } from '../schema/tomter.js';
import type { DesiredRecord } from '../sync/table-sync.js';
import type { AirtableFields } from '../airtable/types.js';
import { localDate } from './dates.js';

/** What the Airtable policy (`policy.ts`) decided for a lot. */
export interface PolicyDecision {
  /** Whether a record may be created when Airtable has none. */
  create: boolean;
  /** "Under terskel": true below the policy, false within it, null to leave the mark as it is. */
  belowPolicy: boolean | null;
}

/**
 * A lot's Tomter record as the sync wants it, from its cells and its history. New records start
 * with Status "Ny". A vanished lot is never deleted: it gets "Utgått dato" and the reason, and
 * Status "Utgått" only while the team has left it at "Ny"; it is never created in Airtable after
 * the fact. A lot that comes back loses those marks and, if still "Utgått", goes back to "Ny" in
 * the same record. "Sist sett" travels with other changes only, so a night without changes
 * writes nothing. Without a policy decision every current lot may be created and none is marked.
 */
export function desiredTomterRecord(
  lot: TrackedLot,
  cells: AirtableFields,
  timeZone: string,
  decision: PolicyDecision = { create: lot.state === 'active', belowPolicy: null },
): DesiredRecord {
  const vanished = lot.state === 'vanished';
  return {
    key: lot.record.tomtId,
    fields: {
      ...cells,
      [F.forstSett]: localDate(lot.firstSeen, timeZone),
      [F.utgattDato]: vanished && lot.vanishedAt ? localDate(lot.vanishedAt, timeZone) : null,
      [F.utgattArsak]: vanished ? lot.vanishedReason : null,
      ...(decision.belowPolicy === null ? {} : { [F.underTerskel]: decision.belowPolicy }),
    },
    companions: { [F.sistSett]: localDate(lot.lastSeen, timeZone) },
    onCreate: { [F.status]: LotStatus.ny },
    guarded: vanished
      ? [{ field: F.status, value: LotStatus.utgatt, onlyIf: [LotStatus.ny, null] }]
      : lot.timesVanished > 0
        ? [{ field: F.status, value: LotStatus.ny, onlyIf: [LotStatus.utgatt] }]
        : [],
    create: !vanished && decision.create,
  };
}
