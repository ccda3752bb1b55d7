import type { LotChanges } from '../../store/lot-changes.js';
import type { LotState } from './lot-alerts.js';

/**
 * The kommune's lots as `applyLotChanges` leaves them in the store, worked out from what the store
 * had before and the changes written, in the store's order (tomt_id): the change alerts need not
 * read back and parse every lot the run just wrote. Unchanged lots keep their stored record (only
 * their last-seen moves); vanished ones keep theirs with the state turned.
 */
export function lotStatesAfter(before: readonly LotState[], changes: LotChanges): LotState[] {
  const after = new Map(before.map((lot) => [lot.tomtId, lot]));
  for (const lot of [...changes.inserted, ...changes.changed, ...changes.revived])
    after.set(lot.record.tomtId, { tomtId: lot.record.tomtId, state: 'active', record: lot.record });
  for (const lot of changes.unchanged)
    if (after.get(lot.record.tomtId)?.state !== 'active')
      throw new Error(`lot ${lot.record.tomtId} is unchanged but was not active in the store before`);
  for (const tomtId of changes.vanished) {
    const was = after.get(tomtId);
    if (!was) throw new Error(`lot ${tomtId} vanished but was not in the store before`);
    after.set(tomtId, { ...was, state: 'vanished' });
  }
  // Tomt-IDs are ASCII, where this order is SQLite's binary collation.
  return [...after.values()].sort((a, b) => (a.tomtId < b.tomtId ? -1 : a.tomtId > b.tomtId ? 1 : 0));
}
