import type { Migration } from './index.js';

/**
 * A lot's estimated homes and its kommune's name as columns beside the record: the week's counts,
 * taken after every nightly run, summed them with json_extract over every active record (about a
 * second of a large kommune's run; issue 13).
 */
export const migration470LotWeekColumns: Migration = {
  version: 470,
  name: 'lots: homes and kommune name as columns for the week counts',
  up(db) {
    db.exec(`
      ALTER TABLE lots ADD COLUMN homes REAL;
      ALTER TABLE lots ADD COLUMN kommune_navn TEXT;
      UPDATE lots SET homes = json_extract(record, '$.score.capacity.homes'),
        kommune_navn = json_extract(record, '$.kommuneNavn');
    `);
  },
};
