import { afterEach, describe, expect, it } from 'vitest';
import { setupBase } from '../../../../sync/src/crm/setup/setup-base.js';
import { eiereTable } from '../../../../sync/src/crm/schema/eiere.js';
import { kommunerTable } from '../../../../sync/src/crm/schema/kommuner.js';
import { rapporterTable } from '../../../../sync/src/crm/schema/rapporter.js';
import { tomterTable } from '../../../../sync/src/crm/schema/tomter.js';
import { varslerTable } from '../../../../sync/src/crm/schema/varsler.js';
import { clientFor } from '../../../doubles/airtable/harness.js';
import { seedTable } from '../../../doubles/airtable/schema.js';
import { startAirtableDouble, type AirtableDouble } from '../../../doubles/airtable/server.js';

let double: AirtableDouble | undefined;
afterEach(async () => {
  await double?.close();
  double = undefined;
});

describe('setup-base', () => {
  it('creates Tomter, Kommuner, Eiere, Varsler, Rapporter and the links on an empty base, then changes nothing', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    const client = clientFor(double, { requestsPerSecond: 1000 });
    const first = await setupBase(client);
    expect(first.changes.filter((c) => c.kind === 'table-created').map((c) => c.table)).toEqual([
      'Tomter',
      'Kommuner',
      'Eiere',
      'Varsler',
      'Rapporter',
    ]);
    expect(first.changes.filter((c) => c.kind === 'link-created')).toEqual([
      { kind: 'link-created', table: 'Eiere', field: 'Tomter', linkedTable: 'Tomter', inverseField: 'Eiere' },
      {
        kind: 'link-created',
        table: 'Varsler',
        field: 'Tomt',
        linkedTable: 'Tomter',
        inverseField: 'Varsler',
      },
      {
        kind: 'link-created',
        table: 'Varsler',
        field: 'Kommune',
        linkedTable: 'Kommuner',
        inverseField: 'Varsler',
      },
    ]);
    const varsler = double.table('Varsler');
    expect(varsler.fields.find((f) => f.name === 'Type')!.options!.choices).toHaveLength(8);
    expect(varsler.fields.find((f) => f.name === 'Lest')).toMatchObject({ type: 'checkbox' });
    expect(first.differences).toEqual([]);
    const tomter = double.table('Tomter');
    expect(tomter.fields.find((f) => f.id === tomter.primaryFieldId)!.name).toBe('Tomt-ID');
    // The primary field, and the counterparts of Eiere.Tomter and Varsler.Tomt.
    expect(tomter.fields).toHaveLength(tomterTable.fields.length + 3);
    expect(tomter.fields.find((f) => f.name === 'Score')).toMatchObject({
      type: 'number',
      options: { precision: 0 },
    });
    expect(tomter.fields.find((f) => f.name === 'Status')!.options!.choices).toHaveLength(9);
    expect(tomter.description).toBe(tomterTable.description);
    double.clearRequests();
    const again = await setupBase(client);
    expect(again.changes).toEqual([]);
    expect(again.differences).toEqual([]);
    expect(again.matching).toBe(
      tomterTable.fields.length +
        1 +
        kommunerTable.fields.length +
        1 +
        eiereTable.fields.length +
        1 +
        varslerTable.fields.length +
        1 +
        rapporterTable.fields.length +
        1 +
        3,
    );
    expect(double.requests.map((r) => r.kind)).toEqual(['meta-read']);
    await client.close();
  });

  it('adds missing fields, reports different types and missing options, never deletes or renames', async () => {
    double = await startAirtableDouble({ rateLimit: false });
    const trimmed = {
      ...tomterTable,
      fields: tomterTable.fields
        .filter((f) => f.name !== 'Geometri')
        .map((f) =>
          f.name === 'Score'
            ? { ...f, type: 'singleLineText' as const, options: undefined }
            : f.name === 'Status'
              ? { ...f, options: { choices: [{ name: 'Ny' }, { name: 'Dialog' }] } }
              : f,
        )
        .concat({ name: 'Egen kolonne', type: 'singleLineText', owner: 'team' }),
    };
    seedTable(double.base(), trimmed);
    const client = clientFor(double, { requestsPerSecond: 1000 });
    const dry = await setupBase(client, { dryRun: true });
    expect(dry.changes).toContainEqual({
      kind: 'field-created',
      table: 'Tomter',
      field: 'Geometri',
      type: 'multilineText',
    });
    expect(double.requests.filter((r) => r.kind === 'meta-write')).toHaveLength(0);
    const report = await setupBase(client);
    expect(
      report.changes
        .filter((c) => c.kind === 'field-created')
        .map((c) => c.kind === 'field-created' && c.field),
    ).toEqual(['Geometri']);
    expect(report.differences).toEqual([
      {
        table: 'Tomter',
        field: 'Score',
        problem: expect.stringMatching(/type is singleLineText in Airtable, Tomtejakt writes number/),
      },
      {
        table: 'Tomter',
        field: 'Status',
        problem: expect.stringMatching(
          /select options missing in Airtable: Identifisert, Kontaktet, .*Utgått/,
        ),
      },
    ]);
    expect(double.table('Tomter').fields.map((f) => f.name)).toContain('Egen kolonne');
    await client.close();
  });

  it('reports a token without schema scopes clearly', async () => {
    double = await startAirtableDouble({
      rateLimit: false,
      scopes: ['data.records:read', 'data.records:write'],
    });
    const client = clientFor(double, { requestsPerSecond: 1000 });
    await expect(setupBase(client)).rejects.toThrow(/INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND.*schema\.bases/);
    await client.close();
  });
});
