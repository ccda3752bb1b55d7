import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastRecordCount, saveRecordCount } from '../../../sync/src/store/airtable-record-count.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';

let db: Db;
beforeEach(() => {
  db = openStore(':memory:');
});
afterEach(() => db.close());

describe('the Airtable record count in the store', () => {
  it('is null before the first count, then the latest count replaces the one before', () => {
    expect(lastRecordCount(db)).toBeNull();
    saveRecordCount(db, {
      countedAt: '2026-03-02T01:04:00.000Z',
      total: 41_000,
      tables: { Tomter: 38_200, Kommuner: 357, Eiere: 1_943, Kontakter: 500 },
    });
    const next = {
      countedAt: '2026-03-03T01:05:00.000Z',
      total: 41_020,
      tables: { Tomter: 38_220, Kontakter: 500 },
    };
    saveRecordCount(db, next);
    expect(lastRecordCount(db)).toEqual(next);
    expect(db.prepare('SELECT COUNT(*) AS n FROM airtable_record_count').get()).toEqual({ n: 1 });
  });
});
