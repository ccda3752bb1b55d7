import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import { createOwnerLookupService } from '../../../sync/src/jobs/owner-lookup-service.js';
import { createMatrikkel } from '../../../sync/src/sources/matrikkel/index.js';
import { listAudit, listCallLines } from '../../../sync/src/store/audit-log.js';
import { openStore } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { FakeAirtable } from '../../helpers/fake-airtable-records.js';
import {
  KEEP_OWNER_LOCKS_MS,
  QUEUE_POLL_MS,
  startOwnerLookupHarness,
  type Harness,
} from '../../helpers/owner-lookup-harness.js';
import { idleWithin } from '../../helpers/queue-idle.js';

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
    await idleWithin(h.service.queue);

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
      keepOwnerLocksMs: KEEP_OWNER_LOCKS_MS,
      pollMs: QUEUE_POLL_MS,
    });
    cleanups.push(() => {
      db.close();
    });
    cleanups.push(() => second.stop());
    second.start();
    second.queue.enqueue({ lot: b!, requestedBy: 'ola@firma.no', via: 'cli', purpose: 'test' });
    expect((await h.post({ recordId: a!.recordId, nonce: 'lotAaaaa1' })).status).toBe(202);
    await Promise.all([idleWithin(h.service.queue), idleWithin(second.queue)]);

    const both = [a!.recordId, b!.recordId].sort();
    const links = linksByOwner(airtable);
    expect(links.size).toBe(2);
    for (const lots of links.values()) expect(lots).toEqual(both);
  });

  it('links every lot to all its owners when many lookups on one property race, in fewer requests', async () => {
    // Ten lots (zones) on 3218-900/1: eight looked up at once, one later, one only linked by hand.
    h = await startOwnerLookupHarness({
      specialLots: Array.from({ length: 10 }, () => ({ gnr: 900, bnr: 1 })),
      airtable: new FakeAirtable({ latencyMs: 40 }),
      runningNoticeAfterMs: 60_000,
    });
    const racing = h.lots.slice(0, 8);
    const [later, byHand] = h.lots.slice(8);
    const answers = await Promise.all(
      racing.map((lot, i) => h!.post({ recordId: lot.recordId, nonce: `racelot${i}` })),
    );
    expect(answers.map((r) => r.status)).toEqual(racing.map(() => 202));
    await idleWithin(h.service.queue);

    const all = racing.map((lot) => lot.recordId).sort();
    let links = linksByOwner(h.airtable);
    expect(links.size).toBe(2); // two owners, one record each
    for (const lots of links.values()) expect(lots).toEqual(all);
    for (const lot of racing) {
      expect(h.airtable.read('Tomter', lot.recordId)).toMatchObject({
        [T.eieroppslag]: 'Ferdig',
        [T.antallEiere]: 2,
        [T.eiere]: expect.arrayContaining(h.airtable.all('Eiere').map((r) => r.id)),
      });
    }
    // One Matrikkel lookup and one audit line per lot, however the writes were merged.
    expect(listAudit(h.db)).toHaveLength(8);
    expect(
      listCallLines(h.db)
        .map((c) => c.tomtId)
        .sort(),
    ).toEqual(racing.map((l) => l.tomtId).sort());
    // One at a time, each lot costs its upsert and its state write, and from the second lot on a
    // read of the links to keep: 2 + 7 × 3 = 23 requests, 8 upserts, 7 reads.
    expect(h.airtable.requestCount('upsert')).toBeLessThan(8);
    expect(h.airtable.requestCount('list')).toBeLessThan(7);
    expect(h.airtable.requestCount()).toBeLessThan(23);

    // A link the team adds by hand once the locks are released is kept by the next lookup.
    const [first] = h.airtable.all('Eiere');
    await h.airtable.update('Eiere', [
      { id: first!.id, fields: { [E.tomter]: [...(first!.fields[E.tomter] as string[]), byHand!.recordId] } },
    ]);
    await new Promise((r) => setTimeout(r, KEEP_OWNER_LOCKS_MS + 100));
    expect((await h.post({ recordId: later!.recordId, nonce: 'laterlot9' })).status).toBe(202);
    await idleWithin(h.service.queue);
    links = linksByOwner(h.airtable);
    expect(links.get(String(first!.fields[E.eierId]))).toEqual(
      [...all, later!.recordId, byHand!.recordId].sort(),
    );
  });
});
