import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countDistinctOwners, formatShare } from '../../../../sync/src/domain/owner.js';
import type { Matrikkelnummer } from '../../../../sync/src/domain/parcel.js';
import { createMatrikkel, MatrikkelFaultError } from '../../../../sync/src/sources/matrikkel/index.js';
import type { MatrikkelOwnerSource } from '../../../../sync/src/sources/matrikkel/owners.js';
import type { MatrikkelSoapClient } from '../../../../sync/src/sources/matrikkel/soap-client.js';
import { SourceError } from '../../../../sync/src/util/errors.js';
import { startMatrikkelDouble, type MatrikkelDouble } from '../../../doubles/matrikkel/server.js';

const K = '3218';
const parcel = (gnr: number, bnr: number, fnr = 0, snr = 0): Matrikkelnummer => ({
  kommunenummer: K,
  gnr,
  bnr,
  fnr,
  snr,
});

let double: MatrikkelDouble;
let client: MatrikkelSoapClient;
let source: MatrikkelOwnerSource;

function connect(password = 'correct horse battery staple', timeoutMs = 2_000, retries = 2) {
  const setup = createMatrikkel(
    {
      MATRIKKEL_URL: double.url,
      MATRIKKEL_USERNAME: 'tomtejakt-test',
      MATRIKKEL_PASSWORD: password,
      MATRIKKEL_CONCURRENCY: 4,
      MATRIKKEL_TIMEOUT_MS: timeoutMs,
      MATRIKKEL_CLIENT_ID: 'tomtejakt-test',
      HTTP_MAX_RETRIES: retries,
    },
    { now: () => new Date('2026-09-01T10:00:00Z'), minRetryDelayMs: 10 },
  );
  if (!setup.configured) throw new Error('expected a configured Matrikkel');
  client = setup.client;
  source = setup.source;
}

beforeEach(async () => {
  double = await startMatrikkelDouble();
  connect();
});
afterEach(async () => {
  await client.close();
  await double.close();
});

