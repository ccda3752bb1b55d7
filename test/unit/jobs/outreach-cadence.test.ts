import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRules } from '../../../sync/src/config/rules.js';
import { createContactedLotsGateway } from '../../../sync/src/crm/outreach/contacted-lots.js';
import { TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { runOutreachCadence } from '../../../sync/src/jobs/outreach-cadence.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { overdueOutreachSteps } from '../../../sync/src/store/outreach.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { FakeAirtable } from '../../helpers/fake-airtable-records.js';

let db: Db;
let airtable: FakeAirtable;
beforeEach(() => {
  db = openStore(':memory:');
  airtable = new FakeAirtable();
});
afterEach(() => db.close());

const rules = parseRules({}).outreach;
/** 09:00 in Oslo on the given day of September 2026. */
const day = (d: number) => new Date(`2026-09-${String(d).padStart(2, '0')}T07:00:00Z`);

function lot(n: number, fields: Record<string, unknown> = {}) {
  return airtable.seed('Tomter', { [T.tomtId]: `3218-${n}/1-z`, [T.kommunenummer]: '3218', ...fields });
}
const pass = (at: Date, options: { dryRun?: boolean } = {}) =>
  runOutreachCadence({
    db,
    lots: createContactedLotsGateway(airtable),
    rules,
    now: at,
    timeZone: 'Europe/Oslo',
    logger: createMemoryLogger(),
    ...options,
  });
const next = (id: string) => {
  const cells = airtable.read('Tomter', id)!;
  return [cells[T.nesteHandling] ?? null, cells[T.nesteHandlingDato] ?? null];
};
const edit = (id: string, fields: Record<string, unknown>) => airtable.update('Tomter', [{ id, fields }]);

describe('the outreach cadence', () => {
  it('fills the first step on the day the lot turns Kontaktet, and nothing on other lots', async () => {
    const contacted = lot(1, { [T.status]: 'Kontaktet' });
    const fresh = lot(2, { [T.status]: 'Ny' });
    const report = await pass(day(1));
    expect(report).toMatchObject({ contacted: 1, filled: 1, fieldSet: 0, overdue: 0 });
    expect(next(contacted)).toEqual(['Send brev til eier', '2026-09-01']);
    expect(next(fresh)).toEqual([null, null]);
    // Only the two cadence fields were written.
    const writes = airtable.requests.filter((r) => r.method === 'update');
    expect(writes).toHaveLength(1);
  });

  it('never writes over what the team has set, in either field', async () => {
    const own = lot(1, { [T.status]: 'Kontaktet', [T.nesteHandling]: 'Møte med Kari' });
    const dateOnly = lot(2, { [T.status]: 'Kontaktet', [T.nesteHandlingDato]: '2026-10-01' });
    const report = await pass(day(1));
    expect(report).toMatchObject({ contacted: 2, filled: 0, fieldSet: 2 });
    expect(next(own)).toEqual(['Møte med Kari', null]);
    expect(next(dateOnly)).toEqual([null, '2026-10-01']);
    expect(airtable.requestCount('update')).toBe(0);
  });

  it('fills the next step, dated from day 0, once the team clears the one done, and lists it when overdue', async () => {
    const id = lot(1, { [T.status]: 'Kontaktet' });
    await pass(day(1));
    await pass(day(2)); // our own step stands: nothing new
    expect(next(id)).toEqual(['Send brev til eier', '2026-09-01']);
    expect(overdueOutreachSteps(db, '2026-09-02')).toMatchObject([
      { tomtId: '3218-1/1-z', action: 'Send brev til eier', due: '2026-09-01', daysOverdue: 1, step: 0 },
    ]);

    await edit(id, { [T.nesteHandling]: null, [T.nesteHandlingDato]: null }); // letter sent
    await pass(day(6));
    expect(next(id)).toEqual(['Ring eier', '2026-09-04']);
    expect(overdueOutreachSteps(db, '2026-09-06')).toMatchObject([
      { action: 'Ring eier', daysOverdue: 2, step: 1 },
    ]);

    await edit(id, { [T.nesteHandling]: null, [T.nesteHandlingDato]: null });
    await pass(day(7));
    expect(next(id)).toEqual(['Følg opp eier', '2026-09-15']);
    expect(overdueOutreachSteps(db, '2026-09-07')).toEqual([]);
  });

  it('keeps a next action the team wrote instead, reports it when overdue as theirs, and goes on after they clear it', async () => {
    const id = lot(1, { [T.status]: 'Kontaktet' });
    await pass(day(1));
    await edit(id, { [T.nesteHandling]: 'Venter på svar fra advokat', [T.nesteHandlingDato]: '2026-09-05' });
    await pass(day(8));
    expect(next(id)).toEqual(['Venter på svar fra advokat', '2026-09-05']);
    expect(overdueOutreachSteps(db, '2026-09-08')).toMatchObject([
      { action: 'Venter på svar fra advokat', daysOverdue: 3, step: null },
    ]);
    await edit(id, { [T.nesteHandling]: null, [T.nesteHandlingDato]: null });
    await pass(day(9));
    expect(next(id)).toEqual(['Ring eier', '2026-09-04']);
  });

  it('stops with the plan, and drops a lot from the overdue list once it leaves Kontaktet', async () => {
    const id = lot(1, { [T.status]: 'Kontaktet' });
    const clear = { [T.nesteHandling]: null, [T.nesteHandlingDato]: null };
    for (const d of [1, 2, 3, 4]) {
      await pass(day(d));
      await edit(id, clear);
    }
    const report = await pass(day(5));
    expect(report).toMatchObject({ filled: 0, finished: 1 });
    expect(next(id)).toEqual([null, null]);

    const other = lot(2, { [T.status]: 'Kontaktet' });
    await pass(day(10));
    expect(overdueOutreachSteps(db, '2026-09-11').map((s) => s.recordId)).toEqual([other]);
    await edit(other, { [T.status]: 'Dialog' });
    await pass(day(11));
    expect(overdueOutreachSteps(db, '2026-09-11')).toEqual([]);
  });

  it('starts afresh when a lot comes back to Kontaktet', async () => {
    const id = lot(1, { [T.status]: 'Kontaktet' });
    await pass(day(1));
    await edit(id, { [T.status]: 'Dialog', [T.nesteHandling]: null, [T.nesteHandlingDato]: null });
    await pass(day(2));
    await edit(id, { [T.status]: 'Kontaktet' });
    await pass(day(20));
    expect(next(id)).toEqual(['Send brev til eier', '2026-09-20']);
  });

  it('writes nothing on a dry run', async () => {
    const id = lot(1, { [T.status]: 'Kontaktet' });
    expect(await pass(day(1), { dryRun: true })).toMatchObject({ filled: 1, dryRun: true });
    expect(next(id)).toEqual([null, null]);
    expect(overdueOutreachSteps(db, '2026-12-01')).toEqual([]);
  });

  it('takes its plan from the rule file, and refuses steps out of order', () => {
    const custom = parseRules({
      outreach: {
        steps: [
          { day: 0, action: 'Brev' },
          { day: 7, action: 'Ring' },
        ],
      },
    });
    expect(custom.outreach).toEqual({
      startStatus: 'Kontaktet',
      steps: [
        { day: 0, action: 'Brev' },
        { day: 7, action: 'Ring' },
      ],
    });
    expect(() =>
      parseRules({
        outreach: {
          steps: [
            { day: 3, action: 'A' },
            { day: 3, action: 'B' },
          ],
        },
      }),
    ).toThrow(/outreach\.steps.*in order of day/);
  });
});
