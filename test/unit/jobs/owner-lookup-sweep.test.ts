import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOwnerLookupWriter } from '../../../sync/src/crm/owners/writer.js';
import { TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { sweepStuckLookups } from '../../../sync/src/jobs/owner-lookup-sweep.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { enqueueOrJoin, finishJob } from '../../../sync/src/store/owner-lookup-jobs.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { FakeAirtable } from '../../helpers/fake-airtable-records.js';

let db: Db;
let airtable: FakeAirtable;
beforeEach(() => {
  db = openStore(':memory:');
  airtable = new FakeAirtable();
});
afterEach(() => db.close());

const t0 = new Date('2026-09-01T10:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

function lot(n: number, state: string | null) {
  const tomtId = `3218-${n}/1-z`;
  const recordId = airtable.seed('Tomter', {
    [T.tomtId]: tomtId,
    [T.kommunenummer]: '3218',
    ...(state ? { [T.eieroppslag]: state } : {}),
  });
  return { tomtId, recordId };
}

function ask(l: { tomtId: string; recordId: string }, at: Date) {
  return enqueueOrJoin(
    db,
    {
      lot: {
        ...l,
        kommunenummer: '3218',
        matrikkelenheter: [{ kommunenummer: '3218', gnr: 1, bnr: 1, fnr: 0, snr: 0 }],
        matrikkelenhetId: null,
      },
      requestedBy: 'kari@firma.no',
      via: 'hmac',
      purpose: 'test',
    },
    { now: at, windowMinutes: 10 },
  ).job;
}

const sweep = (at: Date) =>
  sweepStuckLookups({
    db,
    writer: createOwnerLookupWriter(airtable),
    stuckMinutes: 15,
    now: at,
    logger: createMemoryLogger(),
  });
const stateOf = (l: { recordId: string }) => airtable.read('Tomter', l.recordId)![T.eieroppslag];

describe('the sweep for stuck owner lookups', () => {
  it('fails a lot left "Forespurt" with no lookup for OWNER_LOOKUP_STUCK_MINUTES, with the reason', async () => {
    const neverArrived = lot(1, 'Forespurt');
    const queued = lot(2, 'Forespurt');
    const askedLater = lot(3, 'Pågår');
    const done = lot(4, 'Ferdig');
    ask(queued, t0);

    expect(await sweep(t0)).toMatchObject({ waiting: 3, failed: [], error: null });
    const earlier = ask(askedLater, minutes(10));
    // The lookup asked for at 10 min ended, but the lot was left "Pågår" (its last write failed).
    db.prepare(`UPDATE owner_lookup_jobs SET state = 'running', lease_holder = 'x' WHERE id = ?`).run(
      earlier.id,
    );
    finishJob(db, earlier.id, 'x', { state: 'done', ownerCount: 1, message: 'ok', at: minutes(11) });
    expect((await sweep(minutes(14))).failed).toEqual([]);

    const report = await sweep(minutes(15));
    expect(report.failed).toEqual([neverArrived.tomtId]);
    expect(airtable.read('Tomter', neverArrived.recordId)).toMatchObject({
      [T.eieroppslag]: 'Feilet',
      [T.eieroppslagMelding]:
        'Eieroppslaget feilet: ingen oppslag kom i gang innen 15 minutter (bestillingen nådde trolig ikke Tomtejakt). Trykk «Prøv igjen»',
    });
    expect(stateOf(queued)).toBe('Forespurt'); // its lookup is queued: it will run
    expect(stateOf(askedLater)).toBe('Pågår'); // asked for at 10 min: 15 min from then
    expect((await sweep(minutes(25))).failed).toEqual([askedLater.tomtId]);
    expect(stateOf(done)).toBe('Ferdig');
  });

  it('starts the clock again for a lot that left "Forespurt" and was asked for again', async () => {
    const l = lot(5, 'Forespurt');
    await sweep(t0);
    await airtable.update('Tomter', [{ id: l.recordId, fields: { [T.eieroppslag]: 'Ferdig' } }]);
    await sweep(minutes(10));
    await airtable.update('Tomter', [{ id: l.recordId, fields: { [T.eieroppslag]: 'Forespurt' } }]);
    await sweep(minutes(12));
    expect((await sweep(minutes(26))).failed).toEqual([]);
    expect((await sweep(minutes(27))).failed).toEqual([l.tomtId]);
  });

  it('reports an Airtable failure and carries on next time', async () => {
    lot(6, 'Forespurt');
    const writer = createOwnerLookupWriter(airtable);
    const report = await sweepStuckLookups({
      db,
      writer: { ...writer, lotsWaitingForLookup: () => Promise.reject(new Error('Airtable HTTP 503')) },
      stuckMinutes: 15,
      now: t0,
      logger: createMemoryLogger(),
    });
    expect(report).toMatchObject({ waiting: 0, failed: [], error: 'Airtable HTTP 503' });
  });
});
