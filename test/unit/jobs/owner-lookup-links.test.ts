import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { createOwnerLookupService } from '../../../sync/src/jobs/owner-lookup-service.js';
import { createMatrikkel } from '../../../sync/src/sources/matrikkel/index.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { FakeAirtable } from '../../helpers/fake-airtable-records.js';
import { startOwnerLookupHarness, type Harness } from '../../helpers/owner-lookup-harness.js';

let h: Harness | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await h?.close();
  h = undefined;
});

/** Two lots (two zones) on the property 3218-900/1, which two persons own half each. */
const twoLotsOnOneProperty = [
  { gnr: 900, bnr: 1 },
  { gnr: 900, bnr: 1 },
];

function linksByOwner(airtable: FakeAirtable): Map<string, string[]> {
  return new Map(
    airtable
      .all('Eiere')
      .map((r) => [
        String(r.fields[E.eierId]),
        [...((r.fields[E.tomter] as string[] | undefined) ?? [])].sort(),
      ]),
  );
}

describe('no lost owner link', () => {
  it('links both lots to each owner when two lookups on one property run at once', async () => {
    // Airtable's latency keeps the two read-then-write cycles overlapping, as in production.
    h = await startOwnerLookupHarness({
      specialLots: twoLotsOnOneProperty,
      airtable: new FakeAirtable({ latencyMs: 40 }),
    });
    const [a, b] = h.lots;
    const answers = await Promise.all([
      h.post({ recordId: a!.recordId, nonce: 'lotAaaaa1' }),
      h.post({ recordId: b!.recordId, nonce: 'lotBbbbb2' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    await h.service.queue.idle();

    const both = [a!.recordId, b!.recordId].sort();
    const links = linksByOwner(h.airtable);
    expect(links.size).toBe(2); // two owners, one record each: no duplicate Eier-ID
    for (const lots of links.values()) expect(lots).toEqual(both);
    for (const lot of [a!, b!]) {
      expect(h.airtable.read('Tomter', lot.recordId)).toMatchObject({
        [T.eieroppslag]: 'Ferdig',
        [T.antallEiere]: 2,
        [T.eiere]: expect.arrayContaining([...h.airtable.all('Eiere').map((r) => r.id)]),
      });
    }
  });

  it('links both lots when the two lookups run in two processes on one store', async () => {
    const airtable = new FakeAirtable({ latencyMs: 40 });
    h = await startOwnerLookupHarness({ specialLots: twoLotsOnOneProperty, airtable });
    const [a, b] = h.lots;
    const db = openStore(h.storePath);
    const second = createOwnerLookupService({
      env: h.env,
      db,
      airtable,
      logger: createMemoryLogger(),
      matrikkel: createMatrikkel(h.env, { minRetryDelayMs: 10 }),
    });
    cleanups.push(() => {
      db.close();
    });
    cleanups.push(() => second.stop());
    second.start();
    second.queue.enqueue({ lot: b!, requestedBy: 'ola@firma.no', via: 'cli', purpose: 'test' });
    expect((await h.post({ recordId: a!.recordId, nonce: 'lotAaaaa1' })).status).toBe(202);
    await Promise.all([h.service.queue.idle(), second.queue.idle()]);

    const both = [a!.recordId, b!.recordId].sort();
    const links = linksByOwner(airtable);
    expect(links.size).toBe(2);
    for (const lots of links.values()) expect(lots).toEqual(both);
  });
});
