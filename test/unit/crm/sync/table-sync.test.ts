import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../../../sync/src/crm/airtable/client.js';
import { kommunerBaseFields } from '../../../../sync/src/crm/schema/kommuner.js';
import { syncTable, type DesiredRecord } from '../../../../sync/src/crm/sync/table-sync.js';
import { syncedRecordStore } from '../../../../sync/src/store/airtable-records.js';
import { openStore, type Db } from '../../../../sync/src/store/database.js';
import { createLogger } from '../../../../sync/src/util/logger.js';
import { createProgress } from '../../../../sync/src/util/progress.js';
import { clientFor, doubleWithBase } from '../../../doubles/airtable/harness.js';
import type { AirtableDouble } from '../../../doubles/airtable/server.js';

let double: AirtableDouble;
let client: AirtableClient;
let db: Db;
beforeEach(async () => {
  double = await doubleWithBase();
  client = clientFor(double, { requestsPerSecond: 1000 });
  db = openStore(':memory:');
});
afterEach(async () => {
  await client.close();
  await double.close();
  db.close();
});

/** The Kommuner table through the generic sync, as the kommune ranking will use it. */
const kommune = (nr: string, score: number, extra: Partial<DesiredRecord> = {}): DesiredRecord => ({
  key: nr,
  fields: {
    Kommune: `Kommune ${nr}`,
    Fylke: 'Akershus',
    Score: score,
    Rangering: 1,
    'Topp 50': score > 50,
    Oppdatert: '2026-03-01',
  },
  onCreate: { Prioritet: 'Middels' },
  ...extra,
});
const run = (desired: DesiredRecord[], options: Partial<Parameters<typeof syncTable>[0]> = {}) =>
  syncTable({ client, state: syncedRecordStore(db), spec: kommunerBaseFields, desired, ...options });
const writes = () => double.writeRequests();
const byKey = () => new Map(double.records('Kommuner').map((r) => [r.fields.Kommunenummer as string, r]));

