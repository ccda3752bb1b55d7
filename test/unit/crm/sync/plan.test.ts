import { describe, expect, it } from 'vitest';
import type { AirtableRecord } from '../../../../sync/src/crm/airtable/types.js';
import { LotStatus, TomterField as F } from '../../../../sync/src/crm/schema/tomter.js';
import { hashValue } from '../../../../sync/src/crm/sync/field-hash.js';
import { createWrite, planRecord, planTable } from '../../../../sync/src/crm/sync/plan.js';
import type { DesiredRecord, PlannedWrite } from '../../../../sync/src/crm/sync/types.js';
import { desiredTomterRecord } from '../../../../sync/src/crm/tomter/desired.js';
import type { TrackedLot } from '../../../../sync/src/lot-record/lifecycle.js';
import type { SyncedRecord } from '../../../../sync/src/store/airtable-records.js';
import { aasLots, aasRecords } from '../../../fixtures/crm/lots.js';

const [record] = aasRecords(aasLots({ count: 1 }));

/** A lot in Ås as the Tomter sync describes it (a few of its cells). */
const lot = (extra: Partial<TrackedLot> = {}, cells: Record<string, unknown> = {}): DesiredRecord =>
  desiredTomterRecord(
    {
      record: { ...record!, tomtId: '3218-45/12-a1b2c3' },
      state: 'active',
      firstSeen: '2026-01-05T01:00:00Z',
      lastSeen: '2026-03-02T01:00:00Z',
      changedAt: '2026-03-02T01:00:00Z',
      vanishedAt: null,
      vanishedReason: null,
      revivedAt: null,
      timesVanished: 0,
      ...extra,
    },
    {
      [F.kommunenummer]: '3218',
      [F.kommune]: 'Ås',
      [F.matrikkelnummer]: '45/12',
      [F.arealM2]: 4210,
      [F.planarbeidPagar]: true,
      [F.score]: 68,
      [F.klasse]: 'B',
      ...cells,
    },
    'Europe/Oslo',
  );
const vanished = (content: Record<string, unknown> = {}) =>
  lot(
    {
      state: 'vanished',
      vanishedAt: '2026-03-02T01:00:00Z',
      vanishedReason: 'Regulert: vedtatt reguleringsplan 3218-2025011',
      timesVanished: 1,
    },
    content,
  );
const back = (content: Record<string, unknown> = {}) => lot({ timesVanished: 1 }, content);

/** What the store holds once a planned write has landed. */
const stored = (write: PlannedWrite, hashes = write.hashes): SyncedRecord => ({
  key: write.key,
  recordId: 'recLot0000000001',
  fieldHashes: hashes,
  syncedAt: '2026-03-02T02:00:00Z',
});
/** The record as Airtable lists it: empty cells are left out. */
const inAirtable = (fields: Record<string, unknown>): AirtableRecord => ({
  id: 'recLot0000000001',
  createdTime: '2026-01-05T02:00:00.000Z',
  fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== '' && v !== false)),
});
const asWrite = (plan: ReturnType<typeof planRecord>): PlannedWrite => {
  if (typeof plan === 'string' || 'adopt' in plan)
    throw new Error(`expected a write, got ${JSON.stringify(plan)}`);
  return plan;
};

