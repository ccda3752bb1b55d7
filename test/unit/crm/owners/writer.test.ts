import { describe, expect, it } from 'vitest';
import { createAirtableLotParcelsLookup } from '../../../../sync/src/crm/owners/lots.js';
import { createOwnerLookupWriter } from '../../../../sync/src/crm/owners/writer.js';
import { EiereField as E, TomterField as T } from '../../../../sync/src/crm/schema/index.js';
import { ownershipId, type LotOwnership, type Owner } from '../../../../sync/src/domain/owner.js';
import { FakeAirtable } from '../../../helpers/fake-airtable-records.js';

const parcel = { kommunenummer: '3218', gnr: 12, bnr: 34, fnr: 0, snr: 0 };

function ownership(personId: string, name: string, extra: Partial<Owner> = {}): LotOwnership {
  const owner: Owner = {
    matrikkelPersonId: personId,
    kind: 'person',
    name,
    organisasjonsnummer: null,
    share: { teller: 1, nevner: 2 },
    parcel,
    role: 'hjemmelshaver',
    registered: true,
    ...extra,
  };
  return { id: ownershipId(owner), owner, share: owner.share };
}

function setup() {
  const airtable = new FakeAirtable();
  const lotA = airtable.seed('Tomter', {
    [T.tomtId]: '3218-12/34-a',
    [T.kommunenummer]: '3218',
    [T.gnr]: 12,
    [T.bnr]: 34,
  });
  const lotB = airtable.seed('Tomter', {
    [T.tomtId]: '3218-12/34-b',
    [T.kommunenummer]: '3218',
    [T.gnr]: 12,
    [T.bnr]: 34,
  });
  return { airtable, lotA, lotB, writer: createOwnerLookupWriter(airtable) };
}

const write = (
  ownerships: LotOwnership[],
  formerIds: string[] = [],
  possiblyExisting = ownerships.map((o) => o.id),
) => ({
  ownerships,
  possiblyExisting,
  formerIds,
  fetchedAt: new Date('2026-09-01T12:00:00Z'),
  ownerCount: ownerships.length,
  message: 'ok',
});