describe('Matrikkel owner lookup against the SOAP double', () => {
  it('finds both halves of a shared ownership with their shares, as persons with names only', async () => {
    const result = await source.ownersOf([parcel(900, 1)]);
    expect(result.missing).toEqual([]);
    const [only] = result.parcels;
    expect(only!.unitType).toBe('grunneiendom');
    expect(only!.owners).toHaveLength(2);
    for (const owner of only!.owners) {
      expect(owner).toMatchObject({
        kind: 'person',
        role: 'hjemmelshaver',
        registered: true,
        organisasjonsnummer: null,
      });
      expect(formatShare(owner.share)).toBe('1/2');
      expect(owner.name).toMatch(/^\p{L}+ \p{L}+$/u);
    }
    // The double's FysiskPerson carries a national identity number in <nummer>: it must not come through.
    const identityNumbers = double.registry.personalData().identityNumbers;
    expect(identityNumbers.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toMatch(new RegExp(identityNumbers.join('|')));
    expect(JSON.stringify(result)).not.toContain(double.registry.personalData().addresses[0]!);
  });

  it('reports a company with its organisasjonsnummer', async () => {
    const { parcels } = await source.ownersOf([parcel(900, 2)]);
    expect(parcels[0]!.owners).toEqual([
      expect.objectContaining({ kind: 'organisation', name: expect.stringMatching(/ AS$/) }),
    ]);
    expect(parcels[0]!.owners[0]!.organisasjonsnummer).toMatch(/^9\d{8}$/);
  });

  it('returns an empty owner list for a parcel with no registered owner', async () => {
    const { parcels, missing } = await source.ownersOf([parcel(900, 3)]);
    expect(missing).toEqual([]);
    expect(parcels[0]!.owners).toEqual([]);
  });

  it('gives a leasehold both the fester and the bortfester of the grunneiendom it is leased from', async () => {
    const { parcels } = await source.ownersOf([parcel(900, 4, 1)]);
    expect(parcels[0]!.unitType).toBe('festegrunn');
    const roles = parcels[0]!.owners.map((o) => [o.role, o.kind, o.parcel.fnr]);
    expect(roles).toEqual([
      ['fester', 'person', 1],
      ['bortfester', 'organisation', 0],
    ]);
  });

  it('keeps only current owners: no ended ownership (datoTil), no Kontaktinstans', async () => {
    const { parcels } = await source.ownersOf([parcel(900, 5)]);
    expect(parcels[0]!.owners).toHaveLength(1);
    expect(parcels[0]!.owners[0]!.registered).toBe(true);
  });

  it('names a property that owns a jordsameie share', async () => {
    const { parcels } = await source.ownersOf([parcel(900, 7)]);
    expect(parcels[0]!.unitType).toBe('jordsameie');
    expect(parcels[0]!.owners.map((o) => [o.kind, o.name, formatShare(o.share)])).toEqual([
      ['other', 'Eiendom 900/1', '1/2'],
      ['other', 'Eiendom 900/2', '1/2'],
    ]);
  });

  it('looks up every parcel of a lot and fetches all owners in one getObjects call', async () => {
    const result = await source.ownersOf([parcel(900, 1), parcel(900, 6), parcel(999, 999)]);
    expect(result.parcels.map((p) => p.owners.length)).toEqual([2, 3]);
    expect(result.missing).toEqual([parcel(999, 999)]);
    expect(countDistinctOwners(result.parcels)).toBe(5);
    const operations = double.calls.map((c) => c.operation);
    expect(operations.filter((o) => o === 'findMatrikkelenhetIdForIdent')).toHaveLength(3);
    expect(operations.filter((o) => o === 'getObject')).toHaveLength(2);
    expect(operations.filter((o) => o === 'getObjects')).toHaveLength(1);
  });

  it('uses the lot’s known MatrikkelenhetId for a single parcel instead of looking it up', async () => {
    const unit = double.registry.unitFor(K, 41, 7, 0, 0)!;
    const result = await source.ownersOf([parcel(41, 7)], { knownId: unit.id });
    expect(result.parcels[0]!.matrikkelenhetId).toBe(unit.id);
    expect(double.calls.map((c) => c.operation)).toEqual(['getObject', 'getObjects']);
  });

  it('does not trust a known id that now belongs to another property, nor one the Matrikkel does not know', async () => {
    const other = double.registry.unitFor(K, 41, 8, 0, 0)!;
    const right = double.registry.unitFor(K, 41, 7, 0, 0)!;
    const stale = await source.ownersOf([parcel(41, 7)], { knownId: other.id });
    expect(stale.parcels[0]!.matrikkelenhetId).toBe(right.id);
    const unknown = await source.ownersOf([parcel(41, 7)], { knownId: '999999999' });
    expect(unknown.parcels[0]!.matrikkelenhetId).toBe(right.id);
    expect(double.calls.filter((c) => c.operation === 'findMatrikkelenhetIdForIdent')).toHaveLength(2);
  });

  it('checks once that the user may read ownerships', async () => {
    await source.checkAccess();
    await source.checkAccess();
    expect(double.calls.map((c) => c.operation)).toEqual(['getPaloggetBruker', 'harLesEierforholdRettighet']);
  });
});

describe('Matrikkel failure modes', () => {
  it('recognises the HTML login page sent with HTTP 200 for a wrong password, without retrying', async () => {
    await client.close();
    connect('wrong password');
    const error = await source.ownersOf([parcel(900, 1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('auth');
    expect((error as SourceError).message).toMatch(/HTML login page.*HTTP 200/);
    expect((error as SourceError).message).not.toContain('wrong password');
    expect(client.stats().attempts).toBe(1);
    expect(double.calls.map((c) => c.detail)).toEqual(['refused: wrong credentials']);
  });

  it('turns a SOAP fault into a typed error and does not repeat it at the network level', async () => {
    double.inject({ kind: 'soap-fault' }, { operation: 'getObject' });
    const error = await source.ownersOf([parcel(900, 2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrikkelFaultError);
    expect((error as MatrikkelFaultError).faultKind).toBe('operational');
    expect((error as MatrikkelFaultError).transient).toBe(true);
    expect(double.calls.filter((c) => c.operation === 'getObject')).toHaveLength(1);
  });

  it('retries a reset connection (a read is safe to repeat) and then succeeds', async () => {
    double.inject({ kind: 'reset' }, { operation: 'getObject' });
    const result = await source.ownersOf([parcel(900, 2)]);
    expect(result.parcels[0]!.owners).toHaveLength(1);
    expect(client.stats().attempts).toBe(client.stats().requests + 1);
  });

  it('retries a 503 from the gateway', async () => {
    double.inject({ kind: 'http-503' }, { operation: 'getObjects' });
    const result = await source.ownersOf([parcel(900, 2)]);
    expect(result.parcels[0]!.owners).toHaveLength(1);
  });

  it('times out a slow answer with a timeout error once the retries are spent', async () => {
    await client.close();
    // undici's timers are coarse (about a second), hence the generous margins.
    connect(undefined, 1_000, 1);
    double.inject({ kind: 'slow', delayMs: 2_500 }, { times: 2 });
    const error = await source.ownersOf([parcel(900, 2)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(['timeout', 'http-status']).toContain((error as SourceError).kind);
    expect((error as SourceError).message).toMatch(/timeout/i);
    expect(client.stats().attempts).toBe(2);
  });

  it('fails with a clear auth error when the user lacks the ownership right', async () => {
    await client.close();
    await double.close();
    double = await startMatrikkelDouble({ mayReadOwners: false });
    connect();
    const error = await source.checkAccess().catch((e: unknown) => e);
    expect((error as SourceError).kind).toBe('auth');
    expect((error as SourceError).message).toContain('harLesEierforholdRettighet');
  });

  it('reports a not-configured state without credentials', () => {
    const setup = createMatrikkel({
      MATRIKKEL_URL: 'https://matrikkel.no/matrikkelapi/wsapi/v1',
      MATRIKKEL_CONCURRENCY: 4,
      MATRIKKEL_TIMEOUT_MS: 10_000,
      MATRIKKEL_CLIENT_ID: 'x',
      HTTP_MAX_RETRIES: 2,
    });
    expect(setup.configured).toBe(false);
    expect(setup.configured ? '' : setup.reason).toContain('MATRIKKEL_USERNAME');
  });
});
