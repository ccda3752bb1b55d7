import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EiereField as E, TomterField as T } from '../../sync/src/crm/schema/index.js';
import { listAudit } from '../../sync/src/store/audit-log.js';
import { startOwnerLookupHarness, type Harness } from '../helpers/owner-lookup-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const lotState = (h: Harness, recordId: string) => h.airtable.read('Tomter', recordId)!;

describe('owner lookup end to end (webhook → queue → Matrikkel double → Airtable fake)', () => {
  it('answers 202 at once and writes the owners, linked to the lot, with the lot marked Ferdig', async () => {
    harness = await startOwnerLookupHarness({ specialLots: [{ gnr: 900, bnr: 1 }] });
    const lot = harness.lots[0]!;
    const response = await harness.post({
      recordId: lot.recordId,
      requestedBy: { name: 'Selger Test', email: 'selger@example.no' },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ tomtId: lot.tomtId, state: 'queued', joined: false });
    await harness.service.queue.idle();

    expect(lotState(harness, lot.recordId)).toMatchObject({
      [T.eieroppslag]: 'Ferdig',
      [T.antallEiere]: 2,
      [T.eieroppslagMelding]: expect.stringMatching(/^2 eiere \(2 personer\) på 3218-900\/1\. Hentet /),
    });
    const owners = harness.airtable.all('Eiere');
    expect(owners).toHaveLength(2);
    for (const owner of owners) {
      expect(owner.fields).toMatchObject({
        [E.type]: 'Person',
        [E.andel]: '1/2',
        [E.rolle]: 'Hjemmelshaver',
        [E.matrikkelnummer]: '3218-900/1',
        [E.kilde]: 'Matrikkelen (tinglyst)',
        [E.eierstatus]: 'Gjeldende',
        [E.tomter]: [lot.recordId],
      });
      expect(owner.fields[E.eierId]).toMatch(/^3218-900\/1-\d+$/);
    }
    // The base keeps the inverse link on the lot.
    expect(lotState(harness, lot.recordId)[T.eiere]).toHaveLength(2);

    const audit = listAudit(harness.db);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tomtId: lot.tomtId,
      parcels: '3218-900/1',
      requestedBy: 'Selger Test <selger@example.no>',
      outcome: 'done',
      ownerCount: 2,
    });
    expect(audit[0]!.purpose).toMatch(/Tomteanskaffelse/);
  });

  it('makes exactly one lookup per lot for 100 concurrent calls on 20 lots, losing none', async () => {
    harness = await startOwnerLookupHarness({ lots: 20, matrikkelLatencyMs: [5, 20] });
    const h = harness;
    const calls = Array.from({ length: 100 }, (_, i) =>
      h.post({ recordId: h.lots[i % 20]!.recordId, requestedBy: `selger${i % 7}@example.no` }),
    );
    const responses = await Promise.all(calls);
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(202));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
      jobId: number;
      joined: boolean;
    }>;
    expect(new Set(bodies.map((b) => b.jobId)).size).toBe(20);
    expect(bodies.filter((b) => !b.joined)).toHaveLength(20);
    await h.service.queue.idle();

    const audit = listAudit(h.db);
    expect(audit).toHaveLength(20);
    expect(new Set(audit.map((a) => a.tomtId)).size).toBe(20);
    expect(audit.every((a) => a.outcome === 'done')).toBe(true);
    // Every requester who joined is on the lot's one audit line.
    const joinedRequesters = audit.flatMap((a) => a.requestedBy.split('; '));
    expect(joinedRequesters.length).toBeGreaterThanOrEqual(20);
    const ownerObjectFetches = h.double.calls.filter((c) => c.operation === 'getObject');
    expect(ownerObjectFetches).toHaveLength(20);
    for (const lot of h.lots) expect(lotState(h, lot.recordId)[T.eieroppslag]).toBe('Ferdig');
  });

  it('loses no queued lookup when the service dies mid-queue and restarts', async () => {
    harness = await startOwnerLookupHarness({ lots: 12, matrikkelLatencyMs: 150 });
    const first = harness;
    for (const lot of first.lots) expect((await first.post({ recordId: lot.recordId })).status).toBe(202);
    await waitFor(() => first.double.calls.some((c) => c.operation === 'getObject'));
    // A crash: running lookups are abandoned without an outcome, queued ones are never started.
    await first.stop({ abandon: true });
    const doneBefore = listAudit(openReadOnly(first.storePath)).length;
    expect(doneBefore).toBeLessThan(12);

    harness = await first.restart();
    await harness.service.queue.idle();
    const audit = listAudit(harness.db);
    expect(audit.map((a) => a.tomtId).sort()).toEqual(first.lots.map((l) => l.tomtId).sort());
    expect(audit.every((a) => a.outcome === 'done')).toBe(true);
    for (const lot of first.lots) expect(lotState(harness, lot.recordId)[T.eieroppslag]).toBe('Ferdig');
    expect(harness.logLines.some((l) => l.includes('owner lookups resumed after a restart'))).toBe(true);
  });

  it('keeps owner names out of logs: they live only in the store and in Airtable', async () => {
    harness = await startOwnerLookupHarness({
      lots: 5,
      specialLots: [
        { gnr: 900, bnr: 1 },
        { gnr: 900, bnr: 2 },
        { gnr: 900, bnr: 4, fnr: 1 },
        { gnr: 900, bnr: 6 },
      ],
    });
    const h = harness;
    for (const lot of h.lots) await h.post({ recordId: lot.recordId, requestedBy: 'selger@example.no' });
    await h.service.queue.idle();
    const { names, identityNumbers, addresses } = h.double.registry.personalData();
    const stored = h.airtable.all('Eiere').map((r) => String(r.fields[E.navn]));
    expect(stored.length).toBeGreaterThanOrEqual(12);
    for (const name of stored)
      expect(names.some((n) => n === name || n.includes(name.split(' ')[0]!))).toBe(true);

    const logs = h.logLines.join('\n');
    expect(h.logLines.length).toBeGreaterThan(10);
    for (const name of stored) expect(logs).not.toContain(name);
    const auditText = JSON.stringify(listAudit(h.db));
    for (const name of stored) expect(auditText).not.toContain(name);
    // National identity numbers and addresses are nowhere: not in Airtable, the store file or the logs.
    const airtableText = JSON.stringify(h.airtable.all('Eiere')) + JSON.stringify(h.airtable.all('Tomter'));
    const storeBytes = readFileSync(h.storePath).toString('latin1') + readWal(h.storePath);
    for (const secret of [...identityNumbers, ...addresses]) {
      expect(airtableText).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(storeBytes).not.toContain(secret);
    }
  });
});

function readWal(storePath: string): string {
  try {
    return readFileSync(`${storePath}-wal`).toString('latin1');
  } catch {
    return '';
  }
}

function openReadOnly(file: string) {
  return new Database(file, { readonly: true });
}