describe('owner lookup writer (Airtable through the records interface)', () => {
  it('writes owners with the lookup fields only and never touches the team fields on a later lookup', async () => {
    const { airtable, lotA, writer } = setup();
    const kari = ownership('701', 'Kari Prøvestad');
    await writer.writeOwners(lotA, write([kari, ownership('702', 'Ola Prøvestad')]));
    const record = airtable.all('Eiere').find((r) => r.fields[E.eierId] === kari.id)!;
    await airtable.update('Eiere', [
      {
        id: record.id,
        fields: {
          [E.kontaktstatus]: 'Ringt',
          [E.telefon]: '+47 400 00 000',
          [E.notater]: 'Vil selge i 2027',
        },
      },
    ]);

    await writer.writeOwners(
      lotA,
      write(
        [ownership('701', 'Kari Prøvestad', { share: { teller: 1, nevner: 1 } })],
        [ownership('702', 'x').id],
      ),
    );
    expect(airtable.read('Eiere', record.id)).toEqual({
      [E.eierId]: kari.id,
      [E.navn]: 'Kari Prøvestad',
      [E.type]: 'Person',
      [E.andel]: '1/1',
      [E.rolle]: 'Hjemmelshaver',
      [E.matrikkelnummer]: '3218-12/34',
      [E.kilde]: 'Matrikkelen (tinglyst)',
      [E.hentet]: '2026-09-01',
      [E.eierstatus]: 'Gjeldende',
      [E.tomter]: [lotA],
      [E.kontaktstatus]: 'Ringt',
      [E.telefon]: '+47 400 00 000',
      [E.notater]: 'Vil selge i 2027',
    });
    const ola = airtable.all('Eiere').find((r) => r.fields[E.navn] === 'Ola Prøvestad')!;
    expect(ola.fields[E.eierstatus]).toBe('Tidligere eier');
    expect(airtable.read('Tomter', lotA)).toMatchObject({ [T.eieroppslag]: 'Ferdig', [T.antallEiere]: 1 });
  });

  it('adds a second lot to the links an owner record already has (Airtable replaces link arrays)', async () => {
    const { airtable, lotA, lotB, writer } = setup();
    const kari = ownership('701', 'Kari Prøvestad');
    await writer.writeOwners(lotA, write([kari]));
    await writer.writeOwners(lotB, write([kari]));
    const [record] = airtable.all('Eiere');
    expect(airtable.all('Eiere')).toHaveLength(1);
    expect(new Set(record!.fields[E.tomter] as string[])).toEqual(new Set([lotA, lotB]));
  });

  it('writes 25 owners in upserts of at most 10 records, in few requests', async () => {
    const { airtable, lotA, writer } = setup();
    const many = Array.from({ length: 25 }, (_, i) =>
      ownership(String(800 + i), `Arving ${i}`, { share: { teller: 1, nevner: 25 } }),
    );
    await writer.writeOwners(lotA, write(many));
    expect(airtable.all('Eiere')).toHaveLength(25);
    const upserts = airtable.requests.filter((r) => r.method === 'upsert');
    expect(upserts.map((r) => r.records)).toEqual([10, 10, 5]);
    expect(airtable.requestCount()).toBe(1 + 3 + 1);
  });

  it('writes organisations with their number and leasehold roles', async () => {
    const { airtable, lotA, writer } = setup();
    await writer.writeOwners(
      lotA,
      write([
        ownership('901', 'Prøve Eiendom AS', {
          kind: 'organisation',
          organisasjonsnummer: '912345674',
          role: 'bortfester',
        }),
        ownership('902', 'Per Fester', { role: 'fester', registered: false, share: null }),
      ]),
    );
    const byName = new Map(airtable.all('Eiere').map((r) => [r.fields[E.navn], r.fields]));
    expect(byName.get('Prøve Eiendom AS')).toMatchObject({
      [E.type]: 'Organisasjon',
      [E.organisasjonsnummer]: '912345674',
      [E.rolle]: 'Bortfester',
    });
    expect(byName.get('Per Fester')).toMatchObject({
      [E.rolle]: 'Fester',
      [E.kilde]: 'Matrikkelen (ikke tinglyst)',
    });
    expect(byName.get('Per Fester')).not.toHaveProperty(E.andel);
  });

  it('finds a lot by Tomt-ID when the lot store had no record id, and reads a lot from its record', async () => {
    const { airtable, lotA, writer } = setup();
    expect(await writer.resolve({ tomtId: '3218-12/34-a', recordId: null })).toBe(lotA);
    expect(await writer.resolve({ tomtId: "3218-12/34-'x'", recordId: null })).toBeNull();
    const lots = createAirtableLotParcelsLookup(airtable);
    expect(await lots.byRecordId(lotA)).toEqual({
      tomtId: '3218-12/34-a',
      recordId: lotA,
      kommunenummer: '3218',
      matrikkelenheter: [parcel],
      matrikkelenhetId: null,
    });
    const notALot = airtable.seed('Eiere', { [E.eierId]: 'x' });
    expect(await lots.byRecordId(notALot)).toBeNull();
  });

  it('erases owner data for retention: clears records only this lot holds, unlinks shared ones', async () => {
    const { airtable, lotA, lotB, writer } = setup();
    const only = ownership('701', 'Kari Prøvestad');
    const shared = ownership('702', 'Ola Prøvestad');
    await writer.writeOwners(lotA, write([only, shared]));
    await writer.writeOwners(lotB, write([shared]));
    const onlyRecord = airtable.all('Eiere').find((r) => r.fields[E.eierId] === only.id)!;
    await airtable.update('Eiere', [{ id: onlyRecord.id, fields: { [E.telefon]: '+47 99 99 99 99' } }]);

    await writer.eraseOwners(lotA, { clear: [only.id], unlink: [shared.id], message: 'slettet' });
    expect(airtable.read('Eiere', onlyRecord.id)).toEqual({
      [E.eierId]: only.id,
      [E.type]: 'Person',
      [E.rolle]: 'Hjemmelshaver',
      [E.matrikkelnummer]: '3218-12/34',
      [E.kilde]: 'Matrikkelen (tinglyst)',
      [E.hentet]: '2026-09-01',
      [E.eierstatus]: 'Slettet (oppbevaringstid)',
    });
    const sharedRecord = airtable.all('Eiere').find((r) => r.fields[E.eierId] === shared.id)!;
    expect(sharedRecord.fields[E.navn]).toBe('Ola Prøvestad');
    expect(sharedRecord.fields[E.tomter]).toEqual([lotB]);
    expect(airtable.read('Tomter', lotA)).not.toHaveProperty(T.antallEiere);
  });
});
