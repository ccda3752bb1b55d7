import type { LotRecord } from '../lot-record/lot-record.js';

/**
 * What a kommune's new lots change in the store, worked out before anything is written, so the
 * real run and the dry run share one definition of "new", "changed", "vanished" and "revived".
 */
export interface IncomingLot {
  record: LotRecord;
  /** `lotFingerprint(record)`: equal fingerprints mean the lot is as the team last saw it. */
  fingerprint: string;
}

export interface KnownLot {
  tomtId: string;
  state: 'active' | 'vanished';
  fingerprint: string;
}

export interface LotChanges {
  inserted: IncomingLot[];
  changed: IncomingLot[];
  unchanged: IncomingLot[];
  /** Lots that had vanished and are found again (whether or not their content changed). */
  revived: IncomingLot[];
  /** Ids of lots that were active and are not found any more. */
  vanished: string[];
}

export function planLotChanges(known: KnownLot[], incoming: IncomingLot[]): LotChanges {
  const byId = new Map(known.map((lot) => [lot.tomtId, lot]));
  const seen = new Set<string>();
  const changes: LotChanges = { inserted: [], changed: [], unchanged: [], revived: [], vanished: [] };
  for (const lot of incoming) {
    const tomtId = lot.record.tomtId;
    if (seen.has(tomtId)) throw new Error(`lot ${tomtId} was found twice in one run`);
    seen.add(tomtId);
    const before = byId.get(tomtId);
    if (!before) changes.inserted.push(lot);
    else if (before.state === 'vanished') changes.revived.push(lot);
    else if (before.fingerprint !== lot.fingerprint) changes.changed.push(lot);
    else changes.unchanged.push(lot);
  }
  for (const lot of known) {
    if (lot.state === 'active' && !seen.has(lot.tomtId)) changes.vanished.push(lot.tomtId);
  }
  return changes;
}
