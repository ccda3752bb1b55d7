import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRules } from '../../../sync/src/config/rules.js';
import { createEnrichmentWriter } from '../../../sync/src/crm/owners/enrichment-writer.js';
import { EiereField as E, TomterField as T } from '../../../sync/src/crm/schema/index.js';
import type { Position } from '../../../sync/src/domain/geometry.js';
import type { LocalLotParcelsLookup } from '../../../sync/src/domain/lot-parcels.js';
import { runOwnerEnrichment } from '../../../sync/src/jobs/owner-enrichment.js';
import { lotCentreOf, type LotRecord } from '../../../sync/src/lot-record/lot-record.js';
import {
  createEnhetsregisterClient,
  type EnhetsregisterSource,
} from '../../../sync/src/sources/brreg/client.js';
import { openStore, type Db } from '../../../sync/src/store/database.js';
import { createMemoryLogger } from '../../../sync/src/util/logger.js';
import { startBrregDouble, type BrregDouble } from '../../doubles/brreg/server.js';
import { aasLots, aasRecords } from '../../fixtures/crm/lots.js';
import { FakeAirtable } from '../../helpers/fake-airtable-records.js';
import { writeKommuneRun } from '../../helpers/map-lots.js';

const DEVELOPER = '810202572'; // BORTIGARD AS, 41.000 Oppføring av bygninger (recorded)
const FARMER = '999999998'; // a sole proprietorship in agriculture, 01.500
const BANKRUPT = '915330193';
const DELETED = '821227062';
const UNKNOWN = '987654321';

let db: Db;
let double: BrregDouble;
let source: EnhetsregisterSource;
let airtable: FakeAirtable;
const rules = parseRules({}).developers;

/** A 100 m square lot at (east, north) in Ås, EPSG:25833. */
function squareLot(base: LotRecord, n: number, east: number): LotRecord {
  const ring: Position[] = [
    [east, 6_621_000],
    [east + 100, 6_621_000],
    [east + 100, 6_621_100],
    [east, 6_621_100],
    [east, 6_621_000],
  ];
  const geometry = { type: 'Polygon' as const, coordinates: [ring] };
  return { ...base, tomtId: `3218-${n}/1-z`, geometry, centre: lotCentreOf(geometry) };
}

// A (the developer's), B two metres east of A, C a kilometre away, D next to C.
const base = aasRecords(aasLots({ count: 1, seed: 3 }))[0]!;
const LOTS = [
  squareLot(base, 1, 262_000),
  squareLot(base, 2, 262_102),
  squareLot(base, 3, 263_100),
  squareLot(base, 4, 263_202),
];
const recordIds = new Map<string, string>();
const lotLookup: LocalLotParcelsLookup = {
  byTomtId: (tomtId) => ({
    tomtId,
    recordId: recordIds.get(tomtId) ?? null,
    kommunenummer: '3218',
    matrikkelenheter: [],
    matrikkelenhetId: null,
  }),
  byRecordId: () => null,
};

function owns(tomtId: string, orgnr: string) {
  const ownershipId = `${tomtId}:${orgnr}`;
  db.prepare(
    `INSERT INTO lot_owners (ownership_id, tomt_id, record_id, job_id, parcel, matrikkel_person_id, kind, name,
       organisasjonsnummer, share, role, registered, fetched_at, current)
     VALUES (?, ?, NULL, 1, ?, ?, 'organisation', ?, ?, '1/1', 'hjemmelshaver', 1, '2026-09-01T10:00:00Z', 1)`,
  ).run(ownershipId, tomtId, tomtId, `p${orgnr}`, `Org ${orgnr}`, orgnr);
  airtable.seed('Eiere', { [E.eierId]: ownershipId, [E.organisasjonsnummer]: orgnr });
  return ownershipId;
}

const eier = (ownershipId: string) =>
  airtable.all('Eiere').find((r) => r.fields[E.eierId] === ownershipId)!.fields;
const tomt = (tomtId: string) => airtable.read('Tomter', recordIds.get(tomtId)!)!;
const run = (now = new Date('2026-09-07T05:00:00Z'), naceCodes = rules.naceCodes) =>
  runOwnerEnrichment({
    db,
    source,
    writer: createEnrichmentWriter(airtable),
    lots: lotLookup,
    rules: { ...rules, naceCodes },
    now,
    logger: createMemoryLogger(),
  });

