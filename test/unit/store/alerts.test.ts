import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../sync/src/domain/alert.js';
import {
  alertsBetween,
  alertsNotInAirtable,
  alertsNotSentToWebhook,
  alertsOfLot,
  countAlerts,
  insertNewAlerts,
  markSentToWebhook,
} from '../../../sync/src/store/alerts.js';
import { syncedRecordStore } from '../../../sync/src/store/airtable-records.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { saveSeenKommuneplans, seenKommuneplans } from '../../../sync/src/store/kommuneplans-seen.js';

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

const LOT = '3218-45/1-5a1c0d2e-8f3b-4c1d-a9e2-0b7d6c5f4e3a';

function alert(key: string, createdAt: string, lotId: string | null = LOT): Alert {
  return {
    key,
    type: 'ny_tomt',
    runId: 7,
    createdAt,
    kommunenummer: '3218',
    lotId,
    title: 'Ny A-tomt i Ås: 45/1, 3,1 daa',
    text: 'Tomten fikk 84 poeng (klasse A).',
    details: { tier: 'A', score: 84 },
  };
}

describe('the alert store', () => {
  it('keeps an alert once: a rerun with the same keys adds nothing and says so', () => {
    const night = [
      alert(`ny_tomt:${LOT}`, '2026-03-03T01:10:00Z'),
      alert('ny_tomt:3218-45/2-x', '2026-03-03T01:10:00Z', '3218-45/2-x'),
    ];
    expect(insertNewAlerts(db, night).map((a) => a.key)).toEqual([`ny_tomt:${LOT}`, 'ny_tomt:3218-45/2-x']);
    const again = [
      alert(`ny_tomt:${LOT}`, '2026-03-04T01:10:00Z'),
      alert('klasse_opp:3218-45/3-y:A:2026-03-04', '2026-03-04T01:10:00Z'),
    ];
    expect(insertNewAlerts(db, again).map((a) => a.key)).toEqual(['klasse_opp:3218-45/3-y:A:2026-03-04']);
    expect(countAlerts(db)).toBe(3);
    // The first finding stands: its time is not moved by the rerun.
    expect(alertsOfLot(db, LOT).map((a) => [a.key, a.createdAt])).toEqual([
      ['klasse_opp:3218-45/3-y:A:2026-03-04', '2026-03-04T01:10:00Z'],
      [`ny_tomt:${LOT}`, '2026-03-03T01:10:00Z'],
    ]);
    expect(alertsOfLot(db, LOT)[1]).toEqual(night[0]);
  });

  it('reads a week by time (from inclusive, to exclusive) and a lot newest first', () => {
    insertNewAlerts(db, [
      alert('a', '2026-03-01T23:59:59Z'),
      alert('b', '2026-03-02T00:00:00Z'),
      alert('c', '2026-03-08T23:00:00Z', null),
      alert('d', '2026-03-09T00:00:00Z'),
    ]);
    expect(alertsBetween(db, '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z').map((a) => a.key)).toEqual([
      'b',
      'c',
    ]);
    expect(alertsOfLot(db, LOT).map((a) => a.key)).toEqual(['d', 'b', 'a']);
    expect(alertsOfLot(db, 'no-such-lot')).toEqual([]);
  });

  it('knows which alerts Airtable has not had, from the table sync’s record index', () => {
    insertNewAlerts(db, [alert('a', '2026-03-02T01:00:00Z'), alert('b', '2026-03-02T01:00:01Z')]);
    expect(alertsNotInAirtable(db, 'Varsler').map((a) => a.key)).toEqual(['a', 'b']);
    syncedRecordStore(db).save('Varsler', [{ key: 'a', recordId: 'rec1', fieldHashes: {}, syncedAt: 'x' }]);
    syncedRecordStore(db).save('Tomter', [{ key: 'b', recordId: 'rec2', fieldHashes: {}, syncedAt: 'x' }]);
    expect(alertsNotInAirtable(db, 'Varsler').map((a) => a.key)).toEqual(['b']);
  });

  it('marks what the webhook has had', () => {
    insertNewAlerts(db, [alert('a', '2026-03-02T01:00:00Z'), alert('b', '2026-03-02T01:00:01Z')]);
    markSentToWebhook(db, ['a'], '2026-03-02T01:05:00Z');
    expect(alertsNotSentToWebhook(db).map((a) => a.key)).toEqual(['b']);
  });

  it('keeps the kommuneplaner a kommune’s last good run saw, replaced by the next', () => {
    expect(seenKommuneplans(db, '3218')).toBeNull();
    saveSeenKommuneplans(db, '3218', [{ planId: '3218-2019001', name: 'KPA 2019', date: '2019-06-19' }], {
      runId: 1,
      at: 'x',
    });
    saveSeenKommuneplans(db, '3218', [{ planId: '3218-2026001', name: null, date: null }], {
      runId: 2,
      at: 'y',
    });
    expect(seenKommuneplans(db, '3218')).toEqual([{ planId: '3218-2026001', name: null, date: null }]);
  });
});
