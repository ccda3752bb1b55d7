import { afterEach, describe, expect, it } from 'vitest';
import { lotStatesAfter } from '../../../../sync/src/jobs/alerts/lots-after.js';
import type { LotState } from '../../../../sync/src/jobs/alerts/lot-alerts.js';
import { lotFingerprint } from '../../../../sync/src/lot-record/fingerprint.js';
import type { LotRecord } from '../../../../sync/src/lot-record/lot-record.js';
import { openStore, type Db } from '../../../../sync/src/store/database.js';
import { planLotChanges } from '../../../../sync/src/store/lot-changes.js';
import { applyLotChanges, knownLotsOf, lotsOfKommune } from '../../../../sync/src/store/lots.js';
import { aasLots, aasRecords } from '../../../fixtures/crm/lots.js';

/**
 * The change alerts take the kommune's lots after its run from memory (issue 13: reading back and
 * parsing every lot just written was a second of the run): what they are handed must be what
 * the store reads back, night after night.
 */
let db: Db;
afterEach(() => db.close());

const statesInStore = (): LotState[] =>
  lotsOfKommune(db, '3218').map(({ tomtId, state, record }) => ({ tomtId, state, record }));

/** One night as the nightly job stores it: the states it hands the alerts, and the store's after. */
function night(records: LotRecord[], runId: number) {
  const before = statesInStore();
  const incoming = records.map((record) => ({ record, fingerprint: lotFingerprint(record) }));
  const changes = planLotChanges(knownLotsOf(db, '3218'), incoming);
  const now = `2026-03-0${runId}T01:00:00Z`;
  db.transaction(() => applyLotChanges(db, changes, { runId, now, vanishReason: () => 'Regulert' }))();
  return { changes, handed: lotStatesAfter(before, changes), stored: statesInStore() };
}

describe('lotStatesAfter', () => {
  it('equals the store read back after new, changed, unchanged, vanished and revived lots', () => {
    db = openStore(':memory:');
    const first = aasRecords(aasLots({ count: 12 }));
    const rescored = aasRecords(aasLots({ count: 12, variant: 3 }));
    // Shuffled: the store's order (tomt_id) is not the run's.
    const one = night([...first.slice(0, 10)].reverse(), 1);
    expect(one.changes.inserted).toHaveLength(10);
    expect(one.handed).toEqual(one.stored);

    // The label point is not in the fingerprint: the store keeps the record it had, and so must the alerts.
    const moved = (r: LotRecord): LotRecord => ({ ...r, centre: { ...r.centre, east: r.centre.east + 1 } });
    const two = night([moved(first[0]!), moved(first[1]!), ...rescored.slice(2, 6), ...first.slice(10)], 2);
    expect(two.changes.unchanged).toHaveLength(2);
    expect(two.changes.changed).toHaveLength(4);
    expect(two.changes.vanished).toHaveLength(4);
    expect(two.changes.inserted).toHaveLength(2);
    expect(two.handed).toEqual(two.stored);
    expect(two.handed.find((l) => l.tomtId === first[0]!.tomtId)!.record.centre).toEqual(first[0]!.centre);

    const three = night([...first.slice(6, 8), ...rescored.slice(0, 2)], 3);
    expect(three.changes.revived).toHaveLength(2);
    expect(three.handed).toEqual(three.stored);
    expect(three.handed.filter((l) => l.state === 'vanished')).toHaveLength(8);
  });

  it('names a lot the changes call unchanged that the store did not have', () => {
    db = openStore(':memory:');
    const [record] = aasRecords(aasLots({ count: 1 }));
    const lot = { record: record!, fingerprint: lotFingerprint(record!) };
    const changes = { inserted: [], changed: [], unchanged: [lot], revived: [], vanished: [] };
    expect(() => lotStatesAfter([], changes)).toThrow(/unchanged but was not active/);
  });
});
