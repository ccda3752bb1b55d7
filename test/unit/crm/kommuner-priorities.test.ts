import { afterEach, describe, expect, it } from 'vitest';
import type { AirtableClient } from '../../../sync/src/crm/airtable/client.js';
import { AirtableError } from '../../../sync/src/crm/airtable/errors.js';
import { readKommunePriorities } from '../../../sync/src/crm/kommuner-priorities.js';
import { KommunePriority, kommunerTable } from '../../../sync/src/crm/schema/index.js';
import { setupBase } from '../../../sync/src/crm/setup/setup-base.js';
import { clientFor, doubleWithBase } from '../../doubles/airtable/harness.js';
import { seedTable } from '../../doubles/airtable/schema.js';
import { startAirtableDouble, type AirtableDouble } from '../../doubles/airtable/server.js';
import { frozenRanking } from '../../fixtures/kommune-selection/ranking.js';

let double: AirtableDouble | undefined;
let client: AirtableClient | undefined;
afterEach(async () => {
  await client?.close();
  await double?.close();
  client = undefined;
  double = undefined;
});

/**
 * The base as the team has it after a few weeks: every kommune written by the ranking (a few
 * fields), the team's Prioritet set on some of them, and Airtable's usual mess (a duplicate, a
 * hand-made record without a number).
 */
async function teamBase(priorities: Record<string, string>): Promise<AirtableDouble> {
  double = await doubleWithBase();
  for (const k of frozenRanking().kommuner)
    double.addRecord('Kommuner', {
      Kommunenummer: k.kommunenummer,
      Kommune: k.navn,
      Rangering: k.rank,
      'Topp 50': k.top,
      ...(priorities[k.kommunenummer] ? { Prioritet: priorities[k.kommunenummer] } : {}),
    });
  double.clearRequests();
  client = clientFor(double, { requestsPerSecond: 1000 });
  return double;
}

describe('reading Prioritet from the Airtable table Kommuner', () => {
  it('offers "Alltid med" beside the team’s other choices', () => {
    const prioritet = kommunerTable.fields.find((f) => f.name === 'Prioritet')!;
    expect(prioritet.owner).toBe('team');
    expect((prioritet.options!.choices as Array<{ name: string }>).map((c) => c.name)).toEqual([
      'Alltid med',
      'Høy',
      'Middels',
      'Lav',
      'Ikke aktuell',
    ]);
  });

  it('reads the pins in one request, only key and Prioritet, and never writes', async () => {
    const base = await teamBase({
      '3212': KommunePriority.alltidMed, // Nesodden, far from the top 50
      '5001': KommunePriority.alltidMed,
      '0301': KommunePriority.ikkeAktuell,
      '3218': KommunePriority.hoy,
      '4601': KommunePriority.middels,
      '1144': KommunePriority.lav,
    });
    const read = await readKommunePriorities(client!);
    expect([...read.pins]).toEqual([
      ['0301', 'never'],
      ['3212', 'always'],
      ['5001', 'always'],
    ]);
    expect(read).toMatchObject({ conflicts: [], unkeyed: 0 });
    expect(base.requests).toHaveLength(1);
    const [request] = base.requests;
    expect(request).toMatchObject({ kind: 'list', method: 'GET', status: 200 });
    expect(request!.query.getAll('fields[]')).toEqual(['Kommunenummer', 'Prioritet']);
    expect(request!.query.get('filterByFormula')).toBe(
      "OR({Prioritet}='Alltid med',{Prioritet}='Ikke aktuell')",
    );
    expect(base.writeRequests()).toEqual([]);
  });

  it('leaves a kommune whose duplicate records disagree without a pin, and ignores records without a number', async () => {
    const base = await teamBase({ '3207': KommunePriority.alltidMed, '5001': KommunePriority.ikkeAktuell });
    base.addRecord('Kommuner', { Kommunenummer: '3207', Prioritet: KommunePriority.ikkeAktuell });
    base.addRecord('Kommuner', { Kommunenummer: '5001', Prioritet: KommunePriority.ikkeAktuell });
    base.addRecord('Kommuner', { Kommune: 'Ny kommune?', Prioritet: KommunePriority.alltidMed });
    base.addRecord('Kommuner', { Kommunenummer: ' 3218 ', Prioritet: KommunePriority.alltidMed });
    const read = await readKommunePriorities(client!);
    expect([...read.pins]).toEqual([
      ['3218', 'always'],
      ['5001', 'never'],
    ]);
    expect(read).toMatchObject({ conflicts: ['3207'], unkeyed: 1 });
  });

  it('works on a base set up before "Alltid med" existed; setup-base reports the missing choice, changes nothing', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    const before = kommunerTable.fields.map((f) =>
      f.name === 'Prioritet'
        ? { ...f, options: { choices: ['Høy', 'Middels', 'Lav', 'Ikke aktuell'].map((name) => ({ name })) } }
        : f,
    );
    seedTable(double.base(), { ...kommunerTable, fields: before });
    double.addRecord('Kommuner', { Kommunenummer: '0301', Prioritet: KommunePriority.ikkeAktuell });
    expect(() => double!.addRecord('Kommuner', { Kommunenummer: '3212', Prioritet: 'Alltid med' })).toThrow();
    client = clientFor(double, { requestsPerSecond: 1000 });
    expect([...(await readKommunePriorities(client)).pins]).toEqual([['0301', 'never']]);
    const report = await setupBase(client, { tables: [kommunerTable], links: [] });
    expect(report.differences).toEqual([
      {
        table: 'Kommuner',
        field: 'Prioritet',
        problem:
          'select options missing in Airtable: Alltid med (add them in Airtable; writes with them fail)',
      },
    ]);
    expect(report.changes).toEqual([]);
  });

  it('fails with the Airtable error when the base has no Kommuner table (setup-base not run)', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    client = clientFor(double, { requestsPerSecond: 1000 });
    const error = await readKommunePriorities(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirtableError);
    expect(String((error as Error).message)).toMatch(/Kommuner|NOT_FOUND|404/);
  });
});