beforeEach(async () => {
  db = openStore(':memory:');
  double = await startBrregDouble();
  source = createEnhetsregisterClient({ baseUrl: double.baseUrl, requestsPerSecond: 20 });
  airtable = new FakeAirtable();
  db.prepare(
    `INSERT INTO runs (id, started_at, status, trigger) VALUES (1, '2026-09-01T00:00:00Z', 'ok', 'cli')`,
  ).run();
  writeKommuneRun(db, '3218', LOTS, { runId: 1, now: '2026-09-01T00:00:00Z' });
  for (const lot of LOTS) recordIds.set(lot.tomtId, airtable.seed('Tomter', { [T.tomtId]: lot.tomtId }));
});
afterEach(async () => {
  await source.close();
  await double.close();
  db.close();
});

describe('owner enrichment from the Enhetsregisteret', () => {
  it('marks a recorded developer company as Utbygger, its lot "Utbygger eier" and the lot bordering it "Utbygger nabo", not a farmer', async () => {
    const developer = owns('3218-1/1-z', DEVELOPER);
    const farmerNext = owns('3218-2/1-z', FARMER);
    owns('3218-3/1-z', FARMER);
    const report = await run();

    expect(report).toMatchObject({
      organisations: 2,
      fetched: 2,
      failed: [],
      developers: [DEVELOPER],
      marked: { eier: 1, nabo: 1 },
    });
    expect(eier(developer)).toMatchObject({
      [E.utbygger]: true,
      [E.naeringskode]: '41.000 Oppføring av bygninger',
      [E.organisasjonsform]: 'Aksjeselskap',
      [E.forretningsadresse]: 'Løkkeveien 18, 3085 HOLMESTRAND',
      [E.enhetsstatus]: 'Aktiv',
    });
    expect(eier(farmerNext)).toMatchObject({
      [E.naeringskode]: '01.500 Kombinert husdyrhold og planteproduksjon',
      [E.organisasjonsform]: 'Enkeltpersonforetak',
      [E.enhetsstatus]: 'Aktiv',
    });
    expect(eier(farmerNext)[E.utbygger]).toBeUndefined(); // false: Airtable shows an empty checkbox
    expect(tomt('3218-1/1-z')).toMatchObject({
      [T.utbygger]: 'Utbygger eier',
      [T.utbyggerSelskap]: 'BORTIGARD AS (810202572)',
    });
    expect(tomt('3218-2/1-z')).toMatchObject({
      [T.utbygger]: 'Utbygger nabo',
      [T.utbyggerSelskap]: 'BORTIGARD AS (810202572)',
    });
    for (const far of ['3218-3/1-z', '3218-4/1-z']) expect(tomt(far)[T.utbygger]).toBeUndefined();
  });

  it('shows konkurs, a deleted unit and an unknown number, and names an organisation the register failed on', async () => {
    const bankrupt = owns('3218-1/1-z', BANKRUPT);
    const deleted = owns('3218-2/1-z', DELETED);
    const unknown = owns('3218-3/1-z', UNKNOWN);
    owns('3218-4/1-z', FARMER);
    double.failing.add(FARMER);
    const report = await run();
    expect(eier(bankrupt)).toMatchObject({
      [E.enhetsstatus]: 'Konkurs',
      [E.naeringskode]: '81.210 Rengjøring av bygninger',
    });
    expect(eier(deleted)[E.enhetsstatus]).toBe('Slettet');
    expect(eier(unknown)[E.enhetsstatus]).toBe('Ikke funnet');
    expect(report.failed).toEqual([
      { organisasjonsnummer: FARMER, error: expect.stringMatching(/enhetsregisteret.*HTTP 500/) },
    ]);
    expect(report.marked).toEqual({ eier: 0, nabo: 0 });
  });

  it('asks the register once per organisation within the cache days, paced, and clears a mark that no longer holds', async () => {
    owns('3218-1/1-z', DEVELOPER);
    owns('3218-3/1-z', FARMER);
    owns('3218-4/1-z', BANKRUPT);
    owns('3218-4/1-z', DELETED);
    await run();
    expect(double.requests).toHaveLength(4);
    // At most 20 a second: four calls span at least three intervals of 50 ms (less timer jitter).
    expect(double.requests[3]!.at - double.requests[0]!.at).toBeGreaterThanOrEqual(120);

    await run(new Date('2026-09-10T05:00:00Z'));
    expect(double.requests).toHaveLength(4); // from the cache

    // The same company with a list that leaves construction out (e.g. only SN2007 development codes).
    const report = await run(new Date('2026-09-20T05:00:00Z'), ['41.109', '68.120']);
    expect(double.requests).toHaveLength(8); // the cache had expired
    expect(report.marked).toEqual({ eier: 0, nabo: 0 });
    expect(tomt('3218-1/1-z')[T.utbygger]).toBeUndefined();
    expect(tomt('3218-2/1-z')[T.utbygger]).toBeUndefined();
  });
});