describe('generic table sync', () => {
  it('creates in requests of 10 with the team’s starting values, then does nothing when nothing changed', async () => {
    const desired = Array.from({ length: 25 }, (_, i) => kommune(String(3200 + i), i * 4));
    const first = await run(desired);
    expect(first.created).toHaveLength(25);
    expect(
      writes()
        .map((r) => (r.body as { records: unknown[] }).records.length)
        .sort(),
    ).toEqual([10, 10, 5]);
    expect(byKey().get('3201')!.fields).toMatchObject({ Prioritet: 'Middels', Score: 4 });
    expect(byKey().get('3200')!.fields['Topp 50']).toBeUndefined();
    double.clearRequests();
    const second = await run(desired);
    expect(second).toMatchObject({ created: [], updated: [], unchanged: 25 });
    expect(double.requests).toHaveLength(0);
  });

  it('sends only changed fields and never writes team fields again', async () => {
    await run([kommune('3218', 40), kommune('3207', 60)]);
    const id = byKey().get('3218')!.id;
    double.editRecord('Kommuner', id, { Prioritet: 'Høy', Notater: 'Møte med ordfører' });
    double.clearRequests();
    const result = await run([kommune('3218', 70), kommune('3207', 60)]);
    expect(result.updated).toEqual(['3218']);
    const sent = (writes()[0]!.body as { records: Array<{ fields: Record<string, unknown> }> }).records[0]!
      .fields;
    expect(sent).toEqual({ Kommunenummer: '3218', Score: 70, 'Topp 50': true });
    expect(byKey().get('3218')!.fields).toMatchObject({
      Score: 70,
      Prioritet: 'Høy',
      Notater: 'Møte med ordfører',
    });
  });

  it('holds every create back, all together, when admitCreates says no; updates go on', async () => {
    await run([kommune('3218', 40)]);
    const asked: number[] = [];
    const admit = (answer: boolean) => async (count: number) => {
      asked.push(count);
      return answer;
    };
    const desired = [kommune('3218', 70), kommune('3207', 60), kommune('3212', 55)];
    const held = await run(desired, { admitCreates: admit(false) });
    expect(asked).toEqual([2]);
    expect(held).toMatchObject({ created: [], updated: ['3218'], heldBack: ['3207', '3212'] });
    expect([...byKey().keys()]).toEqual(['3218']);
    expect(byKey().get('3218')!.fields.Score).toBe(70);

    const admitted = await run(desired, { admitCreates: admit(true) });
    expect(asked).toEqual([2, 2]);
    expect(admitted).toMatchObject({ updated: [], heldBack: [] });
    expect([...admitted.created].sort()).toEqual(['3207', '3212']);
    // Nothing left to create: not asked at all.
    await run(desired, { admitCreates: admit(false) });
    expect(asked).toEqual([2, 2]);
  });

  it('while creates are held back, neither brings back a record the team deleted; says so on its line', async () => {
    await run([kommune('3218', 40), kommune('3207', 60)]);
    double.deleteRecord('Kommuner', byKey().get('3218')!.id);
    const lines: string[] = [];
    const terminal = {
      isTTY: false,
      write: (text: string) => lines.push(text),
    } as unknown as NodeJS.WriteStream;
    const held = await run([kommune('3218', 45), kommune('3207', 61), kommune('3212', 55)], {
      admitCreates: async () => false,
      progress: createProgress(terminal),
    });
    expect(held).toMatchObject({
      created: [],
      updated: ['3207'],
      heldBack: ['3212'],
      notInAirtable: ['3218'],
    });
    expect([...byKey().keys()]).toEqual(['3207']);
    expect(lines).toEqual([
      expect.stringMatching(/^Airtable Kommuner: 0 created, 1 updated, 0 unchanged, 1 held back \(/),
    ]);
  });

  it('adopts records it finds after losing its store, writing only what differs', async () => {
    await run([kommune('3218', 40), kommune('3207', 60)]);
    db.close();
    db = openStore(':memory:');
    double.clearRequests();
    const result = await run([kommune('3218', 40), kommune('3207', 61)]);
    expect(result).toMatchObject({ updated: ['3207'], unchanged: 1, created: [] });
    expect(double.requests.map((r) => r.kind)).toEqual(['list', 'upsert']);
    expect(double.records('Kommuner')).toHaveLength(2);
    expect(byKey().get('3207')!.fields.Prioritet).toBe('Middels');
  });

  it('recreates a record deleted in Airtable in full, with its starting values', async () => {
    await run([kommune('3218', 40)]);
    double.deleteRecord('Kommuner', byKey().get('3218')!.id);
    const result = await run([kommune('3218', 45)]);
    expect(result.created).toEqual(['3218']);
    expect(byKey().get('3218')!.fields).toMatchObject({
      Kommune: 'Kommune 3218',
      Score: 45,
      Prioritet: 'Middels',
    });
  });

  it('does not bring back a record deleted in Airtable that is not to be created', async () => {
    await run([kommune('3218', 40), kommune('3207', 40)]);
    double.deleteRecord('Kommuner', byKey().get('3218')!.id);
    const result = await run([kommune('3218', 41, { create: false }), kommune('3207', 41)]);
    expect(result).toMatchObject({ notInAirtable: ['3218'], updated: ['3207'], failed: [] });
    expect([...byKey().keys()]).toEqual(['3207']);
    double.clearRequests();
    await run([kommune('3218', 41, { create: false }), kommune('3207', 41)]);
    expect(double.requests).toHaveLength(0);
  });

  it('reports duplicates made in Airtable and a rejected value, and writes the rest', async () => {
    double.addRecord('Kommuner', { Kommunenummer: '3218' });
    double.addRecord('Kommuner', { Kommunenummer: '3218' });
    const bad = kommune('3207', 10, { fields: { ...kommune('3207', 10).fields, Oppdatert: '1. mars' } });
    const result = await run([kommune('3218', 40), bad, kommune('3212', 20), kommune('3220', 30)]);
    expect(result.created.sort()).toEqual(['3212', '3220']);
    expect(result.failed.map((f) => f.key).sort()).toEqual(['3207', '3218']);
    expect(result.failed.find((f) => f.key === '3218')!.message).toMatch(/2 records .* duplicates/);
    expect(result.failed.find((f) => f.key === '3207')!.message).toMatch(
      /field "Oppdatert", value "1. mars"/,
    );
    expect(double.records('Kommuner')).toHaveLength(4);
  });

  it('applies a guarded write only while the team field holds an allowed value, once', async () => {
    await run([kommune('3218', 40), kommune('3207', 40)]);
    double.editRecord('Kommuner', byKey().get('3207')!.id, { Prioritet: 'Høy' });
    const guard = { guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', null] }] };
    const result = await run([kommune('3218', 40, guard), kommune('3207', 40, guard)]);
    expect(result.guardsApplied).toEqual([{ key: '3218', field: 'Prioritet', value: 'Ikke aktuell' }]);
    expect(byKey().get('3218')!.fields.Prioritet).toBe('Ikke aktuell');
    expect(byKey().get('3207')!.fields.Prioritet).toBe('Høy');
    double.editRecord('Kommuner', byKey().get('3218')!.id, { Prioritet: 'Middels' });
    double.clearRequests();
    await run([kommune('3218', 40, guard), kommune('3207', 40, guard)]);
    expect(double.requests).toHaveLength(0);
    expect(byKey().get('3218')!.fields.Prioritet).toBe('Middels');
  });

  it('plans without writing in a dry run', async () => {
    await run([kommune('3218', 40)]);
    double.clearRequests();
    const result = await run([kommune('3218', 41), kommune('3207', 1)], { dryRun: true });
    expect(result.created).toEqual(['3207']);
    expect(result.updated).toEqual(['3218']);
    expect(result.writes.find((w) => w.key === '3218')!.changedFields).toEqual(['Score']);
    expect(result.failed).toEqual([]);
    expect(result.notInAirtable).toEqual([]);
    expect(writes()).toHaveLength(0);
    expect(syncedRecordStore(db).get('Kommuner', ['3207']).size).toBe(0);
  });

  it('does not create records marked create:false, and remembers that they are absent', async () => {
    const result = await run([kommune('3218', 40, { create: false })]);
    expect(result.notInAirtable).toEqual(['3218']);
    double.clearRequests();
    await run([kommune('3218', 40, { create: false })]);
    expect(double.requests).toHaveLength(0);
    expect(double.records('Kommuner')).toHaveLength(0);
  });

  it('after a write whose answer was lost, resends those fields rather than trusting its hashes', async () => {
    await run([kommune('3218', 40)]);
    const impatient = clientFor(double, { requestsPerSecond: 1000, maxRetries: 0, timeoutMs: 200 });
    double.injectFault('timeout');
    await expect(
      syncTable({
        client: impatient,
        state: syncedRecordStore(db),
        spec: kommunerBaseFields,
        desired: [kommune('3218', 70)],
      }),
    ).rejects.toThrow(/timeout/i);
    await impatient.close();
    // Airtable applied 70; going back to 40 must be sent although 40 is what was last confirmed.
    expect(byKey().get('3218')!.fields.Score).toBe(70);
    const result = await run([kommune('3218', 40)]);
    expect(result.updated).toEqual(['3218']);
    expect(byKey().get('3218')!.fields.Score).toBe(40);
  });

  it('refuses to sync a field the team owns', async () => {
    await expect(run([{ key: '3218', fields: { Prioritet: 'Høy' } }])).rejects.toThrow(/owned by team/);
    await expect(run([{ key: '3218', fields: { Innbyggere: 1 } }])).rejects.toThrow(
      /not in the table's schema/,
    );
  });

  it('stops on an error that is not about one record, keeping what was written', async () => {
    const desired = Array.from({ length: 30 }, (_, i) => kommune(String(3200 + i), i));
    let writesSeen = 0;
    const failing = clientFor(double, { requestsPerSecond: 1000, maxRetries: 0 });
    const original = failing.upsert.bind(failing);
    failing.upsert = (async (...args: Parameters<typeof original>) => {
      writesSeen += 1;
      if (writesSeen === 2) double.injectFault(500);
      return original(...args);
    }) as typeof failing.upsert;
    await expect(
      syncTable({
        client: failing,
        state: syncedRecordStore(db),
        spec: kommunerBaseFields,
        desired,
        concurrency: 1,
      }),
    ).rejects.toThrow(/SERVER_ERROR/);
    const kept = syncedRecordStore(db).get(
      'Kommuner',
      desired.map((d) => d.key),
    );
    expect(kept.size).toBe(10);
    await failing.close();
    const resumed = await run(desired);
    expect(resumed.created).toHaveLength(20);
    expect(double.records('Kommuner')).toHaveLength(30);
  });
  it('tells the operator what it wrote: one progress line per table, and a warning per refused record', async () => {
    const lines: string[] = [];
    const terminal = {
      isTTY: false,
      write: (text: string) => lines.push(text),
    } as unknown as NodeJS.WriteStream;
    const warnings: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: 'warn',
      format: 'json',
      write: (line) => warnings.push(JSON.parse(line) as Record<string, unknown>),
    });
    await run([kommune('3218', 40), kommune('3212', 20)]);
    const bad = kommune('3207', 10, { fields: { ...kommune('3207', 10).fields, Oppdatert: '1. mars' } });
    const desired = [kommune('3218', 41), kommune('3212', 20), bad, kommune('3220', 30)];
    await run(desired, { progress: createProgress(terminal), logger });
    expect(lines).toEqual([
      expect.stringMatching(
        /^Airtable Kommuner: 1 created, 1 updated, 1 unchanged, 1 failed \(\d+\.\d s\)\n$/,
      ),
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: 'Airtable rejected a record',
        table: 'Kommuner',
        key: '3207',
        error: expect.stringContaining('field "Oppdatert", value "1. mars"'),
      }),
    ]);
    lines.length = 0;
    await run([kommune('3218', 42)], { progress: createProgress(terminal), label: 'Kommunerangering' });
    expect(lines).toEqual([expect.stringMatching(/^Kommunerangering: 0 created, 1 updated, 0 unchanged \(/)]);
  });
});