describe('table sync planning (pure)', () => {
  it('creates the record in full without empty cells, with Status "Ny", and plans nothing on the next night', () => {
    const write = createWrite(lot());
    expect(write).toMatchObject({ kind: 'create', recordId: null, pendingHashes: {}, guardsApplied: [] });
    expect(write.fields).toEqual({
      [F.kommunenummer]: '3218',
      [F.kommune]: 'Ås',
      [F.matrikkelnummer]: '45/12',
      [F.arealM2]: 4210,
      [F.planarbeidPagar]: true,
      [F.score]: 68,
      [F.klasse]: 'B',
      [F.forstSett]: '2026-01-05',
      [F.sistSett]: '2026-03-02',
      [F.status]: LotStatus.ny,
    });
    expect(write.changedFields).toContain(F.utgattDato);
    expect(planRecord(lot(), stored(write), undefined)).toBe('unchanged');
  });

  it('on create the team’s starting value wins over a guard on the same field, which then counts as done', () => {
    const returned = createWrite(back());
    expect(returned.fields[F.status]).toBe(LotStatus.ny);
    expect(returned.guardsApplied).toEqual([]);
    expect(planRecord(back(), stored(returned), undefined)).toBe('unchanged');
    const kommune: DesiredRecord = {
      key: '3207',
      fields: { Kommune: 'Nordre Follo', Score: 57.2 },
      onCreate: { Prioritet: 'Middels' },
      guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', null] }],
    };
    const created = createWrite(kommune);
    expect(created.fields.Prioritet).toBe('Middels');
    expect(created.guardsApplied).toEqual([]);
    expect(planRecord(kommune, stored(created), undefined)).toBe('unchanged');
  });

  it('a guard allowed on an empty cell is applied on create when no starting value sets the field', () => {
    const record: DesiredRecord = {
      key: '3218',
      fields: { Kommune: 'Ås', Score: 61.4 },
      guarded: [{ field: 'Prioritet', value: 'Høy', onlyIf: [null] }],
    };
    const write = createWrite(record);
    expect(write.fields).toEqual({ Kommune: 'Ås', Score: 61.4, Prioritet: 'Høy' });
    expect(write.guardsApplied).toEqual(record.guarded);
  });

  it('sends only changed fields with the companions; cleared cells go as null, an unticked box as false', () => {
    const before = stored(createWrite(vanished({ [F.begrensninger]: 'Faresone flom (H320)' })));
    const returned = back({ [F.score]: 71, [F.planarbeidPagar]: false, [F.begrensninger]: '' });
    const plan = asWrite(planRecord(returned, before, undefined));
    expect(plan.kind).toBe('update');
    expect(plan.recordId).toBe('recLot0000000001');
    expect(plan.fields).toEqual({
      [F.sistSett]: '2026-03-02',
      [F.planarbeidPagar]: false,
      [F.score]: 71,
      [F.begrensninger]: null,
      [F.utgattDato]: null,
      [F.utgattArsak]: null,
    });
    expect(plan.changedFields).toEqual(Object.keys(plan.fields).slice(1));
  });

  it('marks what is being sent as pending, so a write whose answer was lost is sent again', () => {
    const before = stored(createWrite(lot()));
    const plan = asWrite(planRecord(lot({}, { [F.score]: 74 }), before, undefined));
    expect(plan.pendingHashes[F.score]).not.toBe(hashValue(74));
    expect(plan.pendingHashes[F.kommune]).toBe(before.fieldHashes[F.kommune]);
    expect(plan.hashes[F.score]).toBe(hashValue(74));
    expect(plan.hashes[F.sistSett]).toBeUndefined();
    // The process died after Airtable applied 74: the store still holds the pending hashes.
    const again = asWrite(
      planRecord(lot({}, { [F.score]: 74 }), stored(plan, plan.pendingHashes), undefined),
    );
    expect(again.changedFields).toEqual([F.score]);
    // Once the answer was stored, the same night's values plan nothing.
    expect(planRecord(lot({}, { [F.score]: 74 }), stored(plan), undefined)).toBe('unchanged');
  });

  it('a guarded write interrupted before it landed is tried again', () => {
    const before = stored(createWrite(lot()));
    const plan = asWrite(planRecord(vanished(), before, inAirtable({ [F.status]: LotStatus.ny })));
    expect(plan.fields[F.status]).toBe(LotStatus.utgatt);
    // Killed before Airtable applied it: Status is still "Ny" and the store holds the pending hashes.
    const again = asWrite(
      planRecord(vanished(), stored(plan, plan.pendingHashes), inAirtable({ [F.status]: LotStatus.ny })),
    );
    expect(again.fields[F.status]).toBe(LotStatus.utgatt);
    expect(again.changedFields).toEqual([F.utgattDato, F.utgattArsak]);
  });

  it('sets Status "Utgått" on a vanished lot only while Status is "Ny" or empty, and only once', () => {
    const before = stored(createWrite(lot()));
    for (const status of [LotStatus.ny, null]) {
      const plan = asWrite(planRecord(vanished(), before, inAirtable({ [F.status]: status })));
      expect(plan.fields[F.status]).toBe(LotStatus.utgatt);
      expect(plan.guardsApplied).toEqual([
        { field: F.status, value: LotStatus.utgatt, onlyIf: [LotStatus.ny, null] },
      ]);
      expect(planRecord(vanished(), stored(plan), undefined)).toBe('unchanged');
    }
    // The team moved the lot on: the date and reason are written, their Status is not.
    const kept = asWrite(planRecord(vanished(), before, inAirtable({ [F.status]: LotStatus.dialog })));
    expect(kept.fields[F.status]).toBeUndefined();
    expect(kept.guardsApplied).toEqual([]);
    expect(planRecord(vanished(), stored(kept), undefined)).toBe('unchanged');
  });

  it('a guard that finds the team’s value is remembered without a write, and not read again', () => {
    const kommune: DesiredRecord = { key: '3207', fields: { Kommune: 'Nordre Follo', Score: 57.2 } };
    const guarded: DesiredRecord = {
      ...kommune,
      guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', null] }],
    };
    const before = stored(createWrite(kommune));
    const plan = planRecord(guarded, before, inAirtable({ Prioritet: 'Høy' }));
    if (typeof plan === 'string' || !('adopt' in plan)) throw new Error(`expected an adoption: ${plan}`);
    expect(plan.adopt.recordId).toBe('recLot0000000001');
    expect(planRecord(guarded, { ...before, fieldHashes: plan.adopt.fieldHashes }, undefined)).toBe(
      'unchanged',
    );
  });

  it('does a new guarded write on a field whose earlier guard is done: another value or other conditions', () => {
    const kommune: DesiredRecord = { key: '3207', fields: { Kommune: 'Nordre Follo', Score: 57.2 } };
    const out: DesiredRecord = {
      ...kommune,
      guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', null] }],
    };
    const created = createWrite(out);
    const done = stored(created);
    expect(planRecord(out, done, undefined)).toBe('unchanged');
    // Back in the top: Prioritet "Middels" where the sync set "Ikke aktuell".
    const back: DesiredRecord = {
      ...kommune,
      guarded: [{ field: 'Prioritet', value: 'Middels', onlyIf: ['Ikke aktuell', null] }],
    };
    const raised = asWrite(
      planRecord(back, done, inAirtable({ ...created.fields, Prioritet: 'Ikke aktuell' })),
    );
    expect(raised.fields).toMatchObject({ Prioritet: 'Middels' });
    // The same value, now also over "Lav": a new guard too.
    const wider: DesiredRecord = {
      ...kommune,
      guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', 'Lav', null] }],
    };
    const lowered = asWrite(planRecord(wider, done, inAirtable({ ...created.fields, Prioritet: 'Lav' })));
    expect(lowered.fields).toMatchObject({ Prioritet: 'Ikke aktuell' });
  });

  it('adopts a record found in Airtable after the store was lost, writing only what differs and no team field', () => {
    const created = createWrite(lot());
    const found = inAirtable({ ...created.fields, [F.status]: LotStatus.dialog });
    expect(planRecord(lot(), undefined, found)).toEqual({
      adopt: { key: '3218-45/12-a1b2c3', recordId: 'recLot0000000001', fieldHashes: created.hashes },
    });
    const plan = asWrite(planRecord(lot({}, { [F.klasse]: 'A' }), undefined, found));
    expect(plan.fields).toEqual({ [F.sistSett]: '2026-03-02', [F.klasse]: 'A' });
  });

  it('plans a table: skips duplicates, counts adopted as unchanged, remembers an absent lot once', () => {
    const known = stored(createWrite(lot()));
    const desired = [
      lot(),
      { ...lot({}, { [F.score]: 40 }), key: '3218-45/13-d4e5f6' },
      { ...vanished(), key: '3218-45/14-0a0b0c' },
      { ...vanished(), key: '3218-45/15-1a1b1c' },
      { ...lot(), key: '3218-45/16-2a2b2c' },
      { ...lot(), key: '3218-45/17-3a3b3c' },
    ];
    const plan = planTable({
      desired,
      synced: new Map([[known.key, known]]),
      current: new Map([['3218-45/16-2a2b2c', inAirtable(createWrite(lot()).fields)]]),
      knownAbsent: new Set(['3218-45/15-1a1b1c']),
      skip: new Set(['3218-45/17-3a3b3c']),
    });
    expect(plan.writes.map((w) => [w.key, w.kind])).toEqual([['3218-45/13-d4e5f6', 'create']]);
    expect(plan.unchanged).toBe(2);
    expect(plan.notInAirtable).toEqual(['3218-45/14-0a0b0c', '3218-45/15-1a1b1c']);
    expect(plan.adopted.map((a) => [a.key, a.recordId])).toEqual([
      ['3218-45/14-0a0b0c', ''],
      ['3218-45/16-2a2b2c', 'recLot0000000001'],
    ]);
  });
  it('remembers each of several guarded writes on a record on its own', () => {
    const record: DesiredRecord = {
      key: '3218',
      fields: { Kommune: 'Ås', Score: 61.4 },
      guarded: [
        { field: 'Prioritet', value: 'Høy', onlyIf: [null] },
        { field: 'Notater', value: 'Ny i topp 50', onlyIf: [null] },
      ],
    };
    const created = createWrite(record);
    expect(created.guardsApplied.map((g) => g.field)).toEqual(['Prioritet', 'Notater']);
    // Both were done on create: the next night neither is due, though both cells are still empty.
    expect(planRecord(record, stored(created), inAirtable({}))).toBe('unchanged');
  });

  it('a field added to the table after the record was written costs no write while empty', () => {
    const before = stored(createWrite(lot()));
    expect(before.fieldHashes[F.underTerskel]).toBeUndefined();
    expect(planRecord(lot({}, { [F.underTerskel]: false }), before, undefined)).toBe('unchanged');
    const marked = asWrite(planRecord(lot({}, { [F.underTerskel]: true }), before, undefined));
    expect(marked.fields).toEqual({ [F.sistSett]: '2026-03-02', [F.underTerskel]: true });
  });

  it('a guard on a cell that is not text compares the cell written as JSON', () => {
    const before = stored(createWrite(lot()));
    const guarded = (onlyIf: string[]): DesiredRecord => ({
      ...lot(),
      guarded: [{ field: 'Forsøk', value: 0, onlyIf }],
    });
    const reset = asWrite(planRecord(guarded(['3']), before, inAirtable({ Forsøk: 3 })));
    expect(reset.fields).toEqual({ [F.sistSett]: '2026-03-02', Forsøk: 0 });
    const tagged = asWrite(planRecord(guarded(['["Ringt"]']), before, inAirtable({ Forsøk: ['Ringt'] })));
    expect(tagged.guardsApplied).toHaveLength(1);
    expect(planRecord(guarded(['4']), before, inAirtable({ Forsøk: 3 }))).toMatchObject({ adopt: {} });
  });
});
