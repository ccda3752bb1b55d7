import { describe, expect, it } from 'vitest';
import { kommunerBaseFields } from '../../../../sync/src/crm/schema/kommuner.js';
import { TomterField as F, tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import type { DesiredRecord } from '../../../../sync/src/crm/sync/types.js';
import { checkOwnership, indexByKey } from '../../../../sync/src/crm/sync/validate.js';

const kommune = (nr: string, extra: Partial<DesiredRecord> = {}): DesiredRecord => ({
  key: nr,
  fields: { Kommune: `Kommune ${nr}`, Score: 61.4 },
  ...extra,
});
const check =
  (...desired: DesiredRecord[]) =>
  () =>
    checkOwnership(kommunerBaseFields, desired);

describe('field ownership of a sync', () => {
  it('accepts sync fields, companions, starting values for team and sync fields, and guards on team fields', () => {
    expect(
      check(
        kommune('3218', {
          companions: { Oppdatert: '2026-03-01' },
          onCreate: { Prioritet: 'Middels', Fylke: 'Akershus' },
          guarded: [{ field: 'Prioritet', value: 'Ikke aktuell', onlyIf: ['Middels', null] }],
        }),
      ),
    ).not.toThrow();
  });

  it('refuses to sync a team field, naming the table, the field and what was attempted', () => {
    expect(check(kommune('3218', { fields: { Score: 1, Notater: 'x' } }))).toThrow(
      'Kommuner: field "Notater" is owned by team and cannot be synced',
    );
    expect(check(kommune('3218'), kommune('3207', { companions: { Prioritet: 'Høy' } }))).toThrow(
      'Kommuner: field "Prioritet" is owned by team and cannot be synced',
    );
  });

  it('checks every record, not only the first one that names a field', () => {
    expect(
      check(
        kommune('3218', { fields: { Kommune: 'Ås' } }),
        kommune('3207', { fields: { Kommune: 'Nordre Follo', Prioritet: 'Høy' } }),
      ),
    ).toThrow(/field "Prioritet" is owned by team/);
  });

  it('refuses a guarded write to a field the sync owns', () => {
    expect(check(kommune('3218', { guarded: [{ field: 'Score', value: 0, onlyIf: [null] }] }))).toThrow(
      'Kommuner: field "Score" is owned by sync and cannot be a guarded write',
    );
  });

  it('refuses a starting value for a field the owner lookup fills', () => {
    const lot: DesiredRecord = {
      key: '3218-45/12-a1b2c3',
      fields: { [F.kommunenummer]: '3218' },
      onCreate: { [F.eieroppslagMelding]: 'Venter' },
    };
    expect(() => checkOwnership(tomterTable, [lot])).toThrow(
      'Tomter: field "Eieroppslag melding" is owned by lookup and cannot be set on create',
    );
  });

  it('refuses a field that is not in the schema', () => {
    expect(check(kommune('3218', { onCreate: { Innbyggere: 21000 } }))).toThrow(
      `Kommuner: field "Innbyggere" is not in the table's schema`,
    );
  });

  it('refuses the merge field among the fields: it goes in the key', () => {
    expect(check(kommune('3218', { fields: { Kommunenummer: '3218', Score: 1 } }))).toThrow(
      'Kommuner: the merge field goes in "key", not in "fields"',
    );
  });
});

describe('desired records by key', () => {
  it('indexes the records by their key', () => {
    const desired = [kommune('3218'), kommune('3207')];
    const byKey = indexByKey('Kommuner', desired);
    expect([...byKey.keys()]).toEqual(['3218', '3207']);
    expect(byKey.get('3207')).toBe(desired[1]);
  });

  it('refuses a key given twice, naming the table and the key', () => {
    expect(() => indexByKey('Kommuner', [kommune('3218'), kommune('3207'), kommune('3218')])).toThrow(
      'Kommuner: key 3218 appears twice in one sync',
    );
  });
});
